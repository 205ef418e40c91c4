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
    // TS in v2.3-2.5 is time^precision; v2.6 DTM has no components. Either way: component 1.
    const std::string_view text = component(field, 1, d_);
    if (text.empty()) return std::nullopt;
    if (text != last_text_) {
      last_text_ = text;
      last_value_ = parse_hl7_time(text, offset_);
    }
    return last_value_;
  }

 private:
  const Delimiters& d_;
  int offset_;
  std::string_view last_text_;
  std::optional<WallMillis> last_value_;
};

// The converted value when every condition for a Reading holds.
std::optional<double> mapped_value(const Fields& f, VitalKind kind, const Delimiters& d) {
  const std::string_view type = f[kObxValueType];
  if (!type.empty() && type != "NM") return std::nullopt;
  const auto number = parse_hl7_number(f[kObxValue]);
  if (!number) return std::nullopt;
  const auto unit = resolve_unit(f[kObxUnits], d);
  if (!unit) return std::nullopt;
  return to_canonical(kind, *unit, *number);
}

class Mapper {
 public:
  Mapper(const Message& m, const MapOptions& o, OruMapping& out)
      : d_(m.delimiters()), out_(out), times_(d_, o.default_utc_offset_minutes) {}

  void run(const Message& m) {
    const Fields msh(m.segments().front(), d_.field, 8);
    out_.identity.sending_application = first_nonempty_component(msh[3], d_);
    out_.identity.sending_facility = first_nonempty_component(msh[4], d_);
    msh_time_ = times_.read(msh[7]);
    out_.readings.reserve(out_.readings.size() + m.segments().size());
    bool seen_pv1 = false;
    for (const Segment& s : m.segments()) {
      const std::string_view name = s.name();
      if (name == "OBX") {
        observation(Fields(s, d_.field, kObxEquipment + 1));
      } else if (name == "OBR") {
        obr_time_ = times_.read(s.field(7));
      } else if (name == "PV1" && !seen_pv1) {
        seen_pv1 = true;
        const std::string_view pl = s.field(3);
        out_.identity.location_raw = unescape(pl, d_);
        out_.identity.location = location_name(pl, d_);
      }
    }
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
      out_.identity.equipment_id = unescape(component(f[kObxEquipment], 1, d_), d_);
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
      if (auto value = mapped_value(f, code.kind, d_)) {
        Reading& r = out_.readings.emplace_back();
        r.kind = code.kind;
        r.value = *value;
        r.measured_at_ms = when;
        r.status = unescape(f[kObxStatus], d_);
        r.valid = is_valid_result_status(r.status);
        return;
      }
    }
    UnmappedObservation& u = out_.unmapped.emplace_back();
    u.code = unescape(f[kObxIdentifier], d_);
    u.value = unescape(f[kObxValue], d_);
    u.unit = unescape(f[kObxUnits], d_);
    u.measured_at_ms = when;
  }

  const Delimiters& d_;
  OruMapping& out_;
  TimeReader times_;
  std::size_t first_reading_ = out_.readings.size();
  std::size_t first_unmapped_ = out_.unmapped.size();
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
  Mapper(message, options, out).run(message);
}

}  // namespace vigil::hl7
