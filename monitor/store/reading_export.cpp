#include "store/reading_export.hpp"

#include <charconv>
#include <cmath>

#include "common/json_lines.hpp"
#include "common/proto_convert.hpp"
#include "common/wall_time.hpp"

namespace vigil::store {

namespace {

// Shortest text that reads back as the same double ("36.6", not "36.600000000000001").
std::string format_value(double v) {
  if (std::isnan(v)) return {};
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return {};
  return std::string(buf, end);
}

}  // namespace

std::string csv_header() {
  return "id,bed,kind,value,unit,measured_at,received_at,source,valid,status";
}

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out += '"';
  for (char c : field) {
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
  return out;
}

std::string jsonl_row(const StoredReading& row) {
  return to_json_line(reading_line(to_proto(row.reading, row.id), false));
}

}  // namespace vigil::store
