#pragma once
// S/5 encoders: requests the computer sends to the monitor (byte-exact with GE's published
// test vectors) and displayed-values replies as a monitor would send them (used by the
// simulator and the tests). Pure: bytes out, no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datex/s5_record.hpp"

namespace vigil::datex {

/// 8-bit sum of the (unstuffed) record bytes.
std::uint8_t checksum(std::string_view record);

/// Frames a record: 0x7E, stuffed(record || checksum), 0x7E.
std::string encode_frame(std::string_view record);

/// The header fields an encoder chooses; r_len and sr_desc are filled in by encode_record.
struct RecordHeaderFields {
  std::uint8_t r_nbr = 0;
  std::uint8_t dri_level = 0;  // requests send 0; replies e.g. 10 ('09)
  std::uint16_t plug_id = 0;
  std::uint32_t r_time = 0;  // seconds since 1970
  std::uint16_t r_maintype = static_cast<std::uint16_t>(MainType::Phdb);
};

/// One subrecord to place in the data area.
struct SubrecordBytes {
  std::uint8_t type = 0;
  std::string bytes;
};

/// Builds an unframed record: header with r_len and sr_desc (0xFF-terminated when fewer
/// than 8), then the subrecords back to back. Returns an empty string if there are more
/// than kMaxSubrecords subrecords or the data would exceed kMaxDataSize.
std::string encode_record(const RecordHeaderFields& header, std::span<const SubrecordBytes> subrecords);

/// A PHDB transmission request record (unframed).
std::string encode_request_record(PhdbRecordType type, std::int16_t interval_s, std::uint32_t class_bits);

/// Framed request: start displayed values every `interval_s` seconds (-1 = once).
std::string encode_start_displayed(std::int16_t interval_s, std::uint32_t class_bits = kAllExtendedClasses);

/// Framed request: stop displayed values.
std::string encode_stop_displayed();

/// Framed request: 10-s or 60-s trend records every `interval_s` seconds.
std::string encode_trend_request(PhdbRecordType type, std::int16_t interval_s,
                                 std::uint32_t class_bits = kAllExtendedClasses);

/// A 278-byte PHDB subrecord carrying the basic class.
std::string encode_basic_phdb_subrecord(std::uint32_t time, const BasicPhysdata& physdata,
                                        std::uint8_t marker = 0);

/// A 278-byte PHDB subrecord with caller-supplied physdata (padded / cut to 270 bytes)
/// and class; used for extended classes and for tests.
std::string encode_raw_phdb_subrecord(std::uint32_t time, PhdbClass phdb_class, std::string_view physdata,
                                      std::uint8_t marker = 0);

/// The auxiliary subrecord (type 4) cut to its first field, nibp_time. A real monitor
/// sends a longer aux subrecord; the decoder only needs these 4 bytes.
std::string encode_aux_subrecord(std::uint32_t nibp_time);

/// What a monitor's displayed-values reply holds, for encode_displayed_values().
struct DisplayedValuesReply {
  RecordHeaderFields header{0, 10, 0, 0, static_cast<std::uint16_t>(MainType::Phdb)};
  BasicPhysdata basic;
  std::optional<std::uint32_t> nibp_time;  // adds an aux subrecord when set
};

/// Framed displayed-values record: the basic class subrecord (time = r_time), then the
/// aux subrecord if nibp_time is set.
std::string encode_displayed_values(const DisplayedValuesReply& reply);

/// A group header with the exists and active bits set (plus `label`).
GroupHeader active_group(std::uint16_t label = 0);

/// Scales a value to the wire's 0.01 units, rounded (e.g. 120.5 mmHg -> 12050), clamped
/// to the ordinary range (-32000 .. 32767; NaN gives -32000).
std::int16_t to_centi(double value);

}  // namespace vigil::datex
