#include "hl7/oru_mapper.hpp"

#include <limits>
#include <optional>
#include <string>

#include "hl7/mdc_codes.hpp"
#include "hl7/observation_time.hpp"
#include "hl7/observation_value.hpp"
#include "hl7/one_chair_check.hpp"
#include "hl7/units.hpp"
#include "hl7/vendor_codes.hpp"

namespace vigil::hl7 {
namespace {

// OBX field numbers used here.
constexpr std::size_t kObxValueType = 2;
constexpr std::size_t kObxIdentifier = 3;
constexpr std::size_t kObxSubId = 4;
constexpr std::size_t kObxValue = 5;
constexpr std::size_t kObxUnits = 6;
constexpr std::size_t kObxStatus = 11;
constexpr std::size_t kObxTime = 14;
constexpr std::size_t kObxEquipment = 18;

// The reason logged for a code the site declared not a vital sign (vigilctl unmapped shows it).
constexpr std::string_view kIgnoredBySite = "ignored: the site's code_map says it is not a vital sign";

// OBX-6 to a unit, remembering the last one: the NIBP rows repeat the same unit text.
class UnitReader {
 public:
  explicit UnitReader(const Delimiters& d) : d_(d) {}

  std::optional<Unit> read(std::string_view field) {
    if (!known_ || field != last_field_) {
      known_ = true;
      last_field_ = field;
      last_unit_ = resolve_unit(field, d_);
    }
    return last_unit_;
  }

 private:
  const Delimiters& d_;
  bool known_ = false;
  std::string_view last_field_;
  std::optional<Unit> last_unit_;
};

// The unit to use when OBX-6 does not say: the site map's, the vendor table's, or the
// only unit a rate or a saturation can have.
std::optional<Unit> implied_unit(VitalKind kind, std::string_view site_or_vendor, bool obx6_empty) {
  if (!site_or_vendor.empty()) return unit_from_text(site_or_vendor);
  if (!obx6_empty) return std::nullopt;
  switch (kind) {
    case VitalKind::HeartRate:
    case VitalKind::PulseRate:
    case VitalKind::RespRate: return Unit::PerMinute;
    case VitalKind::SpO2: return Unit::Percent;
    default: return std::nullopt;  // mmHg or kPa, degC or degF: never guessed
  }
}

// The next element of `v` to fill: an existing one (its strings keep their storage) while
// `used` is below the size, else a new one. The caller trims `v` to `used` at the end.
template <typename T>
T& next_slot(std::vector<T>& v, std::size_t& used) {
  if (used == v.size()) v.emplace_back();
  return v[used++];
}

class Mapper {
 public:
  // `reuse`: overwrite out's elements instead of appending after them.
  Mapper(const Message& m, const MapOptions& o, OruMapping& out, bool reuse)
      : d_(m.delimiters()),
        o_(o),
        out_(out),
        times_(d_, o.default_utc_offset_minutes),
        units_(d_),
        first_reading_(reuse ? 0 : out.readings.size()),
        first_unmapped_(reuse ? 0 : out.unmapped.size()),
        readings_used_(first_reading_),
        unmapped_used_(first_unmapped_) {}

