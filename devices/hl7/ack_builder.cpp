#include "hl7/ack_builder.hpp"

#include "hl7/escaping.hpp"
#include "hl7/hl7_time.hpp"
#include "hl7/message.hpp"

namespace vigil::hl7 {
namespace {

// Echoed wire text cannot hold the field separator or line/MLLP control bytes if it came
// from ingest_message(); a hand-made context might, and one stray CR would split the ACK.
bool unsafe_byte(char c, char field_sep) {
  return c == field_sep ||
         (static_cast<unsigned char>(c) <= 0x1C && (c == '\r' || c == '\n' || c == 0x0B || c == 0x1C));
}

void append_field(std::string& out, std::string_view raw, char field_sep) {
  bool clean = true;
  for (char c : raw) clean &= !unsafe_byte(c, field_sep);
  if (clean) {
    out.append(raw.data(), raw.size());  // the usual case: one copy, not a push per byte
    return;
  }
  for (char c : raw) out.push_back(unsafe_byte(c, field_sep) ? ' ' : c);
}

// Our words are UTF-8; the ACK is in the sender's set. ASCII is the same in every set, so
// the usual text goes through untouched.
std::string_view in_set(std::string_view utf8, Charset charset, std::string& scratch) {
  if (is_ascii(utf8)) return utf8;
  scratch.clear();
  transcode_from_utf8(utf8, charset, scratch);
  return scratch;
}

}  // namespace

std::string_view to_string(AckCode code) {
  switch (code) {
    case AckCode::AA: return "AA";
    case AckCode::AE: return "AE";
    case AckCode::AR: return "AR";
    case AckCode::CA: return "CA";
    case AckCode::CE: return "CE";
    case AckCode::CR: return "CR";
  }
  return "AR";
}

AckCode commit_code(AckCode application) {
  switch (application) {
    case AckCode::AA:
    case AckCode::CA: return AckCode::CA;
    case AckCode::AE:
    case AckCode::CE: return AckCode::CE;
    case AckCode::AR:
    case AckCode::CR: return AckCode::CR;
  }
  return AckCode::CR;
}

AckCondition parse_ack_condition(std::string_view field) {
  if (field == "AL") return AckCondition::Always;
  if (field == "NE") return AckCondition::Never;
  if (field == "ER") return AckCondition::ErrorOnly;
  if (field == "SU") return AckCondition::SuccessOnly;
  return AckCondition::Unset;
}

namespace {

bool wanted(AckCondition condition, bool success, bool when_unset) {
  switch (condition) {
    case AckCondition::Unset: return when_unset;
    case AckCondition::Always: return true;
    case AckCondition::Never: return false;
    case AckCondition::ErrorOnly: return !success;
    case AckCondition::SuccessOnly: return success;
  }
  return when_unset;
}

}  // namespace

AckPlan plan_acks(const AckContext& ctx, AckCode application) {
  if (ctx.accept_ack == AckCondition::Unset && ctx.application_ack == AckCondition::Unset) return {};
  const bool success = application == AckCode::AA || application == AckCode::CA;
  return {wanted(ctx.accept_ack, success, false), wanted(ctx.application_ack, success, true)};
}

std::string_view error_code_text(int code) {
  switch (code) {
    case err::kSegmentSequence: return "Segment sequence error";
    case err::kRequiredFieldMissing: return "Required field missing";
    case err::kDataTypeError: return "Data type error";
    case err::kTableValueNotFound: return "Table value not found";
    case err::kUnsupportedMessageType: return "Unsupported message type";
    case err::kUnsupportedEvent: return "Unsupported event code";
    case err::kUnsupportedProcessingId: return "Unsupported processing id";
    case err::kUnsupportedVersion: return "Unsupported version id";
    case 207: return "Application internal error";
    default: return "";
  }
}

std::string build_ack(const AckContext& ctx, AckCode code, std::string_view text, int error_code,
                      WallMillis now_ms, std::string_view ack_control_id,
                      const std::vector<AckError>* errors) {
  std::string out;
  out.reserve(256 + text.size() * 2);
  append_ack(out, ctx, code, text, error_code, now_ms, ack_control_id, errors);
  return out;
}

void append_ack(std::string& out, const AckContext& ctx, AckCode code, std::string_view text, int error_code,
                WallMillis now_ms, std::string_view ack_control_id, const std::vector<AckError>* errors) {
  Delimiters d;
  std::string_view encoding = ctx.encoding_characters;
  {
    // "MSH" + separator + encoding characters, checked as the parser would check them.
    // Longer than 5 encoding characters is never valid, so a fixed buffer is enough.
    char probe[3 + 1 + 5];
    std::string_view read_encoding;
    bool ok = ctx.encoding_characters.size() <= 5;
    if (ok) {
      probe[0] = 'M';
      probe[1] = 'S';
      probe[2] = 'H';
      probe[3] = ctx.field_separator;
      ctx.encoding_characters.copy(probe + 4, ctx.encoding_characters.size());
      ok = read_delimiters(std::string_view(probe, 4 + ctx.encoding_characters.size()), d, read_encoding) ==
               ParseError::None &&
           read_encoding.size() == ctx.encoding_characters.size();
    }
    if (!ok) {
      d = Delimiters{};
      encoding = "^~\\&";
    }
  }
  const char f = d.field;
  out += "MSH";
  out.push_back(f);
  out += encoding;
  for (const std::string* s : {&ctx.receiving_application, &ctx.receiving_facility, &ctx.sending_application,
                               &ctx.sending_facility}) {
    out.push_back(f);
    append_field(out, *s, f);
  }
  out.push_back(f);
  append_hl7_time(out, now_ms);
  out.push_back(f);
  out.push_back(f);
  if (d.component != f) {
    out += "ACK";
    out.push_back(d.component);
    append_field(out, ctx.trigger_event.empty() ? std::string_view("R01") : ctx.trigger_event, f);
    out.push_back(d.component);
    out += "ACK";
  } else {
    out += "ACK";  // no component separator to write ACK^R01^ACK with
  }
  out.push_back(f);
  append_field(out, ack_control_id, f);
  out.push_back(f);
  append_field(out, ctx.processing_id.empty() ? std::string_view("P") : ctx.processing_id, f);
  out.push_back(f);
  append_field(out, ctx.version.empty() ? std::string_view("2.6") : ctx.version, f);
  if (ctx.declare_charset) {
    out.append(6, f);  // MSH-13..17 empty
    out += escape(to_string(ctx.charset), d);
  }
  out.push_back('\r');

  std::string scratch;
  const std::string escaped_text = escape(in_set(text, ctx.charset, scratch), d);
  out += "MSA";
  out.push_back(f);
  out += to_string(code);
  out.push_back(f);
  append_field(out, ctx.control_id, f);
  out.push_back(f);
  out += escaped_text;
  out.push_back('\r');

  if (errors != nullptr && !errors->empty()) {
    for (const AckError& e : *errors) {
      out += "ERR";
      out.append(2, f);
      if (d.component != f) {
        append_field(out, e.segment, f);
        out.push_back(d.component);
        out += std::to_string(e.sequence);
        out.push_back(d.component);
        out += std::to_string(e.field);
      }
      out.push_back(f);
      out += std::to_string(e.code);
      const std::string_view meaning = error_code_text(e.code);
      if (d.component != f && !meaning.empty()) {
        out.push_back(d.component);
        out += escape(meaning, d);
        out.push_back(d.component);
        out += "HL70357";
      }
      out.push_back(f);
      out.push_back(e.severity == 'W' ? 'W' : 'E');
      out.append(3, f);
      out += escape(in_set(e.text, ctx.charset, scratch), d);
      out.push_back('\r');
    }
    return;
  }
  if (code != AckCode::AA && code != AckCode::CA) {
    out += "ERR";
    out.append(3, f);
    out += std::to_string(error_code);
    out.push_back(f);
    out.push_back('E');
    out.append(3, f);
    out += escaped_text;
    out.push_back('\r');
  }
}

}  // namespace vigil::hl7
