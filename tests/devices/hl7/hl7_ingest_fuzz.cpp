// libFuzzer target: ingest_message + build_ack on arbitrary bytes. Checks that every input
// gets an ACK that parses, carries the right MSA-1, echoes the control id and never holds
// an MLLP framing byte; that only AA returns readings; that values are finite; and that
// the fast field splitter (Fields) agrees with Segment::field().

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hl7/ingest.hpp"
#include "hl7/message.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::hl7;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  MapOptions options;
  options.default_utc_offset_minutes = size % 2 ? 60 : 0;
  const IngestResult r = ingest_message(input, options);
  check((r.code == AckCode::AA) == (r.error_code == 0));
  if (r.code != AckCode::AA) check(r.readings.empty() && r.unmapped.empty());
  for (const vigil::Reading& reading : r.readings) {
    check(std::isfinite(reading.value));
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
  check((m.find("ERR") != nullptr) == (r.code != AckCode::AA));
  return 0;
}
