// libFuzzer target: ingest_message + build_ack on arbitrary bytes. Checks that every input
// gets an ACK that parses, carries the right MSA-1, echoes the control id and never holds
// an MLLP framing byte; that only AA returns readings; that values are finite; and that
// the fast field splitter (Fields) agrees with Segment::field(); and that one Ingester, reused
// across every input of the run, answers exactly as ingest_message() (no state leaks from
// one message to the next); that every text the result hands on (identity, readings,
// unmapped rows) is valid UTF-8 whatever MSH-18 says. The observation checks: SN, placeholders, strict numbers,
// physical ranges, LOINC/vendor tables and a site code map (the odd-sized inputs run with
// one that maps "9001"/"SYS" of any source) never yield a reading outside its kind's
// physical range, and the ERR segments match the unreadable observations.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.hpp"
#include "hl7/ingest.hpp"
#include "hl7/mllp_deframer.hpp"
#include "hl7/message.hpp"
#include "hl7/observation_value.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool same_readings(const std::vector<vigil::Reading>& a, const std::vector<vigil::Reading>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const vigil::Reading &x = a[i], &y = b[i];
    const bool same_value = x.value == y.value || (x.value != x.value && y.value != y.value);
    if (x.bed != y.bed || x.kind != y.kind || !same_value || x.measured_at_ms != y.measured_at_ms ||
        x.received_at_ms != y.received_at_ms || x.source != y.source || x.valid != y.valid ||
        x.status != y.status)
      return false;
  }
  return true;
}

bool same_unmapped(const std::vector<vigil::UnmappedObservation>& a,
                   const std::vector<vigil::UnmappedObservation>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const vigil::UnmappedObservation &x = a[i], &y = b[i];
    if (x.bed != y.bed || x.source != y.source || x.code != y.code || x.value != y.value ||
        x.unit != y.unit || x.measured_at_ms != y.measured_at_ms ||
        x.received_at_ms != y.received_at_ms || x.reason != y.reason)
      return false;
  }
  return true;
}

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

  static Ingester plain_ingester({}), offset_ingester(site_options());
  const IngestResult& again = (size % 2 ? offset_ingester : plain_ingester).ingest(input);
  check(again.code == r.code && again.error_code == r.error_code &&
        again.error_text == r.error_text && again.message_type == r.message_type);
  check(again.ack.control_id == r.ack.control_id && again.ack.sending_application == r.ack.sending_application &&
        again.ack.encoding_characters == r.ack.encoding_characters &&
        again.ack.field_separator == r.ack.field_separator &&
        again.ack.trigger_event == r.ack.trigger_event && again.ack.version == r.ack.version);
  check(again.identity.location == r.identity.location &&
        again.identity.location_raw == r.identity.location_raw &&
        again.identity.equipment_id == r.identity.equipment_id &&
        again.identity.sending_application == r.identity.sending_application &&
        again.identity.sending_facility == r.identity.sending_facility);
  check(same_readings(again.readings, r.readings) && same_unmapped(again.unmapped, r.unmapped));
  check(again.empty_observations == r.empty_observations && again.nibp_failed == r.nibp_failed);
  check(again.unreadable == r.unreadable && again.errors.size() == r.errors.size());
  check((r.code == AckCode::AA) == (r.error_code == 0));
  if (r.code != AckCode::AA) check(r.readings.empty());
  // Unreadable observations come back only with AA (beside readings) or the AE that says so.
  if (r.code != AckCode::AA && r.unreadable == 0) check(r.unmapped.empty());
  check(r.errors.size() <= kMaxIssuesPerMessage && r.errors.size() <= r.unreadable);
  check((r.unreadable > 0) == !r.errors.empty());
  if (r.code == AckCode::AA && r.unreadable > 0) check(!r.readings.empty());
  using vigil::is_valid_utf8;
  check(again.charset == r.charset && again.replaced_characters == r.replaced_characters &&
        again.charset_unknown == r.charset_unknown && again.declared_charset == r.declared_charset);
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
    check(std::isfinite(reading.value));
    const PhysicalRange range = physical_range(reading.kind);
    check(reading.value >= range.low && reading.value <= range.high);
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
  std::string framed;
  append_framed_ack(framed, again, 1700000000000, "ACK1");
  check(framed == mllp_wrap(ack));
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
  check(r.errors.empty() ? err_segments == (r.code != AckCode::AA ? 1u : 0u) : err_segments == r.errors.size());
  return 0;
}
