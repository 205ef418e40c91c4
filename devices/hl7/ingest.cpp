#include "hl7/ingest.hpp"

#include "text/utf8.hpp"

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

// Windows tools and some gateways write one before MSH; it is not part of the message.
constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// An HL7 batch (FHS/BHS header, MSH inside, BTS/FTS trailer): it is HL7, just not one
// message per frame, and "no MSH segment" would send its engineer looking for the wrong fault.
bool starts_a_batch(std::string_view message) {
  const std::size_t first = message.find_first_not_of("\r\n");
  if (first == std::string_view::npos) return false;
  const std::string_view id = message.substr(first, 3);
  return id == "FHS" || id == "BHS";
}

// Resets `r` for a new message, keeping the storage of its strings and vectors.
void reset(IngestResult& r) {
  r.code = AckCode::AA;
  r.error_code = 0;
  r.error_text.clear();
  r.message_type.clear();
  AckContext& a = r.ack;
  a.field_separator = '|';
  assign_text(a.encoding_characters, "^~\\&");
  for (std::string* s :
       {&a.sending_application, &a.sending_facility, &a.receiving_application, &a.receiving_facility,
        &a.control_id, &a.trigger_event, &a.processing_id, &a.version}) {
    s->clear();
  }
  a.accept_ack = AckCondition::Unset;
  a.application_ack = AckCondition::Unset;
  a.charset = Charset::Utf8;
  a.declare_charset = false;
  clear_identity(r.identity);
  r.empty_observations = 0;
  r.nibp_failed = false;
  r.charset = Charset::Utf8;
  r.charset_unknown = false;
  r.declared_charset.clear();
  r.replaced_characters = 0;
  r.errors.clear();
  r.unreadable = 0;
  r.unreadable_summary.clear();
  r.bad_times = 0;
}

// Picks the message's character set from MSH-18 (`msh18`, a view into the raw message)
// and, when its text is not UTF-8 already, transcodes it into `scratch` and parses that
// instead (same segments and fields: see charset.hpp). `ascii` is is_ascii(message).
// Returns false if the transcoded text does not parse (cannot happen).
bool read_as_utf8(std::string_view message, bool ascii, std::string_view msh18, Message& m, IngestResult& r,
                  std::string& scratch) {
  const Delimiters& d = m.delimiters();
  const CharsetRequest request = charset_request(msh18, d.repetition);
  if (request.unknown) {
    r.charset_unknown = true;
    r.declared_charset.clear();
    append_valid_utf8(r.declared_charset, msh18.substr(0, 32));
  }
  // The ACK answers in the set the message was read in, and names it only where the sender
  // named it: a message without MSH-18 gets an ACK without one, as before.
  r.ack.declare_charset = !request.automatic;
  r.charset = r.ack.charset =
      ascii ? (request.automatic ? Charset::Utf8 : request.charset) : resolve_charset(request, message);
  // \Xhh\ escapes carry bytes of the message's set too: in a single-byte set they are
  // rewritten as UTF-8 before the text is split (charset.hpp, transcode_hex_escapes).
  const char hex_escape[] = {d.escape, 'X'};
  const bool hex_in_set =
      r.charset != Charset::Utf8 && message.find(std::string_view(hex_escape, 2)) != std::string_view::npos;
  // An automatic request resolves to UTF-8 only for valid UTF-8.
  const bool as_is = ascii || (r.charset == Charset::Utf8 && (request.automatic || is_valid_utf8(message)));
  if (as_is && !hex_in_set) return true;
  std::string_view text = message;
  if (!as_is) {
    scratch.clear();
    r.replaced_characters += transcode_to_utf8(message, r.charset, scratch);
  }
  if (hex_in_set) {
    std::string utf8;
    if (!as_is) {
      utf8.swap(scratch);
      text = utf8;
    }
    scratch.clear();
    r.replaced_characters += transcode_hex_escapes(text, r.charset, d.escape, scratch);
  }
  return m.parse(scratch) == ParseError::None;
}

