#include "intellivue/reading_mapper.hpp"

#include <cstdio>
#include <utility>

#include "hl7/mdc_codes.hpp"
#include "hl7/observation_value.hpp"
#include "hl7/units.hpp"

namespace vigil::intellivue {

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::NoValue: return "no_value";
    case SkipReason::NibpAlreadyReported: return "nibp_already_reported";
    case SkipReason::NibpMeasuring: return "nibp_measuring";
  }
  return "unknown";
}

namespace {

constexpr std::uint32_t kScadaBase = 2u * 65536u;
constexpr std::uint32_t kDimensionBase = 4u * 65536u;

std::optional<VitalKind> vital_of(std::uint16_t physio_id) {
  const hl7::CodeLookup hit = hl7::lookup_mdc_code(kScadaBase + physio_id);
  if (hit.match != hl7::CodeMatch::Vital) return std::nullopt;
  return hit.kind;
}

std::string hex4(std::uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(v));
  return buf;
}

}  // namespace

ReadingMapper::ReadingMapper(std::string source, MapperOptions options)
    : source_(std::move(source)), options_(options) {}

void ReadingMapper::set_clock_anchor(const MdsCreateEventReport& report) {
  if (!report.absolute_time || !report.relative_time) return;
  const auto ms = absolute_time_to_ms(*report.absolute_time, options_.monitor_utc_offset_minutes);
  if (!ms) return;
  anchor_ms_ = *ms;
  anchor_rel_ = *report.relative_time;
}

WallMillis ReadingMapper::measured_at(const PollResultPart& result, const ObservationPoll& obs) const {
  const int offset = options_.monitor_utc_offset_minutes;
  if (obs.timestamp) {
    if (auto ms = absolute_time_to_ms(*obs.timestamp, offset)) return *ms;
  }
  if (auto ms = absolute_time_to_ms(result.abs_time_stamp, offset)) return *ms;
  if (anchor_ms_) {
    // RelativeTime wraps (2^32 ticks of 1/8 ms, about 6.2 days): the signed difference
    // places it correctly within +-3 days of the anchor.
    const std::uint32_t rel = obs.rel_timestamp.value_or(result.rel_time_stamp);
    const auto ticks = static_cast<std::int32_t>(rel - anchor_rel_);
    return *anchor_ms_ + static_cast<WallMillis>(ticks) / 8;
  }
  return 0;
}

void ReadingMapper::map_value(MappedPoll& out, const NumericValue& v, WallMillis at) const {
  const std::optional<VitalKind> kind = vital_of(v.physio_id);
  if (!v.value.is_number()) {
    if (kind) out.skipped.push_back({*kind, SkipReason::NoValue});
    return;  // a placeholder under a code we do not chart is not worth keeping
  }
  UnmappedObservation u;
  u.source = source_;
  u.code = "intellivue:0x" + hex4(v.physio_id);
  char value[32];
  std::snprintf(value, sizeof value, "%.10g", v.value.value);
  u.value = value;
  u.unit = "dim:0x" + hex4(v.unit_code);
  u.measured_at_ms = at;
  if (!kind) {
    u.reason = "not a tracked vital sign";
    out.unmapped.push_back(std::move(u));
    return;
  }
  const std::optional<hl7::Unit> unit = hl7::unit_from_mdc_code(kDimensionBase + v.unit_code);
  const std::optional<double> canonical =
      unit ? hl7::to_canonical(*kind, *unit, v.value.value) : std::nullopt;
  if (!canonical) {
    u.reason = unit ? "unit does not fit the vital sign" : "unknown unit code";
    out.unmapped.push_back(std::move(u));
    return;
  }
  if (std::string why = hl7::outside_physical_range(*kind, *canonical); !why.empty()) {
    u.reason = std::move(why);
    out.unmapped.push_back(std::move(u));
    return;
  }
  Reading r;
  r.kind = *kind;
  r.value = *canonical;
  r.measured_at_ms = at;
  r.source = source_;
  r.valid = state_is_valid(v.state);
  if (v.state != 0) r.status = hex4(v.state);
  out.readings.push_back(std::move(r));
}

void ReadingMapper::map_nibp(MappedPoll& out, const NibpObservation& nibp, WallMillis at) {
  const NibpVerdict verdict = nibp_.observe(nibp);
  for (const auto* v : {&nibp.sys, &nibp.dia, &nibp.mean}) {
    if (!*v) continue;
    const VitalKind kind = *vital_of((*v)->physio_id);
    switch (verdict) {
      case NibpVerdict::New: map_value(out, **v, at); break;
      case NibpVerdict::Unavailable: out.skipped.push_back({kind, SkipReason::NoValue}); break;
      case NibpVerdict::AlreadyReported:
        out.skipped.push_back({kind, SkipReason::NibpAlreadyReported});
        break;
      case NibpVerdict::Measuring: out.skipped.push_back({kind, SkipReason::NibpMeasuring}); break;
    }
  }
}

MappedPoll ReadingMapper::map(const PollResultPart& result) {
  MappedPoll out;
  // The first object carrying NIBP values is the NIBP result; later ones (a second NIBP
  // object would be a different module) are mapped without de-duplication.
  bool nibp_done = false;
  for (const ObservationPoll& obs : result.observations) {
    const WallMillis at = measured_at(result, obs);
    NibpObservation nibp;
    nibp.timestamp = obs.timestamp;
    for (const NumericValue& v : obs.numerics) {
      const std::optional<VitalKind> kind = vital_of(v.physio_id);
      if (!nibp_done && kind && is_nibp(*kind)) {
        auto& slot = *kind == VitalKind::NibpSys   ? nibp.sys
                     : *kind == VitalKind::NibpDia ? nibp.dia
                                                   : nibp.mean;
        if (!slot) {
          slot = v;
          continue;
        }
      }
      map_value(out, v, at);
    }
    if (nibp.sys || nibp.dia || nibp.mean) {
      map_nibp(out, nibp, at);
      nibp_done = true;
    }
  }
  return out;
}

}  // namespace vigil::intellivue
