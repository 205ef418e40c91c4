#pragma once
// GE Datex-Ohmeda S/5 computer interface: record layout constants and the decoded,
// wire-level structs shared by the decoder, the encoder and the reading mapper.
// Source: GE M1017617 (computer interface) and 8005313 (DRI record specification); the
// facts used here are summarised in /work/shared/reference/protocols.md section 2.
//
// A record is little-endian and packed:
//   0   u16 r_len (whole record incl. this header)   2  u8 r_nbr    3 u8 dri_level
//   4   u16 plug_id   6 u32 r_time (s since 1970)   10 u8 n_subnet  11..13 reserved
//   14  u16 r_maintype (0 = physiological data, PHDB)
//   16  8 x { u16 sr_offset (from byte 40), u8 sr_type }, sr_type 0xFF ends the list
//   40  data area, at most 1450 bytes

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil::datex {

// --- framing -------------------------------------------------------------------------
inline constexpr std::uint8_t kFlag = 0x7E;       // opens and closes every frame
inline constexpr std::uint8_t kEscape = 0x7D;     // next byte had bit 5 cleared
inline constexpr std::uint8_t kEscapeBit = 0x20;  // the bit the escape clears / restores

// --- record header -------------------------------------------------------------------
inline constexpr std::size_t kHeaderSize = 40;
inline constexpr std::size_t kMaxDataSize = 1450;
inline constexpr std::size_t kMaxRecordSize = kHeaderSize + kMaxDataSize;  // 1490
inline constexpr std::size_t kMaxSubrecords = 8;
inline constexpr std::size_t kSubrecordDescOffset = 16;
inline constexpr std::size_t kSubrecordDescSize = 3;
inline constexpr std::uint8_t kEndOfSubrecordList = 0xFF;

/// r_maintype values (only PHDB is decoded further).
enum class MainType : std::uint16_t {
  Phdb = 0,  // physiological data: displayed values, trends, requests
  Waveform = 1,
  Alarm = 4,
  Network = 5,
  Fo = 8,
};

/// sr_type values inside a PHDB record. 0 appears in requests, 1..4 in replies.
enum class PhdbSubrecordType : std::uint8_t {
  Request = 0,
  Displayed = 1,
  Trend10s = 2,
  Trend60s = 3,
  Aux = 4,  // auxiliary info: nibp_time u32 at 0
};

/// phdb_rcrd_type of a request: which kind of PHDB record the monitor should send.
enum class PhdbRecordType : std::uint8_t {
  Displayed = 1,
  Trend10s = 2,
  Trend60s = 3,
};

/// Request data (9 bytes): rcrd_type u8, tx_ival i16 (s; -1 once, 0 stop, >= 5 periodic),
/// phdb_class_bf u32 (bit n = extended class n; basic is always sent), reserved i16.
inline constexpr std::size_t kRequestDataSize = 9;
inline constexpr std::uint32_t kAllExtendedClasses = 0x0E;  // ext1 | ext2 | ext3, as GE's vectors

// --- PHDB subrecord (displayed values / trends) ---------------------------------------
// time u32 at 0, physdata (270 bytes) at 4, marker u8 at 274, reserved u8 at 275,
// cl_drilvl_subt u16 at 276 whose bits 8..11 name the class of the physdata.
inline constexpr std::size_t kPhdbSubrecordSize = 278;
inline constexpr std::size_t kPhysdataOffset = 4;
inline constexpr std::size_t kPhysdataSize = 270;
inline constexpr std::size_t kMarkerOffset = 274;
inline constexpr std::size_t kClassWordOffset = 276;
inline constexpr std::size_t kAuxSubrecordMinSize = 4;

/// Physdata class, from cl_drilvl_subt bits 8..11 (never from the subrecord's position).
enum class PhdbClass : std::uint8_t { Basic = 0, Ext1 = 1, Ext2 = 2, Ext3 = 3 };

/// The class named by a cl_drilvl_subt word (values 4..15 are kept as they are).
constexpr PhdbClass class_from_word(std::uint16_t cl_drilvl_subt) {
  return static_cast<PhdbClass>((cl_drilvl_subt >> 8) & 0x0F);
}

// --- basic class physdata offsets (inside physdata) ------------------------------------
// Each group starts with status u32 (bit 0 exists, bit 1 active) and label u16.
namespace basic {
inline constexpr std::size_t kEcg = 0;    // hr at +6
inline constexpr std::size_t kNibp = 72;  // sys +6, dia +8, mean +10 (0.01 mmHg), hr +12
inline constexpr std::array<std::size_t, 4> kTemp = {86, 94, 102, 110};  // temp +6 (0.01 degC)
inline constexpr std::size_t kSpo2 = 118;                                // spo2 +6 (0.01 %), pulse rate +8
inline constexpr std::size_t kCo2 = 132;                                 // et +6, fi +8, rr +10 (1/min)
inline constexpr std::size_t kGroupHeaderSize = 6;
}  // namespace basic

inline constexpr std::uint32_t kStatusExists = 1u << 0;
inline constexpr std::uint32_t kStatusActive = 1u << 1;

/// NIBP label bits.
namespace nibp_label {
inline constexpr std::uint16_t kAuto = 1u << 3;
inline constexpr std::uint16_t kStat = 1u << 4;
inline constexpr std::uint16_t kMeasuring = 1u << 5;
inline constexpr std::uint16_t kStasis = 1u << 6;
inline constexpr std::uint16_t kCalibrating = 1u << 7;
inline constexpr std::uint16_t kOlderThan60s = 1u << 8;
}  // namespace nibp_label

// --- special values ---------------------------------------------------------------------
/// Any int16 <= -32001 is not a value but one of these (or an unnamed special).
inline constexpr std::int16_t kSpecialLimit = -32001;
inline constexpr std::int16_t kInvalid = -32767;
inline constexpr std::int16_t kNotUpdated = -32766;
inline constexpr std::int16_t kDiscontinuity = -32765;
inline constexpr std::int16_t kUnderRange = -32764;
inline constexpr std::int16_t kOverRange = -32763;
inline constexpr std::int16_t kNotCalibrated = -32762;

/// Why a field holds a usable value or not.
enum class ValueState : std::uint8_t {
  Ok,
  Invalid,
  NotUpdated,
  Discontinuity,
  UnderRange,
  OverRange,
  NotCalibrated,
  OtherSpecial,  // <= -32001 but not one of the named codes
  ModuleAbsent,  // group status bit 0 clear
  Inactive,      // group status bit 1 clear
};

/// Stable upper-case name, e.g. "OVER_RANGE"; used in device condition codes.
std::string_view to_string(ValueState state);

/// A group header as on the wire.
struct GroupHeader {
  std::uint32_t status = 0;
  std::uint16_t label = 0;

  bool exists() const { return (status & kStatusExists) != 0; }
  bool active() const { return (status & kStatusActive) != 0; }
  bool operator==(const GroupHeader&) const = default;
};

/// The basic-class fields Vigil uses, raw as on the wire (scaled integers, specials kept).
/// Fields not listed (invasive pressures, ST, EtCO2 ...) are written as zero by the encoder.
struct BasicPhysdata {
  GroupHeader ecg;
  std::int16_t ecg_hr = 0;  // 1/min
  GroupHeader nibp;
  std::int16_t nibp_sys = 0;   // 0.01 mmHg
  std::int16_t nibp_dia = 0;   // 0.01 mmHg
  std::int16_t nibp_mean = 0;  // 0.01 mmHg
  std::int16_t nibp_hr = 0;    // 1/min
  std::array<GroupHeader, 4> temp{};
  std::array<std::int16_t, 4> temp_c = {};  // 0.01 degC, T1..T4
  GroupHeader spo2;
  std::int16_t spo2_pct = 0;  // 0.01 %
  std::int16_t spo2_pr = 0;   // 1/min
  GroupHeader co2;
  std::int16_t co2_rr = 0;  // 1/min

  bool operator==(const BasicPhysdata&) const = default;
};

/// One interpreted field: a value in Vigil's canonical unit, or the reason there is none.
struct Measurement {
  ValueState state = ValueState::Invalid;
  double value = 0;      // meaningful only when state == Ok
  std::int16_t raw = 0;  // as on the wire

  bool ok() const { return state == ValueState::Ok; }
};

/// Interprets a raw field of a group: group status first (absent, inactive), then the
/// special values, then scales (value = raw * scale).
Measurement interpret(const GroupHeader& group, std::int16_t raw, double scale);

/// The special-value state of a raw int16 (Ok when it is an ordinary number).
ValueState special_state(std::int16_t raw);

}  // namespace vigil::datex