// The ACK echoes the sender's names back in the set the message was read in, so they must
// be valid in it: a message declared UTF-8 (or ASCII, or 8859/15) whose MSH-3..6 carry bytes
// invalid there would otherwise get them back, and an ACK is text like any other. Invalid
// bytes go back as U+FFFD in UTF-8, '?' elsewhere (as build_ack writes what a set cannot
// hold). MSH-10 is echoed byte for byte in MSA-2 all the same: the sender matches its ACK
// by it.
void keep_echo_valid(AckContext& a, Charset charset) {
  std::string utf8;
  for (std::string* s :
       {&a.sending_application, &a.sending_facility, &a.receiving_application, &a.receiving_facility}) {
    if (charset == Charset::Utf8) {
      make_valid_utf8(*s);
      continue;
    }
    utf8.clear();
    if (transcode_to_utf8(*s, charset, utf8) == 0) continue;  // valid in the set: as sent
    s->clear();
    transcode_from_utf8(utf8, charset, *s);
  }
}

// A refusal quotes MSH-9/11/12 as the sender wrote them, in its set: made UTF-8 like every
// other text of the result (build_ack writes it back in the sender's set).
void error_text_to_utf8(IngestResult& r) {
  if (is_ascii(r.error_text)) return;
  std::string utf8;
  transcode_to_utf8(r.error_text, r.charset, utf8);
  r.error_text = std::move(utf8);
}

// \Xhh\ escapes can produce any byte after unescaping: the last check before the text leaves
// the codec.
std::size_t repair_text(OruMapping& mapped) {
  std::size_t n = 0;
  DeviceIdentity& id = mapped.identity;
  for (std::string* s :
       {&id.location, &id.location_raw, &id.equipment_id, &id.sending_application, &id.sending_facility}) {
    n += make_valid_utf8(*s);
  }
  for (Reading& reading : mapped.readings) {
    n += make_valid_utf8(reading.source) + make_valid_utf8(reading.status);
  }
  for (UnmappedObservation& u : mapped.unmapped) {
    n += make_valid_utf8(u.source) + make_valid_utf8(u.code) + make_valid_utf8(u.value) +
         make_valid_utf8(u.unit) + make_valid_utf8(u.reason);
  }
  // The issues quote OBX-3 and OBX-5: they reach the alarm text, a protobuf string.
  for (ObservationIssue& i : mapped.issues) n += make_valid_utf8(i.code) + make_valid_utf8(i.reason);
  for (ObservationIssue& i : mapped.time_warnings) n += make_valid_utf8(i.code) + make_valid_utf8(i.reason);
  n += make_valid_utf8(mapped.not_one_chair);  // quotes PV1-3 / OBX-18; logged by the daemon
  return n;
}

// One ERR per issue kept (the list is bounded), the last one counting those left out.
void add_errors(const std::vector<ObservationIssue>& issues, std::size_t total, char severity,
                std::string_view more, IngestResult& r) {
  for (const ObservationIssue& i : issues) {
    AckError& e = r.errors.emplace_back();
    e.sequence = i.obx;
    e.field = i.field;
    e.code = i.error_code;
    e.severity = severity;
    e.text = i.reason;
  }
  if (total > issues.size() && !r.errors.empty())
    r.errors.back().text +=
        " (and " + std::to_string(total - issues.size()) + " more " + std::string(more) + ")";
}

// The ERR segments and the alarm's one-line summary for the observations not read.
void describe_issues(const OruMapping& mapped, bool fatal, IngestResult& r) {
  r.unreadable = mapped.issues_total;
  add_errors(mapped.issues, mapped.issues_total, fatal ? 'E' : 'W', "observations not read", r);
  if (!mapped.issues.empty()) {
    const ObservationIssue& first = mapped.issues.front();
    r.unreadable_summary = "OBX-3 " + first.code;
    if (first.field != 3) r.unreadable_summary += " (" + first.reason + ")";
    if (mapped.issues_total > 1) {
      r.unreadable_summary += " and " + std::to_string(mapped.issues_total - 1) + " more";
    }
  }
}

// One ERR of severity W per observation kept at a fallback time (after the issues' ERRs):
// whatever the answer, the sender's engineer sees which OBX-14 we could not read.
void describe_time_warnings(const OruMapping& mapped, IngestResult& r) {
  r.bad_times = mapped.time_warnings_total;
  add_errors(mapped.time_warnings, mapped.time_warnings_total, 'W', "observations with an unreadable OBX-14",
             r);
}

