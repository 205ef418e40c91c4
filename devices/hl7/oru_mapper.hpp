#pragma once
// Turns the OBX rows of an ORU^R01 / ORF^R04 into readings.
//
// Per OBX: empty OBX-5 -> counted, nothing stored. A vital code (site code map, then
// mdc_codes.hpp / vendor_codes.hpp) with OBX-2 NM, SN, ST or empty, an exact number
// (observation_value.hpp), a unit that fits (OBX-6, else the one the site map or vendor
// table implies) and a value inside the kind's physical range -> Reading in canonical units.
// Everything else is kept verbatim as an UnmappedObservation with the reason, and is one of:
//   - no value: a vendor placeholder (-999, ***); counted like an empty OBX-5;
//   - known, not tracked: a standard code (MDC, LOINC, MDIL, SNOMED) or known vendor code
//     Vigil does not chart, device-hierarchy rows, text observations under unknown codes,
//     and codes a site's code_map entry marks `ignore` (reason "ignored: ...");
//   - unreadable (an ObservationIssue, reported in the ACK's ERR segments): a vital code
//     whose value or unit cannot be used, or an unknown local code carrying a number (an
//     MDC code under another coding system is one: its reason says so).
// Time: OBX-14, else the OBR-7 of the OBR above it, else MSH-7, else 0. An OBX-14 that is
// sent and does not parse falls back the same way and is reported in `time_warnings` (ERR
// severity W in the ACK): the value is still good, only its time is not the monitor's.
// One chair per message (one_chair_check.hpp): a second patient group, or different OBX-18
// devices when no PV1-3 names the place, is reported in `not_one_chair`.
// OBX-11 F/R/C/P/S/blank is a valid value; any other status still gives a Reading, with
// valid = false and the status kept.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/device_identity.hpp"
#include "hl7/message.hpp"
#include "hl7/site_code_map.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// Site settings for mapping.
struct MapOptions {
  /// Offset east of UTC assumed for timestamps that carry none (monitors often send local
  /// time without an offset).
  int default_utc_offset_minutes = 0;
  /// The clinic's own codes (config code_map), checked before the built-in tables.
  std::vector<SiteCode> code_map;
};

/// An observation that should have been a reading and could not be (see above).
struct ObservationIssue {
  std::size_t obx = 0;   // 1-based position among the message's OBX segments
  int field = 5;         // the OBX field at fault: 2, 3, 5 or 6 (14 in time_warnings)
  int error_code = 102;  // HL7 table 0357: 102 data type error, 103 table value not found
  std::string code;      // OBX-3 as received (unescaped), for people
  std::string reason;    // our words
};

/// Issues kept per message (outside input); issues_total counts the rest.
inline constexpr std::size_t kMaxIssuesPerMessage = 16;

/// What the OBX rows of one message gave.
struct OruMapping {
  DeviceIdentity identity;
  /// bed empty, received_at_ms 0; measured_at_ms 0 when no timestamp parsed (the daemon
  /// then substitutes the receive time); source = identity.source().
  std::vector<Reading> readings;
  std::vector<UnmappedObservation> unmapped;  // same conventions as readings
  std::size_t empty_observations = 0;         // OBX rows with an empty OBX-5
  /// An NIBP row with no value and a not-a-value status (X, ...): the monitor says its
  /// measurement failed (cuff leak, motion). The daemon raises T4 for it.
  bool nibp_failed = false;
  std::size_t observation_segments = 0;  // OBX rows seen, of any kind
  std::vector<ObservationIssue> issues;  // at most kMaxIssuesPerMessage
  std::size_t issues_total = 0;          // unreadable observations, all of them
  /// Observations kept at a fallback time because their OBX-14 did not parse (field 14,
  /// code 102; the reason quotes it, clipped, and names the time used). Not unreadable:
  /// they count in neither `issues` nor the AE decision. At most kMaxIssuesPerMessage.
  std::vector<ObservationIssue> time_warnings;
  std::size_t time_warnings_total = 0;  // all of them
  /// Empty when every observation belongs to one chair; else why not, for the ACK. The
  /// daemon resolves one chair per message from `identity`, so a message that carries
  /// several patient groups (PID/PV1 with different PID-3 or PV1-3), or, without a PV1-3
  /// location, OBX-18 naming different devices, would put another patient's readings on
  /// the first group's chair. ingest_message() refuses such a message whole.
  std::string not_one_chair;
};

/// True for the OBX-11 result statuses that mean "this is a value": F R C P S and blank.
bool is_valid_result_status(std::string_view status);

/// Reads identity (PV1-3, OBX-18, MSH-3/4) and every OBX of a parsed message into `out`
/// (appending; `out` is normally fresh).
void map_observations(const Message& message, const MapOptions& options, OruMapping& out);

/// As map_observations(), but replaces `out`'s content, reusing the storage of its vectors
/// and of the strings in their elements: a caller mapping message after message (with the
/// same `out`) allocates nothing once the shapes repeat.
void map_observations_reusing(const Message& message, const MapOptions& options, OruMapping& out);

}  // namespace vigil::hl7
