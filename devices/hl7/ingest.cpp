#include "hl7/ingest.hpp"

#include "hl7/message.hpp"

namespace vigil::hl7 {
namespace {

void reject(IngestResult& r, AckCode code, int error_code, std::string text) {
  r.code = code;
  r.error_code = error_code;
  r.error_text = std::move(text);
}

std::string_view parse_error_text(ParseError e) {
  switch (e) {
    case ParseError::Empty: return "Empty message";
    case ParseError::NoMsh: return "Not an HL7 message: no MSH segment";
    case ParseError::BadDelimiters: return "Unreadable MSH-1/MSH-2 delimiters";
    case ParseError::None: break;
  }
  return "";
}

// Fills the ACK context and message type from MSH. Returns false (with `r` rejected) when
// MSH-9/11/12 say we cannot take this message.
bool read_header(const Message& m, IngestResult& r) {
  const Delimiters& d = m.delimiters();
  const Fields msh(m.segments().front(), d.field, 13);  // up to MSH-12
  AckContext& a = r.ack;
  a.field_separator = d.field;
  a.encoding_characters = std::string(m.encoding_characters());
  a.sending_application = std::string(msh[3]);
  a.sending_facility = std::string(msh[4]);
  a.receiving_application = std::string(msh[5]);
  a.receiving_facility = std::string(msh[6]);
  a.control_id = std::string(msh[10]);
  a.trigger_event = std::string(component(msh[9], 2, d));
  a.processing_id = std::string(msh[11]);
  a.version = std::string(msh[12]);

  const std::string type = unescape(component(msh[9], 1, d), d);
  const std::string event = unescape(component(msh[9], 2, d), d);
  r.message_type = event.empty() ? type : type + "^" + event;
  if (type != "ORU" && type != "ORF") {
    reject(r, AckCode::AR, err::kUnsupportedMessageType,
           "Unsupported message type " + r.message_type);
    return false;
  }
  // An empty event is tolerated: pre-2.3 senders wrote MSH-9 as the bare type.
  if (!((type == "ORU" && (event == "R01" || event.empty())) ||
        (type == "ORF" && (event == "R04" || event.empty())))) {
    reject(r, AckCode::AR, err::kUnsupportedEvent, "Unsupported event " + r.message_type);
    return false;
  }
  const std::string_view processing = component(msh[11], 1, d);
  if (!(processing.empty() || processing == "P" || processing == "D" || processing == "T")) {
    reject(r, AckCode::AR, err::kUnsupportedProcessingId,
           "Unsupported processing id " + unescape(processing, d));
    return false;
  }
  const std::string_view version = component(msh[12], 1, d);
  if (!(version.empty() || (version.size() >= 3 && version.substr(0, 2) == "2."))) {
    reject(r, AckCode::AR, err::kUnsupportedVersion,
           "Unsupported version " + unescape(version, d));
    return false;
  }
  return true;
}

}  // namespace

IngestResult ingest_message(std::string_view message, const MapOptions& options) {
  IngestResult r;
  Message m;
  const ParseError perr = m.parse(message);
  if (perr != ParseError::None) {
    // Default separators and an empty MSA-2: the sender still gets an answer.
    reject(r, AckCode::AR, err::kSegmentSequence, std::string(parse_error_text(perr)));
    return r;
  }
  const bool accepted = read_header(m, r);
  OruMapping mapped;
  map_observations(m, options, mapped);
  r.identity = std::move(mapped.identity);
  if (!accepted) return r;
  if (r.ack.control_id.empty()) {
    reject(r, AckCode::AE, err::kRequiredFieldMissing, "Missing required field MSH-10");
    return r;
  }
  if (mapped.observation_segments == 0) {
    reject(r, AckCode::AE, err::kSegmentSequence, "No OBX segment");
    return r;
  }
  r.readings = std::move(mapped.readings);
  r.unmapped = std::move(mapped.unmapped);
  r.empty_observations = mapped.empty_observations;
  r.nibp_failed = mapped.nibp_failed;
  return r;
}

std::string build_ack(const IngestResult& result, WallMillis now_ms,
                      std::string_view ack_control_id) {
  return build_ack(result.ack, result.code, result.error_text, result.error_code, now_ms,
                   ack_control_id);
}

}  // namespace vigil::hl7