// One ERR of severity W about an MSH field, appended after the observations' ERRs.
AckError& msh_warning(IngestResult& r, int field, int code) {
  AckError& e = r.errors.emplace_back();
  e.segment = "MSH";
  e.sequence = 1;
  e.field = field;
  e.code = code;
  e.severity = 'W';
  return e;
}

// One ERR of severity W for text that was not valid in the message's character set: the
// names and labels were stored with U+FFFD in place of those bytes, so a chair may be named
// otherwise than the sender's engineer configured it. Before, only vigild's log said so.
void describe_replaced_text(IngestResult& r) {
  if (r.replaced_characters == 0 && !r.charset_unknown) return;
  AckError& e = msh_warning(r, 18, err::kDataTypeError);
  const std::string set(to_string(r.charset));
  if (r.charset_unknown) {
    e.text = "MSH-18 '" + r.declared_charset + "' is not a character set Vigil reads; read as " + set;
    if (r.replaced_characters > 0) e.text += "; ";
  }
  if (r.replaced_characters > 0) {
    e.text += std::to_string(r.replaced_characters) + " byte(s) not valid in " + set +
              ", stored as U+FFFD (names and labels may differ from what was sent)";
  }
}

// A component compared as text: unescaped only when it holds the escape character (a
// message type never does in practice, so this is a view into the message).
std::string_view plain(std::string_view text, const Delimiters& d, std::string& scratch) {
  if (!needs_unescape(text, d)) return text;
  assign_unescaped(scratch, text, d);
  return scratch;
}

// Fills the ACK context and message type from MSH. Returns false (with `r` rejected) when
// MSH-9/11/12 say we cannot take this message.
bool read_header(const Message& m, IngestResult& r, std::string_view& msh18) {
  const Delimiters& d = m.delimiters();
  const Fields msh(m.segments().front(), d.field, 19);  // up to MSH-18
  msh18 = msh[18];
  AckContext& a = r.ack;
  a.field_separator = d.field;
  assign_text(a.encoding_characters, m.encoding_characters());
  assign_text(a.sending_application, msh[3]);
  assign_text(a.sending_facility, msh[4]);
  assign_text(a.receiving_application, msh[5]);
  assign_text(a.receiving_facility, msh[6]);
  assign_text(a.control_id, msh[10]);
  std::string_view msh9[2];  // message type ^ trigger event (^ structure, not read)
  split(repetition(msh[9], 1, d), d.component, msh9, 2);
  assign_text(a.trigger_event, msh9[1]);
  assign_text(a.processing_id, msh[11]);
  assign_text(a.version, msh[12]);
  a.accept_ack = parse_ack_condition(msh[15]);
  a.application_ack = parse_ack_condition(msh[16]);

  std::string type_scratch, event_scratch;  // used only for escaped text
  const std::string_view type = plain(msh9[0], d, type_scratch);
  const std::string_view event = plain(msh9[1], d, event_scratch);
  assign_text(r.message_type, type);
  if (!event.empty()) {
    r.message_type.push_back('^');
    r.message_type.append(event);
  }
  if (type != "ORU" && type != "ORF") {
    reject(r, AckCode::AR, err::kUnsupportedMessageType, "Unsupported message type " + r.message_type);
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
    reject(r, AckCode::AR, err::kUnsupportedVersion, "Unsupported version " + unescape(version, d));
    return false;
  }
  return true;
}

// MSH-11 D (debugging) or T (training): a monitor in demo or service mode, whose numbers are
// no patient's. Accepted (the monitor must not queue them forever) and stored as not valid,
// as IntelliVue's demo data is, so no rule judges them and every face marks them; the ACK
// says why. A withdrawal keeps its status: it still takes a value back.
void mark_not_production(std::string_view processing, OruMapping& mapped, IngestResult& r) {
  if (processing != "D" && processing != "T") return;
  const std::string status = "MSH-11 " + std::string(processing);
  std::size_t marked = 0;
  for (Reading& reading : mapped.readings) {
    if (is_withdrawal(reading)) continue;
    reading.valid = false;
    reading.status = status;
    ++marked;
  }
  if (marked == 0) return;
  msh_warning(r, 11, err::kUnsupportedProcessingId).text =
      status + (processing == "D" ? " (debugging" : " (training") +
      "): the monitor is not in production mode; its values are stored as not valid, not as the patient's";
}