  void run(const Message& m) {
    const Fields msh(m.segments().front(), d_.field, 8);
    assign_first_nonempty_component(out_.identity.sending_application, msh[3], d_);
    assign_first_nonempty_component(out_.identity.sending_facility, msh[4], d_);
    msh_time_ = times_.read(msh[7]);
    out_.readings.reserve(first_reading_ + m.segments().size());
    bool seen_pv1 = false;
    for (const Segment& s : m.segments()) {
      const std::string_view name = s.name();
      if (name == "OBX") {
        one_chair_.observation();
        // OBX-18 matters until a row gave the equipment id and, while no PV1-3 names the
        // place, for telling whether the rows name different devices: otherwise later rows
        // stop at OBX-14.
        const bool need_equipment = out_.identity.equipment_id.empty() ||
                                    (out_.identity.location.empty() && !one_chair_.other_device_seen());
        observation(Fields(s, d_.field, need_equipment ? kObxEquipment + 1 : kObxTime + 1), o_);
      } else if (name == "OBR") {
        obr_time_ = times_.read(Fields(s, d_.field, 8)[7]);
      } else if (name == "PID") {
        one_chair_.patient_segment(s.field(3), true);
      } else if (name == "PV1") {
        const std::string_view pl = s.field(3);
        one_chair_.patient_segment(pl, false);
        if (!seen_pv1) {
          seen_pv1 = true;
          assign_unescaped(out_.identity.location_raw, pl, d_);
          assign_location_name(out_.identity.location, pl, d_);
        }
      }
    }
    if (std::string why = one_chair_.verdict(out_.identity); !why.empty())
      out_.not_one_chair = std::move(why);
    out_.readings.erase(out_.readings.begin() + static_cast<std::ptrdiff_t>(readings_used_),
                        out_.readings.end());
    out_.unmapped.erase(out_.unmapped.begin() + static_cast<std::ptrdiff_t>(unmapped_used_),
                        out_.unmapped.end());
    const std::string& source = out_.identity.source();
    const bool source_is_device = !out_.identity.equipment_id.empty();
    for (std::size_t i = first_reading_; i < out_.readings.size(); ++i) {
      out_.readings[i].source = source;
      out_.readings[i].source_is_device = source_is_device;
    }
    for (std::size_t i = first_unmapped_; i < out_.unmapped.size(); ++i) {
      out_.unmapped[i].source = source;
    }
  }

 private:
  struct Resolved {
    CodeLookup code;
    bool site_ignored = false;  // a code_map entry says: known, not a vital sign
  };

  // An empty OBX-5 is no value. With a status saying the measurement failed, a NIBP part is
  // a failed cuff (T4). A vital's D or W without its value still takes back the value of
  // that time (withdrawal, below): false, the observation goes on. True when done with it.
  bool empty_value(const Fields& f, const MapOptions& o) {
    if (is_valid_result_status(f[kObxStatus])) {
      ++out_.empty_observations;
      return true;
    }
    const CodeLookup code = resolve(f, o).code;
    if (code.match == CodeMatch::Vital && is_withdrawal_status(f[kObxStatus])) return false;
    ++out_.empty_observations;
    if (code.match == CodeMatch::Vital && is_nibp(code.kind)) out_.nibp_failed = true;
    return true;
  }

  // Site map first, then the built-in tables.
  Resolved resolve(const Fields& f, const MapOptions& o) {
    if (const SiteCode* site = find_site_code(o.code_map, out_.identity.source(), f[kObxIdentifier], d_)) {
      if (site->ignore) return Resolved{CodeLookup{CodeMatch::NotVital, VitalKind::HeartRate, {}}, true};
      return Resolved{CodeLookup{CodeMatch::Vital, site->kind, site->unit}, false};
    }
    return Resolved{resolve_observation_id(f[kObxIdentifier], d_, f[kObxSubId]), false};
  }

  void observation(const Fields& f, const MapOptions& o) {
    ++out_.observation_segments;
    if (const std::string_view equipment = name_component(component(f[kObxEquipment], 1, d_));
        !equipment.empty()) {
      if (out_.identity.equipment_id.empty()) assign_unescaped(out_.identity.equipment_id, equipment, d_);
      one_chair_.equipment(equipment, out_.identity.equipment_id);
    }
    // HL7's explicit null ("") is no value, as an empty OBX-5 is (and as PV1-3 and MSH-3 read it).
    if ((f[kObxValue].empty() || f[kObxValue] == "\"\"") && empty_value(f, o)) return;
    const ObservationTime time = observation_time(times_, f[kObxTime], obr_time_, msh_time_, d_);
    const WallMillis when = time.when;
    if (!time.warning.empty()) bad_time(f, time.warning);
    const Resolved resolved = resolve(f, o);
    const CodeLookup& code = resolved.code;
    if (code.match == CodeMatch::Vital) {
      vital(f, code, when);
      return;
    }
    if (resolved.site_ignored) {
      unmapped(f, when, kIgnoredBySite);
      return;
    }
    if (code.match == CodeMatch::NotVital || is_recognised_identifier(f[kObxIdentifier], d_)) {
      unmapped(f, when, "known, not tracked by Vigil");
      return;
    }
    // An unknown local code: a number under it is a measurement we cannot name; text is
    // a device's status or setting, kept for the biomed engineer.
    const std::string_view type = f[kObxValueType];
    if (type == "NM" || type == "SN" || parse_strict_decimal(f[kObxValue])) {
      std::string why = mdc_code_in_other_system(f[kObxIdentifier], d_);
      if (why.empty()) why = "OBX-3 '" + unescape(f[kObxIdentifier], d_) + "' is not a code Vigil knows";
      issue(f, kObxIdentifier, 103, why);
      unmapped(f, when, why);
      return;
    }
    unmapped(f, when, "text under an unknown code, not tracked");
  }

