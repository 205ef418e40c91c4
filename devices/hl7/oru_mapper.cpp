#include "hl7/oru_mapper.hpp"

#include <optional>

#include "hl7/hl7_time.hpp"
#include "hl7/mdc_codes.hpp"
#include "hl7/units.hpp"

namespace vigil::hl7 {
namespace {

// OBX field numbers used here.
constexpr std::size_t kObxValueType = 2;
constexpr std::size_t kObxIdentifier = 3;
constexpr std::size_t kObxValue = 5;
constexpr std::size_t kObxUnits = 6;
constexpr std::size_t kObxStatus = 11;
constexpr std::size_t kObxTime = 14;
constexpr std::size_t kObxEquipment = 18;

// Parses timestamp fields, remembering the last one: the rows of a message nearly always
// repeat the same OBX-14 text, and parsing it is a visible share of the hot path.
class TimeReader {
 public:
  TimeReader(const Delimiters& d, int offset) : d_(d), offset_(offset) {}

  std::optional<WallMillis> read(std::string_view field) {
    if (field.empty()) return std::nullopt;
    // The same field text means the same time: skip even the component split.
    if (field == last_field_) return last_value_;
    last_field_ = field;
    // TS in v2.3-2.5 is time^precision; v2.6 DTM has no components. Either way: component 1.
    const std::string_view text = component(field, 1, d_);
    last_value_ = text.empty() ? std::nullopt : parse_hl7_time(text, offset_);
    return last_value_;
  }

 private:
  const Delimiters& d_;
  int offset_;
  std::string_view last_field_;
  std::optional<WallMillis> last_value_;
};

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

// The converted value when every condition for a Reading holds.
std::optional<double> mapped_value(const Fields& f, VitalKind kind, UnitReader& units) {
  const std::string_view type = f[kObxValueType];
  if (!type.empty() && type != "NM") return std::nullopt;
  const auto number = parse_hl7_number(f[kObxValue]);
  if (!number) return std::nullopt;
  const auto unit = units.read(f[kObxUnits]);
  if (!unit) return std::nullopt;
  return to_canonical(kind, *unit, *number);
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
        // OBX-18 is read only until a row gave the equipment id: later rows stop at OBX-14.
        const bool need_equipment = out_.identity.equipment_id.empty();
        observation(Fields(s, d_.field, need_equipment ? kObxEquipment + 1 : kObxTime + 1));
      } else if (name == "OBR") {
        obr_time_ = times_.read(Fields(s, d_.field, 8)[7]);
      } else if (name == "PV1" && !seen_pv1) {
        seen_pv1 = true;
        const std::string_view pl = s.field(3);
        assign_unescaped(out_.identity.location_raw, pl, d_);
        assign_location_name(out_.identity.location, pl, d_);
      }
    }
    out_.readings.erase(out_.readings.begin() + static_cast<std::ptrdiff_t>(readings_used_),
                        out_.readings.end());
    out_.unmapped.erase(out_.unmapped.begin() + static_cast<std::ptrdiff_t>(unmapped_used_),
                        out_.unmapped.end());
    const std::string& source = out_.identity.source();
    for (std::size_t i = first_reading_; i < out_.readings.size(); ++i) {
      out_.readings[i].source = source;
    }
    for (std::size_t i = first_unmapped_; i < out_.unmapped.size(); ++i) {
      out_.unmapped[i].source = source;
    }
  }

 private:
  void observation(const Fields& f) {
    ++out_.observation_segments;
    if (out_.identity.equipment_id.empty()) {
      assign_unescaped(out_.identity.equipment_id, component(f[kObxEquipment], 1, d_), d_);
    }
    if (f[kObxValue].empty()) {
      ++out_.empty_observations;
      if (!is_valid_result_status(f[kObxStatus])) {
        const CodeLookup code = resolve_observation_id(f[kObxIdentifier], d_);
        if (code.match == CodeMatch::Vital &&
            (code.kind == VitalKind::NibpSys || code.kind == VitalKind::NibpDia || code.kind == VitalKind::NibpMean))
          out_.nibp_failed = true;
      }
      return;
    }
    WallMillis when = 0;
    if (auto t = times_.read(f[kObxTime])) {
      when = *t;
    } else if (obr_time_) {
      when = *obr_time_;
    } else if (msh_time_) {
      when = *msh_time_;
    }
    const CodeLookup code = resolve_observation_id(f[kObxIdentifier], d_);
    if (code.match == CodeMatch::Vital) {
      if (auto value = mapped_value(f, code.kind, units_)) {
        // Every field is set: the slot may hold an earlier message's reading.
        Reading& r = next_slot(out_.readings, readings_used_);
        r.bed.clear();
        r.kind = code.kind;
        r.value = *value;
        r.measured_at_ms = when;
        r.received_at_ms = 0;
        assign_unescaped(r.status, f[kObxStatus], d_);
        r.valid = is_valid_result_status(r.status);
        return;
      }
    }
    UnmappedObservation& u = next_slot(out_.unmapped, unmapped_used_);
    u.bed.clear();
    assign_unescaped(u.code, f[kObxIdentifier], d_);
    assign_unescaped(u.value, f[kObxValue], d_);
    assign_unescaped(u.unit, f[kObxUnits], d_);
    u.measured_at_ms = when;
    u.received_at_ms = 0;
  }

  const Delimiters& d_;
  OruMapping& out_;
  TimeReader times_;
  UnitReader units_;
  std::size_t first_reading_;
  std::size_t first_unmapped_;
  std::size_t readings_used_;
  std::size_t unmapped_used_;
  std::optional<WallMillis> msh_time_;
  std::optional<WallMillis> obr_time_;
};

}  // namespace

bool is_valid_result_status(std::string_view status) {
  return status.empty() || status == "F" || status == "R" || status == "C" || status == "P" ||
         status == "S";
}

void map_observations(const Message& message, const MapOptions& options, OruMapping& out) {
  if (message.segments().empty()) return;
  Mapper(message, options, out, false).run(message);
}

void map_observations_reusing(const Message& message, const MapOptions& options, OruMapping& out) {
  clear_identity(out.identity);
  out.empty_observations = 0;
  out.nibp_failed = false;
  out.observation_segments = 0;
  if (message.segments().empty()) {
    out.readings.clear();
    out.unmapped.clear();
    return;
  }
  Mapper(message, options, out, true).run(message);
}

}  // namespace vigil::hl7
