#pragma once
// Value types and nomenclature codes of the IntelliVue Data Export protocol that more than
// one message uses. Codes are from the PIPG ("Definition of the Data Export Protocol",
// "Nomenclature"); the ones we use were cross-checked against VSCaptureMP (xeonfusion,
// Class2.cs), OpenICE (mdpnp/mdpnp, devices/philips) and Koshsky/Intellivue-api (base/).

#include <cstdint>
#include <optional>
#include <string_view>

#include "reading/reading.hpp"

namespace vigil::intellivue {

// --- Remote operation layer (ROapdus.ro_type, *apdu.command_type)
inline constexpr std::uint16_t kRoInvoke = 1;        // ROIV_APDU
inline constexpr std::uint16_t kRoResult = 2;        // RORS_APDU
inline constexpr std::uint16_t kRoError = 3;         // ROER_APDU
inline constexpr std::uint16_t kRoLinkedResult = 5;  // ROLRS_APDU
inline constexpr std::uint16_t kCmdEventReport = 0;
inline constexpr std::uint16_t kCmdConfirmedEventReport = 1;
inline constexpr std::uint16_t kCmdConfirmedAction = 7;
inline constexpr std::uint16_t kSessionIdDataExport = 0xE100;  // SPpdu.session_id
inline constexpr std::uint16_t kPresentationContextId = 2;     // SPpdu.p_context_id

// --- Object classes (partition NOM_PART_OBJ = 1), events, actions, attribute groups
inline constexpr std::uint16_t kPartitionObject = 1;
inline constexpr std::uint16_t kPartitionScada = 2;           // physiological ids
inline constexpr std::uint16_t kPartitionDimension = 4;       // unit codes
inline constexpr std::uint16_t kMocVmoMetricNu = 0x0006;      // NOM_MOC_VMO_METRIC_NU: numerics
inline constexpr std::uint16_t kMocVmsMds = 0x0021;           // NOM_MOC_VMS_MDS
inline constexpr std::uint16_t kMocVmoAlMon = 0x0036;         // NOM_MOC_VMO_AL_MON: alert monitor
inline constexpr std::uint16_t kNotiMdsCreate = 0x0D06;       // NOM_NOTI_MDS_CREAT
inline constexpr std::uint16_t kNotiConnIndic = 0x0D17;       // NOM_NOTI_CONN_INDIC
inline constexpr std::uint16_t kActPollMdibData = 0x0C16;     // NOM_ACT_POLL_MDIB_DATA
inline constexpr std::uint16_t kActPollMdibDataExt = 0xF13B;  // NOM_ACT_POLL_MDIB_DATA_EXT
inline constexpr std::uint16_t kAttrGroupAll = 0x0000;        // every attribute group
inline constexpr std::uint16_t kAttrGroupVmoStatic = 0x0811;  // NOM_ATTR_GRP_VMO_STATIC

// --- Attribute ids
inline constexpr std::uint16_t kAttrIdModel = 0x0928;         // NOM_ATTR_ID_MODEL
inline constexpr std::uint16_t kAttrNuCmpdValObs = 0x094B;    // NOM_ATTR_NU_CMPD_VAL_OBS
inline constexpr std::uint16_t kAttrNuValObs = 0x0950;        // NOM_ATTR_NU_VAL_OBS
inline constexpr std::uint16_t kAttrSysType = 0x0986;         // NOM_ATTR_SYS_TYPE
inline constexpr std::uint16_t kAttrTimeAbs = 0x0987;         // NOM_ATTR_TIME_ABS
inline constexpr std::uint16_t kAttrTimeRel = 0x098F;         // NOM_ATTR_TIME_REL
inline constexpr std::uint16_t kAttrTimeStampAbs = 0x0990;    // NOM_ATTR_TIME_STAMP_ABS
inline constexpr std::uint16_t kAttrTimeStampRel = 0x0991;    // NOM_ATTR_TIME_STAMP_REL
inline constexpr std::uint16_t kAttrNetAddrInfo = 0xF100;     // NOM_ATTR_NET_ADDR_INFO
inline constexpr std::uint16_t kAttrPcolSupport = 0xF101;     // NOM_ATTR_PCOL_SUPPORT
inline constexpr std::uint16_t kAttrPollProfileExt = 0xF001;  // NOM_ATTR_POLL_PROFILE_EXT
inline constexpr std::uint16_t kAttrTimePdPoll = 0xF13E;      // NOM_ATTR_TIME_PD_POLL
inline constexpr std::uint16_t kPollProfileSupport = 0x0001;  // NOM_POLL_PROFILE_SUPPORT

/// RelativeTime ticks per second (RelativeTime counts 1/8 ms).
inline constexpr std::uint32_t kRelativeTicksPerSecond = 8000;

// --- Bounds on lists that outside input sizes (hostile input must not grow memory)
inline constexpr std::size_t kMaxAttributesPerList = 128;       // a numeric object has ~20
inline constexpr std::size_t kMaxCompoundValues = 32;           // NIBP sends 3
inline constexpr std::size_t kMaxObservationsPerResult = 1024;  // after linked reassembly
inline constexpr std::size_t kMaxContextsPerResult = 16;
inline constexpr std::size_t kMaxProtocolSupportEntries = 8;
inline constexpr std::size_t kMaxLabelBytes = 256;  // model / manufacturer strings

/// Why a message (or a piece of one) could not be decoded.
enum class DecodeError : std::uint8_t {
  None,
  Truncated,          // a field or declared length runs past the end of the buffer
  LengthMismatch,     // a declared length disagrees with what it contains
  TooManyItems,       // a list is longer than its stated bound
  BadSession,         // not an SPDU / SPpdu we know (session id, SPDU type, LI)
  BadPresentation,    // association user data not found or malformed
  UnexpectedContent,  // well-formed but not what this decoder is for
};

/// Stable lower-case name, e.g. "length_mismatch".
std::string_view to_string(DecodeError error);

/// FLOAT-Type (PIPG "FLOAT-Type"): 8-bit signed exponent, 24-bit signed mantissa,
/// value = mantissa * 10^exponent. Reserved mantissas are not numbers.
enum class FloatClass : std::uint8_t { Number, NaN, NotAtResolution, PlusInfinity, MinusInfinity, Reserved };

struct FloatValue {
  FloatClass cls = FloatClass::NaN;
  double value = 0;  // meaningful when cls == Number
  std::uint32_t raw = 0x007FFFFF;
  bool is_number() const { return cls == FloatClass::Number; }
};

/// Decodes one FLOAT-Type word.
FloatValue decode_float(std::uint32_t raw);
/// Encodes mantissa and exponent (used by tests and simulators); the caller keeps the
/// mantissa within 24 signed bits.
std::uint32_t encode_float(std::int32_t mantissa, std::int8_t exponent);

/// MeasurementState bits (PIPG "MeasurementState"). The whole top octet says the value is
/// not to be trusted: invalid, questionable, unavailable, calibration ongoing, test data,
/// demo data (and two unassigned bits, rejected too: a newer monitor's new "do not use"
/// flag must not slip through).
inline constexpr std::uint16_t kStateInvalid = 0x8000;
inline constexpr std::uint16_t kStateQuestionable = 0x4000;
inline constexpr std::uint16_t kStateUnavailable = 0x2000;
inline constexpr std::uint16_t kStateCalibrating = 0x1000;
inline constexpr std::uint16_t kStateTestData = 0x0800;
inline constexpr std::uint16_t kStateDemoData = 0x0400;
inline constexpr std::uint16_t kStateMsmtOngoing = 0x0020;
inline constexpr bool state_is_valid(std::uint16_t state) { return (state & 0xFF00) == 0; }

/// AbsoluteTime: eight BCD bytes (century, year, month, day, hour, minute, second,
/// sec_fractions); all 0xFF when the monitor has no time. The monitor's local clock: no
/// zone is sent.
struct AbsoluteTime {
  std::uint8_t bcd[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  bool operator==(const AbsoluteTime&) const = default;
};

/// Milliseconds since 1970 of `t` read as a clock `utc_offset_minutes` east of UTC;
/// nullopt for the all-0xFF "no time", bad BCD or an impossible date. sec_fractions is not
/// used (OpenICE: "per spec sec_fractions is ignored").
std::optional<WallMillis> absolute_time_to_ms(const AbsoluteTime& t, int utc_offset_minutes);
/// The AbsoluteTime of a civil date and time (tests and simulators).
AbsoluteTime make_absolute_time(int year, int month, int day, int hour, int minute, int second);

/// ManagedObjectId: object class and global handle (context id, handle).
struct ManagedObjectId {
  std::uint16_t object_class = 0;
  std::uint16_t context_id = 0;
  std::uint16_t handle = 0;
  bool operator==(const ManagedObjectId&) const = default;
};

/// One NuObsValue (NOM_ATTR_NU_VAL_OBS, or an entry of NOM_ATTR_NU_CMPD_VAL_OBS).
struct NumericValue {
  std::uint16_t physio_id = 0;  // partition 2 (SCADA) term
  std::uint16_t state = 0;      // MeasurementState
  std::uint16_t unit_code = 0;  // partition 4 (dimensions) term
  FloatValue value;
  bool compound = false;  // came from NOM_ATTR_NU_CMPD_VAL_OBS
};

}  // namespace vigil::intellivue
