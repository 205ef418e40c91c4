#include "store/reading_export.hpp"

#include <charconv>
#include <cmath>

#include "common/json_lines.hpp"
#include "common/proto_convert.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"

namespace vigil::store {

std::string format_value(double v) {
  if (std::isnan(v)) return {};
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return {};
  return std::string(buf, end);
}

std::string csv_header() {
  return "id,bed,kind,value,unit,measured_at,received_at,source,valid,status,verified,phase,late,withdrawn";
}

namespace {

// "-12", "+3.5", "1e-3": a number a spreadsheet reads as one, not as a formula.
bool plain_number(std::string_view s) {
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits = true;
    } else if (s[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

bool would_be_formula(std::string_view field) {
  if (field.empty()) return false;
  const char c = field[0];
  if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') return false;
  return !plain_number(field);
}

}  // namespace

std::string csv_field(std::string_view field) {
  const bool guard = would_be_formula(field);
  if (!guard && field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string text = guard ? "'" + std::string(field) : std::string(field);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_row(const StoredReading& row) {
  const Reading& r = row.reading;
  std::string out = std::to_string(row.id);
  out += ',';
  out += csv_field(r.bed);
  out += ',';
  out += to_string(r.kind);
  out += ',';
  out += format_value(r.value);
  out += ',';
  out += csv_field(canonical_unit(r.kind));
  out += ',';
  out += format_rfc3339(r.measured_at_ms);
  out += ',';
  out += format_rfc3339(r.received_at_ms);
  out += ',';
  out += csv_field(r.source);
  out += ',';
  out += r.valid ? "true" : "false";
  out += ',';
  out += csv_field(r.status);
  out += ',';
  if (row.context) out += row.context->verified ? "true" : "false";
  out += ',';
  if (row.context) out += csv_field(word(row.context->phase));
  // Appended, so a sheet that reads the columns above by position keeps working. A late
  // reading is stored but was never current; a withdrawal is a device taking a value back.
  out += ',';
  if (row.context) out += row.context->late ? "true" : "false";
  out += ',';
  out += is_withdrawal(r) ? "true" : "false";
  return out;
}

proto::Reading to_stream_reading(const StoredReading& row) {
  proto::Reading out = to_proto(row.reading, row.id);
  if (row.context) {
    out.set_verified(row.context->verified);
    out.set_late(row.context->late);
    out.set_phase(row.context->phase);
    if (row.context->baseline_sys) out.set_baseline_sys_mmhg(*row.context->baseline_sys);
    if (row.context->baseline_dia) out.set_baseline_dia_mmhg(*row.context->baseline_dia);
  }
  return out;
}

std::string jsonl_row(const StoredReading& row) {
  return to_json_line(reading_line(to_stream_reading(row), false));
}

}  // namespace vigil::store
