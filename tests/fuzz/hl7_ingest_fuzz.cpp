// libFuzzer target: ingest_message + build_ack on arbitrary bytes. Checks that every input
// gets an ACK that parses, carries the right MSA-1, echoes the control id and never holds
// an MLLP framing byte; that only AA returns readings; that values are finite (a withdrawal's
// may be NaN: none); and that
// the fast field splitter (Fields) agrees with Segment::field(); that every text the result hands on
// (identity, readings, unmapped rows) is valid UTF-8 whatever MSH-18 says. The observation checks: SN,
// placeholders, strict numbers, physical ranges, LOINC/vendor tables and a site code map (the odd-sized
// inputs run with one that maps "9001"/"SYS" of any source) never yield a reading outside its kind's physical
// range, and the ERR segments match the unreadable observations, unreadable OBX-14 times and text
// stored otherwise than sent.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"

#include "hl7/ingest.hpp"
#include "hl7/message.hpp"
#include "hl7/observation_value.hpp"
#include "text/utf8.hpp"

namespace {

using vigil::fuzz::check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::hl7;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto site_options = [] {
    MapOptions o;
    o.default_utc_offset_minutes = 60;
    o.code_map.push_back(SiteCode{"", "9001", "SYS", vigil::VitalKind::NibpSys, "mmHg"});
    o.code_map.push_back(SiteCode{"MON-7", "", "T", vigil::VitalKind::Temperature, "[degF]"});
    o.code_map.push_back(SiteCode{"", "VAS_PAIN", "", vigil::VitalKind::HeartRate, "", true});
    return o;
  };
  const MapOptions options = size % 2 ? site_options() : MapOptions{};
  const IngestResult r = ingest_message(input, options);

  check((r.code == AckCode::AA) == (r.error_code == 0));
  if (r.code != AckCode::AA) check(r.readings.empty());
  // Unreadable observations come back only with AA (beside readings) or the AE that says so.
  if (r.code != AckCode::AA && r.unreadable == 0) check(r.unmapped.empty());
  // ERR segments: one per unreadable observation, then one W per unreadable OBX-14 (each
  // kind at most kMaxIssuesPerMessage), then at most one W on MSH-18 for text stored
  // otherwise than sent, then at most one W on MSH-11 for a message not in production mode
  // (D or T: its values stored as not valid) (an accepted message only).
  std::size_t processing_errors = 0;
  if (!r.errors.empty() && r.errors.back().segment == "MSH" && r.errors.back().field == 11) {
    processing_errors = 1;
    check(r.errors.back().severity == 'W' && r.code == AckCode::AA);
    bool any_marked = false;
    for (const vigil::Reading& reading : r.readings) {
      check(!reading.valid);
      any_marked = any_marked || !vigil::is_withdrawal(reading);
    }
    check(any_marked);
  }
  std::size_t charset_errors = 0;
  for (const AckError& e : r.errors) charset_errors += e.segment == "MSH";
  charset_errors -= processing_errors;
  check(charset_errors <= 1);
  if (charset_errors == 1) {
    const AckError& last = r.errors[r.errors.size() - processing_errors - 1];
    check(last.segment == "MSH" && last.field == 18 && last.severity == 'W');
    check(r.replaced_characters > 0 || r.charset_unknown);
  }
  const std::size_t end = r.errors.size() - charset_errors - processing_errors;
  std::size_t time_errors = 0;
  for (std::size_t i = 0; i < end; ++i) time_errors += r.errors[i].field == 14;
  for (std::size_t i = end - time_errors; i < end; ++i) {
    check(r.errors[i].field == 14 && r.errors[i].severity == 'W');
  }
  check(time_errors <= kMaxIssuesPerMessage && time_errors <= r.bad_times);
  check((r.bad_times > 0) == (time_errors > 0));
  const std::size_t observation_errors = end - time_errors;
  check(observation_errors <= kMaxIssuesPerMessage && observation_errors <= r.unreadable);
  check((r.unreadable > 0) == (observation_errors > 0));
  if (r.code == AckCode::AA && r.unreadable > 0) check(!r.readings.empty());
  using vigil::is_valid_utf8;
  check(is_valid_utf8(r.declared_charset) && r.declared_charset.size() <= 3 * 32);  // U+FFFD is 3 bytes
  for (const std::string* s : {&r.identity.location, &r.identity.location_raw, &r.identity.equipment_id,
                               &r.identity.sending_application, &r.identity.sending_facility}) {
    check(is_valid_utf8(*s));
  }
  for (const vigil::UnmappedObservation& u : r.unmapped) {
    check(is_valid_utf8(u.source) && is_valid_utf8(u.code) && is_valid_utf8(u.value) &&
          is_valid_utf8(u.unit) && is_valid_utf8(u.reason));
  }
  check(is_valid_utf8(r.unreadable_summary));
  for (const auto& e : r.errors) check(is_valid_utf8(e.text));
  for (const vigil::Reading& reading : r.readings) {
    check(is_valid_utf8(reading.source) && is_valid_utf8(reading.status));
    const vigil::PhysicalRange range = vigil::physical_range(reading.kind);
    if (!(vigil::is_withdrawal(reading) && std::isnan(reading.value))) {
      check(std::isfinite(reading.value));
      check(reading.value >= range.low && reading.value <= range.high);
    }
    check(reading.bed.empty() && reading.received_at_ms == 0);
    check(reading.source == r.identity.source());
  }

  // The word-at-a-time field splitter must agree with the plain one.
  Message parsed;
  if (parsed.parse(input) == ParseError::None) {
    for (const Segment& s : parsed.segments()) {
      const Fields all(s, parsed.delimiters().field);
      const Fields some(s, parsed.delimiters().field, 1 + size % 20);
      for (std::size_t n = 0; n < Fields::kMaxFields; ++n) {
        check(all[n] == s.field(n));
        check(n >= 1 + size % 20 || some[n] == s.field(n));
      }
    }
  }

  const std::string ack = build_ack(r, 1700000000000, "ACK1");
  check(ack.find('\x0b') == std::string::npos && ack.find('\x1c') == std::string::npos);
  Message m;
  check(m.parse(ack) == ParseError::None);
  const Segment* msa = m.find("MSA");
  check(msa != nullptr);
  check(msa->field(1) == to_string(r.code));
  const Fields msh(m.segments().front(), m.delimiters().field);
  check(msh[10] == "ACK1");
  if (r.ack.control_id.find_first_of("\x0b\x1c") == std::string::npos &&
      r.ack.field_separator == m.delimiters().field) {
    check(msa->field(2) == r.ack.control_id);
  }
  check((m.find("ERR") != nullptr) == (r.code != AckCode::AA || !r.errors.empty()));
  std::size_t err_segments = 0;
  for (const Segment& s : m.segments()) err_segments += s.name() == "ERR";
  check(r.errors.empty() ? err_segments == (r.code != AckCode::AA ? 1u : 0u)
                         : err_segments == r.errors.size());
  return 0;
}
