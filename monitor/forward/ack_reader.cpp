#include "forward/ack_reader.hpp"

#include "hl7/escaping.hpp"
#include "hl7/message.hpp"

namespace vigil::forward {

std::optional<AckInfo> read_ack(std::string_view text) {
  hl7::Message message;
  if (message.parse(text) != hl7::ParseError::None) return std::nullopt;
  const hl7::Segment* msa = message.find("MSA");
  if (msa == nullptr) return std::nullopt;
  const hl7::Delimiters& d = message.delimiters();
  const hl7::Fields fields(*msa, d.field, 4);
  AckInfo info;
  info.code = std::string(fields[1]);
  if (info.code == "AA" || info.code == "CA")
    info.verdict = AckVerdict::Accepted;
  else if (info.code == "AE" || info.code == "CE")
    info.verdict = AckVerdict::Error;
  else if (info.code == "AR" || info.code == "CR")
    info.verdict = AckVerdict::Reject;
  else
    return std::nullopt;
  info.control_id = hl7::unescape(fields[2], d);
  info.text = hl7::unescape(fields[3], d);
  if (info.text.empty()) {
    // ERR-8 user message, else ERR-7 diagnostic information (where Vigil's own ACKs put it).
    if (const hl7::Segment* err = message.find("ERR")) {
      info.text = hl7::unescape(err->field(8), d);
      if (info.text.empty()) info.text = hl7::unescape(err->field(7), d);
    }
  }
  return info;
}

}  // namespace vigil::forward
