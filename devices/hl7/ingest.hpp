#pragma once
// One call per received message: what to store and what to answer.
//
//   AA  the message was read: it gave readings, or it carried no vital sign at all (only
//       device-hierarchy rows, empty values, placeholders, codes Vigil knows and does not
//       track). Observations that could not be read beside usable ones are listed in ERR
//       segments of severity W (oru_mapper.hpp says which observations those are), and so
//       is every observation whose OBX-14 did not parse (kept at the fallback time, ERR-2
//       OBX^n^14, 102, the value quoted; in an AE for unreadable observations too);
//   AE  it parses but cannot be used: no MSH-10 (the ACK could not be matched; 101), an
//       ORU/ORF without any OBX (100), observations for more than one chair (several
//       patient groups, or different OBX-18 devices and no PV1-3 location; 100, the text
//       says which: oru_mapper.hpp), or observations that should be vital signs and none
//       could be read (one ERR of severity E per observation, 102/103). Readings are NOT
//       returned with AE (there are none for the last case; senders resend on AE). The
//       unreadable observations ARE returned (`unmapped`, with reasons) so the daemon can
//       log them and raise the "cannot read" technical alarm;
//   AR  not HL7 at all (no MSH, unusable delimiters; 100), an HL7 batch (FHS/BHS first;
//       200: one message per frame is supported), or MSH-9 other than ORU^R01 /
//       ORF^R04 (200, or 201 for ORU/ORF with another event; a bare "ORU"/"ORF" is
//       tolerated), MSH-11 not P/D/T/empty (202), MSH-12 not 2.x/empty (203).
// A UTF-8 byte order mark before MSH is skipped. Whatever the input, `ack` is filled so
// build_ack() gives the sender an answer.
//
// Text: every string in the result except `ack` and `message_type` is UTF-8.
// The message is read in the set MSH-18 names (charset.hpp) and transcoded before it is
// split; bytes invalid there, and bytes a \Xhh\ escape makes that are not UTF-8, become
// U+FFFD and are counted in `replaced_characters`. `ack` keeps the sender's own bytes
// (repaired where invalid in its set) and names that set (`ack.charset`, and
// `ack.declare_charset` when MSH-18 named it): build_ack() writes the whole ACK in it,
// turning our UTF-8 texts (`error_text`, `errors`) into it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/ack_builder.hpp"
#include "hl7/charset.hpp"
#include "hl7/device_identity.hpp"
#include "hl7/message.hpp"
#include "hl7/oru_mapper.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// The outcome of one message.
struct IngestResult {
  AckCode code = AckCode::AA;  // AA if usable; AE/AR with the reason below
  int error_code = 0;          // HL7 table 0357 (0 when AA)
  std::string error_text;
  std::string message_type;  // e.g. "ORU^R01"
  AckContext ack;
  DeviceIdentity identity;
  std::vector<Reading> readings;              // bed empty, received_at_ms 0
  std::vector<UnmappedObservation> unmapped;  // bed empty, received_at_ms 0
  std::size_t empty_observations = 0;         // OBX with empty OBX-5
  bool nibp_failed = false;                   // the monitor reported a failed NIBP (see OruMapping)
  Charset charset = Charset::Utf8;            // the set the message was read in
  bool charset_unknown = false;               // MSH-18 named a set we do not honour
  std::string declared_charset;               // when unknown: MSH-18's first 32 bytes, made UTF-8
  std::size_t replaced_characters = 0;        // invalid bytes turned into U+FFFD
  std::vector<AckError> errors;               // per-observation ERR segments (W in AA, E in AE),
                                              // then one W per unreadable OBX-14
  std::size_t unreadable = 0;                 // observations that could not be read (all)
  std::string unreadable_summary;             // e.g. "OBX-3 101^HR: ..." for the alarm; empty if none
  std::size_t bad_times = 0;                  // observations whose OBX-14 did not parse (all)
};

/// Parses, checks and maps one HL7 message (without MLLP framing). Never throws on input.
IngestResult ingest_message(std::string_view message, const MapOptions& options);

/// The ACK for `result` (not MLLP-wrapped): build_ack() with its code, text and error code.
std::string build_ack(const IngestResult& result, WallMillis now_ms, std::string_view ack_control_id);

}  // namespace vigil::hl7