  void vital(const Fields& f, const CodeLookup& code, WallMillis when) {
    // OBX-11 D (deleted) and W (wrong, a correction follows): the device takes back its
    // value of this kind measured at this time. Read as the code it means whatever its case
    // and blanks: "d" and " W " withdraw too.
    if (is_withdrawal_status(f[kObxStatus])) {
      withdrawal(f, code, when);
      return;
    }
    const std::string_view type = f[kObxValueType];
    if (!(type.empty() || type == "NM" || type == "SN" || type == "ST")) {
      const std::string why = "OBX-2 value type '" + unescape(type, d_) + "' cannot carry a number";
      issue(f, kObxValueType, 102, why);
      unmapped(f, when, why);
      return;
    }
    const ValueCheck value = read_obx_number(type, f[kObxValue], d_);
    if (value.problem == ValueProblem::NoValue) {
      ++out_.empty_observations;  // the device says it has no value: like an empty OBX-5
      unmapped(f, when, value.reason);
      return;
    }
    if (!value.number) {
      issue(f, kObxValue, 102, value.reason);
      unmapped(f, when, value.reason);
      return;
    }
    const std::string_view obx6 = f[kObxUnits];
    const std::optional<Unit> unit = unit_of(f, code);
    if (!unit) {
      const std::string why =
          obx6.empty() ? "OBX-6 empty: the unit of " + std::string(to_string(code.kind)) + " must be sent"
                       : "OBX-6 unit '" + unescape(obx6, d_) + "' is not one Vigil knows";
      issue(f, kObxUnits, 103, why);
      unmapped(f, when, why);
      return;
    }
    const auto canonical = to_canonical(code.kind, *unit, *value.number);
    if (!canonical) {
      const std::string why =
          "OBX-6 unit '" + unescape(obx6, d_) + "' does not fit " + std::string(to_string(code.kind));
      issue(f, kObxUnits, 103, why);
      unmapped(f, when, why);
      return;
    }
    if (std::string why = outside_physical_range(code.kind, *canonical); !why.empty()) {
      issue(f, kObxValue, 102, why);
      unmapped(f, when, why);
      return;
    }
    // Every field is set: the slot may hold an earlier message's reading.
    Reading& r = next_slot(out_.readings, readings_used_);
    r.bed.clear();
    r.kind = code.kind;
    r.value = *canonical;
    r.measured_at_ms = when;
    r.received_at_ms = 0;
    assign_unescaped(r.status, f[kObxStatus], d_);
    r.valid = is_valid_result_status(r.status);
  }

  // OBX-6, or the unit the code, the vendor or the site implies when it is empty.
  std::optional<Unit> unit_of(const Fields& f, const CodeLookup& code) {
    const std::string_view obx6 = f[kObxUnits];
    std::optional<Unit> unit = obx6.empty() ? std::nullopt : units_.read(obx6);
    if (!unit) unit = implied_unit(code.kind, code.implied_unit, obx6.empty());
    return unit;
  }

