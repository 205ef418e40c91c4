#pragma once
// HL7 acknowledgements: MSH + MSA (+ ERR when not AA/CA). Original mode (MSH-15 and MSH-16
// empty): one application ACK, AA/AE/AR. Enhanced mode (either valued): a commit ACK
// (CA/CE/CR: "safely stored", table 0008) as MSH-15 asks and an application ACK as MSH-16
// asks, both after the commit; plan_acks() says which.
//
//   MSH|^~\&|<recv app>|<recv fac>|<send app>|<send fac>|<now>||ACK^<trigger>^ACK|<ack id>|
//       <MSH-11 or P>|<MSH-12 or 2.6>[||||||<MSH-18>]
//   MSA|<AA/AE/AR>|<received MSH-10>|<text>
//   ERR|||<table 0357 code>|E|||<text>          (AE and AR without observation errors)
//   ERR||OBX^<n>^<field>|<code>^<text>^HL70357|<E or W>|||<reason>   (one per observation
//       that could not be read: severity E in an AE, W in an AA that stored the rest)
//
// Sender and receiver are swapped, separators are the received ones. The whole ACK is in the
// character set of the message it answers (AckContext::charset): a sender that wrote
// 8859/1 reads its ACK as 8859/1, and an ACK mixing sets would garble our error text on its
// screen. The echoed fields arrive in that set already; our words (UTF-8) are written into
// it, a character it cannot hold as '?'. MSH-18 names the set when the sender named it.
// The builder never fails: bad separators fall back to |^~\& and control characters in
// echoed fields are blanked, so the ACK always parses and never breaks MLLP framing.

#include <string>
#include <string_view>
#include <vector>

#include "hl7/charset.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// MSA-1 acknowledgement codes: application (original mode and MSH-16) and commit (MSH-15).
enum class AckCode { AA, AE, AR, CA, CE, CR };

/// "AA", "AE", "AR", "CA", "CE", "CR".
std::string_view to_string(AckCode code);

/// The commit code for an application outcome: AA -> CA, AE -> CE, AR -> CR.
AckCode commit_code(AckCode application);

/// MSH-15 / MSH-16 (table 0155). Unset: the field was empty.
enum class AckCondition { Unset, Always, Never, ErrorOnly, SuccessOnly };

/// "AL" -> Always, "NE" -> Never, "ER" -> ErrorOnly, "SU" -> SuccessOnly; anything else
/// (empty, unknown) -> Unset.
AckCondition parse_ack_condition(std::string_view field);

/// Everything build_ack needs from the received message. The strings are wire text as
/// received (still escaped, in `charset`) and are echoed verbatim. The daemon may fill
/// receiving_application / receiving_facility with its own name when the sender left
/// MSH-5/MSH-6 empty.
struct AckContext {
  char field_separator = '|';
  std::string encoding_characters = "^~\\&";
  std::string sending_application, sending_facility, receiving_application, receiving_facility;
  std::string control_id;                              // received MSH-10
  std::string trigger_event;                           // from MSH-9.2, e.g. "R01"
  std::string processing_id;                           // MSH-11
  std::string version;                                 // MSH-12
  AckCondition accept_ack = AckCondition::Unset;       // MSH-15
  AckCondition application_ack = AckCondition::Unset;  // MSH-16
  Charset charset = Charset::Utf8;                     // the set the message was read in
  bool declare_charset = false;                        // write it in MSH-18: the sender named it there
};

/// Which acknowledgements a message with outcome `application` gets.
///   MSH-15, MSH-16 both empty (original mode)  -> the application ACK only
///   enhanced mode: the commit ACK when MSH-15 is AL, ER on an error, SU on success (empty:
///   none, as in original mode); the application ACK when MSH-16 is AL, ER on an error, SU on
///   success, or empty (the original default). NE/NE: nothing at all, as the sender asked.
/// IHE PCD-01 senders use NE/AL: one AA, as before.
struct AckPlan {
  bool commit = false;
  bool application = true;
};
AckPlan plan_acks(const AckContext& ctx, AckCode application);

/// One ERR segment about one field of one segment (ERR-2 location, ERR-3, ERR-4, ERR-7).
struct AckError {
  std::string segment = "OBX";  // ERR-2.1
  std::size_t sequence = 0;     // ERR-2.2: the segment's position among those of its name
  int field = 0;                // ERR-2.3
  int code = 0;                 // ERR-3 (table 0357)
  char severity = 'E';          // ERR-4: E error, W warning
  std::string text;             // ERR-7, our words (escaped when written)
};

/// The text HL7 table 0357 gives a code ("Data type error" ...); empty if not ours.
std::string_view error_code_text(int code);

/// HL7 table 0357 codes we use.
namespace err {
inline constexpr int kSegmentSequence = 100;
inline constexpr int kRequiredFieldMissing = 101;
inline constexpr int kDataTypeError = 102;
inline constexpr int kTableValueNotFound = 103;
inline constexpr int kUnsupportedMessageType = 200;
inline constexpr int kUnsupportedEvent = 201;
inline constexpr int kUnsupportedProcessingId = 202;
inline constexpr int kUnsupportedVersion = 203;
}  // namespace err

/// The ACK message (not MLLP-wrapped), segments ending in CR. `now_ms` stamps MSH-7 (UTC,
/// "+0000"), `ack_control_id` is the ACK's own MSH-10. `text` (our words in UTF-8, written
/// in ctx.charset and escaped here) goes to MSA-3 and, with `error_code`, to ERR when `code`
/// is not AA; AckError::text is UTF-8 too.
std::string build_ack(const AckContext& ctx, AckCode code, std::string_view text, int error_code,
                      WallMillis now_ms, std::string_view ack_control_id,
                      const std::vector<AckError>* errors = nullptr);

/// build_ack() appended to `out`: a caller reusing one buffer allocates nothing for an AA.
/// With `errors`, one ERR per entry replaces the generic ERR (and is written for AA too).
void append_ack(std::string& out, const AckContext& ctx, AckCode code, std::string_view text, int error_code,
                WallMillis now_ms, std::string_view ack_control_id,
                const std::vector<AckError>* errors = nullptr);

}  // namespace vigil::hl7