// `m`, `mapped` and `utf8` are scratch; `r` is reset here. Readings are swapped (not copied) from `mapped`
// into `r`.
void ingest_into(std::string_view message, const MapOptions& options, Message& m, OruMapping& mapped,
                 IngestResult& r, std::string& utf8) {
  reset(r);
  if (message.starts_with(kUtf8ByteOrderMark)) message.remove_prefix(kUtf8ByteOrderMark.size());
  const ParseError perr = m.parse(message);
  if (perr != ParseError::None) {
    // Default separators and an empty MSA-2: the sender still gets an answer.
    if (perr == ParseError::NoMsh && starts_a_batch(message)) {
      reject(r, AckCode::AR, err::kUnsupportedMessageType,
             "HL7 batch (FHS/BHS) is not supported; send one message per MLLP frame");
    } else {
      reject(r, AckCode::AR, err::kSegmentSequence, std::string(parse_error_text(perr)));
    }
    r.readings.clear();
    r.unmapped.clear();
    return;
  }
  // The header is read from the sender's bytes: the ACK echoes them back to it.
  std::string_view msh18;
  const bool accepted = read_header(m, r, msh18);
  const bool ascii = is_ascii(message);
  if (!read_as_utf8(message, ascii, msh18, m, r, utf8)) {
    reject(r, AckCode::AR, err::kSegmentSequence, "Unreadable text encoding");
    r.readings.clear();
    r.unmapped.clear();
    return;
  }
  if (!ascii) keep_echo_valid(r.ack, r.charset);
  if (!accepted) error_text_to_utf8(r);  // a \Xhh\ escape can make any byte, even in ASCII
  map_observations_reusing(m, options, mapped);
  // Only a non-ASCII message or a \Xhh\ escape can have made text that is not UTF-8 (the
  // common case, plain ASCII, skips the per-string checks).
  const char hex_escape[] = {m.delimiters().escape, 'X'};
  if (!ascii || message.find(std::string_view(hex_escape, 2)) != std::string_view::npos) {
    r.replaced_characters += repair_text(mapped);
  }
  std::swap(r.identity, mapped.identity);
  if (accepted && r.ack.control_id.empty()) {
    reject(r, AckCode::AE, err::kRequiredFieldMissing, "Missing required field MSH-10");
  } else if (accepted && mapped.observation_segments == 0) {
    reject(r, AckCode::AE, err::kSegmentSequence, "No OBX segment");
  } else if (accepted && !mapped.not_one_chair.empty()) {
    // The daemon puts a message on one chair: storing part of it, or all of it on the first
    // group's chair, would show another patient's numbers there. Nothing is stored.
    reject(r, AckCode::AE, err::kSegmentSequence, mapped.not_one_chair);
  } else if (accepted && mapped.readings.empty() && mapped.issues_total > 0) {
    // Vital signs were sent and none could be read: the sender must hear it (AE), and the
    // daemon still logs what came (unmapped, with reasons) and raises the alarm.
    describe_issues(mapped, true, r);
    reject(r, AckCode::AE, r.errors.empty() ? err::kDataTypeError : r.errors.front().code,
           "no observation could be read: " + r.unreadable_summary);
    describe_time_warnings(mapped, r);
    describe_replaced_text(r);
    r.readings.clear();
    std::swap(r.unmapped, mapped.unmapped);
    r.empty_observations = mapped.empty_observations;
    return;
  } else if (accepted) {
    describe_issues(mapped, false, r);
    describe_time_warnings(mapped, r);
    describe_replaced_text(r);
    mark_not_production(component(r.ack.processing_id, 1, m.delimiters()), mapped, r);
    std::swap(r.readings, mapped.readings);
    std::swap(r.unmapped, mapped.unmapped);
    r.empty_observations = mapped.empty_observations;
    r.nibp_failed = mapped.nibp_failed;
    return;
  }
  r.readings.clear();
  r.unmapped.clear();
}

}  // namespace

IngestResult ingest_message(std::string_view message, const MapOptions& options) {
  IngestResult r;
  Message m;
  OruMapping mapped;
  std::string utf8;
  ingest_into(message, options, m, mapped, r, utf8);
  return r;
}

std::string build_ack(const IngestResult& result, WallMillis now_ms, std::string_view ack_control_id) {
  return build_ack(result.ack, result.code, result.error_text, result.error_code, now_ms, ack_control_id,
                   &result.errors);
}

}  // namespace vigil::hl7