  // A withdrawal is a reading that is no value (reading.hpp, is_withdrawal): stored, so the
  // record says what was taken back, and what the withdrawn value showed and raised ends.
  // Its value is kept when it reads and could be a body's; the stamp alone names the value
  // taken back, so a withdrawal with no value (NaN), or one Vigil cannot read, still
  // withdraws, and says nothing in the ACK: there is nothing of it to store but the fact.
  void withdrawal(const Fields& f, const CodeLookup& code, WallMillis when) {
    double value = std::numeric_limits<double>::quiet_NaN();
    const ValueCheck number = read_obx_number(f[kObxValueType], f[kObxValue], d_);
    const std::optional<Unit> unit = unit_of(f, code);
    if (number.number && unit) {
      const auto canonical = to_canonical(code.kind, *unit, *number.number);
      if (canonical && outside_physical_range(code.kind, *canonical).empty()) value = *canonical;
    }
    Reading& r = next_slot(out_.readings, readings_used_);
    r.bed.clear();
    r.kind = code.kind;
    r.value = value;
    r.measured_at_ms = when;
    r.received_at_ms = 0;
    assign_unescaped(r.status, f[kObxStatus], d_);
    r.valid = false;
  }

  void issue(const Fields& f, std::size_t field, int error_code, const std::string& reason) {
    ++out_.issues_total;
    if (out_.issues.size() >= kMaxIssuesPerMessage) return;
    ObservationIssue& i = out_.issues.emplace_back();
    i.obx = out_.observation_segments;
    i.field = static_cast<int>(field);
    i.error_code = error_code;
    assign_unescaped(i.code, f[kObxIdentifier], d_);
    i.reason = reason;
  }

  // Said in the ACK (ERR W): otherwise the chart shows a time that is not the monitor's and
  // nobody learns why.
  void bad_time(const Fields& f, const std::string& warning) {
    ++out_.time_warnings_total;
    if (out_.time_warnings.size() >= kMaxIssuesPerMessage) return;
    ObservationIssue& i = out_.time_warnings.emplace_back();
    i.obx = out_.observation_segments;
    i.field = static_cast<int>(kObxTime);
    i.error_code = 102;
    assign_unescaped(i.code, f[kObxIdentifier], d_);
    i.reason = warning;
  }

  void unmapped(const Fields& f, WallMillis when, std::string_view reason) {
    UnmappedObservation& u = next_slot(out_.unmapped, unmapped_used_);
    u.bed.clear();
    assign_unescaped(u.code, f[kObxIdentifier], d_);
    assign_unescaped(u.value, f[kObxValue], d_);
    assign_unescaped(u.unit, f[kObxUnits], d_);
    u.reason.assign(reason.data(), reason.size());
    u.measured_at_ms = when;
    u.received_at_ms = 0;
  }

  const Delimiters& d_;
  const MapOptions& o_;
  OruMapping& out_;
  TimeReader times_;
  UnitReader units_;
  std::size_t first_reading_;
  std::size_t first_unmapped_;
  std::size_t readings_used_;
  std::size_t unmapped_used_;
  std::optional<WallMillis> msh_time_;
  std::optional<WallMillis> obr_time_;
  OneChairCheck one_chair_{d_};
};

}  // namespace

bool is_valid_result_status(std::string_view status) {
  return status.empty() || status == "F" || status == "R" || status == "C" || status == "P" || status == "S";
}

void map_observations(const Message& message, const MapOptions& options, OruMapping& out) {
  if (message.segments().empty()) return;
  Mapper(message, options, out, false).run(message);
}

void map_observations_reusing(const Message& message, const MapOptions& options, OruMapping& out) {
  clear_identity(out.identity);
  out.issues.clear();
  out.issues_total = 0;
  out.time_warnings.clear();
  out.time_warnings_total = 0;
  out.empty_observations = 0;
  out.nibp_failed = false;
  out.observation_segments = 0;
  out.not_one_chair.clear();
  if (message.segments().empty()) {
    out.readings.clear();
    out.unmapped.clear();
    return;
  }
  Mapper(message, options, out, true).run(message);
}

}  // namespace vigil::hl7
