#pragma once
// S/5 record decoder: one unframed record (as S5Deframer delivers it) in, a decoded
// header, the PHDB subrecords, the auxiliary NIBP time and any request out.
// Every offset is checked against the record; a malformed record gives an error result.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "datex/s5_record.hpp"

namespace vigil::datex {

/// One sr_desc entry of the header.
struct SubrecordDesc {
  std::uint16_t offset = 0;  // from the start of the data area (record byte 40)
  std::uint8_t type = 0;
};

/// The 40-byte record header.
struct RecordHeader {
  std::uint16_t r_len = 0;
  std::uint8_t r_nbr = 0;
  std::uint8_t dri_level = 0;
  std::uint16_t plug_id = 0;
  std::uint32_t r_time = 0;  // seconds since 1970
  std::uint16_t r_maintype = 0;
  std::vector<SubrecordDesc> subrecords;  // up to kMaxSubrecords, terminator not included
};

/// A displayed-values or trend subrecord (sr_type 1, 2 or 3).
struct PhdbSubrecord {
  PhdbSubrecordType type = PhdbSubrecordType::Displayed;
  std::uint32_t time = 0;
  std::uint16_t cl_drilvl_subt = 0;
  PhdbClass phdb_class = PhdbClass::Basic;  // from cl_drilvl_subt bits 8..11
  std::uint8_t marker = 0;
  std::optional<BasicPhysdata> basic;  // set when phdb_class is Basic
};

/// A PHDB transmission request (sr_type 0), as the computer sends it to the monitor.
struct PhdbRequest {
  std::uint8_t record_type = 0;  // PhdbRecordType value
  std::int16_t interval_s = 0;   // -1 once, 0 stop, >= 5 periodic
  std::uint32_t class_bits = 0;
};

/// Everything the decoder understood in one record.
struct DecodedRecord {
  RecordHeader header;
  std::vector<PhdbSubrecord> phdb;         // in wire order
  std::optional<std::uint32_t> nibp_time;  // from the auxiliary subrecord (type 4)
  std::optional<PhdbRequest> request;
  std::size_t unknown_subrecords = 0;  // types this decoder does not read

  bool is_phdb() const { return header.r_maintype == static_cast<std::uint16_t>(MainType::Phdb); }
};

/// Why a record could not be decoded.
enum class DecodeError : std::uint8_t {
  None,
  TooShort,            // fewer than 40 bytes
  TooLong,             // more than kMaxRecordSize bytes
  LengthMismatch,      // r_len differs from the record's size
  BadSubrecordOffset,  // an offset beyond the data area or before the previous one
  SubrecordTooShort,   // a known subrecord type with fewer bytes than its layout needs
};

/// Stable name for logs and counters, e.g. "bad_subrecord_offset".
std::string_view to_string(DecodeError error);

/// Result of decode_record(): `record` is meaningful only when ok().
struct DecodeResult {
  DecodeError error = DecodeError::None;
  DecodedRecord record;

  bool ok() const { return error == DecodeError::None; }
};

/// Decodes one record (header + data, no checksum). Never reads outside `record`.
DecodeResult decode_record(std::string_view record);

/// The first displayed-values subrecord of the basic class, or nullptr.
const PhdbSubrecord* find_basic_displayed(const DecodedRecord& record);

}  // namespace vigil::datex
