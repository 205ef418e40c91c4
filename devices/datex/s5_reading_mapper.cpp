#include "datex/s5_reading_mapper.hpp"

#include <charconv>
#include <optional>
#include <utility>

#include "reading/physical_range.hpp"

namespace vigil::datex {

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::Invalid: return "invalid";
    case SkipReason::NotUpdated: return "not_updated";
    case SkipReason::Discontinuity: return "discontinuity";
    case SkipReason::UnderRange: return "under_range";
    case SkipReason::OverRange: return "over_range";
    case SkipReason::NotCalibrated: return "not_calibrated";
    case SkipReason::OtherSpecial: return "special_value";
    case SkipReason::ModuleAbsent: return "module_absent";
    case SkipReason::Inactive: return "inactive";
    case SkipReason::NibpMeasuring: return "nibp_measuring";
    case SkipReason::NibpAlreadyReported: return "nibp_already_reported";
    case SkipReason::NibpTooOld: return "nibp_too_old";
    case SkipReason::OutsideBodyRange: return "outside_body_range";
  }
  return "unknown";
}

namespace {

constexpr double kCenti = 0.01;
constexpr WallMillis kMillisPerSecond = 1000;

SkipReason skip_reason(ValueState state) {
  switch (state) {
    case ValueState::Ok:  // not reached: callers only ask for values that are not Ok
    case ValueState::Invalid: return SkipReason::Invalid;
    case ValueState::NotUpdated: return SkipReason::NotUpdated;
    case ValueState::Discontinuity: return SkipReason::Discontinuity;
    case ValueState::UnderRange: return SkipReason::UnderRange;
    case ValueState::OverRange: return SkipReason::OverRange;
    case ValueState::NotCalibrated: return SkipReason::NotCalibrated;
    case ValueState::OtherSpecial: return SkipReason::OtherSpecial;
    case ValueState::ModuleAbsent: return SkipReason::ModuleAbsent;
    case ValueState::Inactive: return SkipReason::Inactive;
  }
  return SkipReason::Invalid;
}

// True for the special values that mean "something is wrong with this measurement";
// "not updated", an absent module and a switched-off one are not faults.
bool is_fault(ValueState state) {
  switch (state) {
    case ValueState::Invalid:
    case ValueState::Discontinuity:
    case ValueState::UnderRange:
    case ValueState::OverRange:
    case ValueState::NotCalibrated:
    case ValueState::OtherSpecial: return true;
    default: return false;
  }
}

std::string_view describe(ValueState state) {
  switch (state) {
    case ValueState::Invalid: return "invalid value";
    case ValueState::Discontinuity: return "discontinuity";
    case ValueState::UnderRange: return "under range";
    case ValueState::OverRange: return "over range";
    case ValueState::NotCalibrated: return "not calibrated";
    case ValueState::OtherSpecial: return "special value";
    default: return "no value";
  }
}

DeviceCondition fault_condition(VitalKind kind, ValueState state, bool event) {
  DeviceCondition c;
  c.code = std::string(to_string(kind)) + "_" + std::string(to_string(state));
  c.text = std::string(to_string(kind)) + ": " + std::string(describe(state));
  c.event = event;
  return c;
}

}  // namespace

S5ReadingMapper::S5ReadingMapper(std::string source) : source_(std::move(source)) {}

Reading S5ReadingMapper::make_reading(VitalKind kind, double value, WallMillis at) const {
  Reading r;
  r.kind = kind;
  r.value = value;
  r.measured_at_ms = at;
  r.source = source_;
  return r;
}

void S5ReadingMapper::admit(MappedRecord& out, VitalKind kind, double value, WallMillis at) const {
  if (within_physical_range(kind, value)) {
    out.readings.push_back(make_reading(kind, value, at));
    return;
  }
  out.skipped.push_back({kind, SkipReason::OutsideBodyRange});
  const PhysicalRange r = physical_range(kind);
  auto text = [](double x) {
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
    return std::string(buf, res.ptr);
  };
  out.conditions.push_back({std::string(to_string(kind)) + "_IMPOSSIBLE",
                            std::string(to_string(kind)) + " " + text(value) + " " +
                                std::string(canonical_unit(kind)) + " is outside what a body can produce (" +
                                text(r.low) + "-" + text(r.high) + ")",
                            false});
}

void S5ReadingMapper::add_continuous(MappedRecord& out, VitalKind kind, const Measurement& m,
                                     WallMillis at) const {
  if (m.ok()) {
    admit(out, kind, m.value, at);
    return;
  }
  out.skipped.push_back({kind, skip_reason(m.state)});
  if (is_fault(m.state)) out.conditions.push_back(fault_condition(kind, m.state, false));
}

void S5ReadingMapper::add_nibp(MappedRecord& out, const BasicPhysdata& b, NibpVerdict verdict, WallMillis at,
                               bool& pulse_done) const {
  const std::pair<VitalKind, Measurement> parts[] = {
      {VitalKind::NibpSys, interpret(b.nibp, b.nibp_sys, kCenti)},
      {VitalKind::NibpDia, interpret(b.nibp, b.nibp_dia, kCenti)},
      {VitalKind::NibpMean, interpret(b.nibp, b.nibp_mean, kCenti)},
  };
  if (verdict != NibpVerdict::New) {
    for (const auto& [kind, m] : parts) {
      SkipReason reason = skip_reason(m.state);
      if (verdict == NibpVerdict::Measuring) reason = SkipReason::NibpMeasuring;
      if (verdict == NibpVerdict::AlreadyReported) reason = SkipReason::NibpAlreadyReported;
      if (verdict == NibpVerdict::TooOld) reason = SkipReason::NibpTooOld;
      out.skipped.push_back({kind, reason});
    }
    return;
  }
  bool fault_reported = false;
  for (const auto& [kind, m] : parts) {
    if (m.ok()) {
      admit(out, kind, m.value, at);
      continue;
    }
    out.skipped.push_back({kind, skip_reason(m.state)});
    // One condition per failed result: the first faulty field names the failure.
    if (is_fault(m.state) && !fault_reported) {
      out.conditions.push_back({"NIBP_" + std::string(to_string(m.state)),
                                "NIBP measurement failed: " + std::string(describe(m.state)), true});
      fault_reported = true;
    }
  }
  const Measurement hr = interpret(b.nibp, b.nibp_hr, 1.0);
  if (!pulse_done && hr.ok()) {
    admit(out, VitalKind::PulseRate, hr.value, at);
    pulse_done = true;
  }
}

MappedRecord S5ReadingMapper::map(const DecodedRecord& record) {
  MappedRecord out;
  if (!record.is_phdb()) return out;
  const PhdbSubrecord* sub = find_basic_displayed(record);
  if (sub == nullptr || !sub->basic) return out;
  out.had_basic_values = true;
  const BasicPhysdata& b = *sub->basic;
  const WallMillis at = static_cast<WallMillis>(record.header.r_time) * kMillisPerSecond;

  add_continuous(out, VitalKind::HeartRate, interpret(b.ecg, b.ecg_hr, 1.0), at);
  add_continuous(out, VitalKind::SpO2, interpret(b.spo2, b.spo2_pct, kCenti), at);
  add_continuous(out, VitalKind::Temperature, interpret(b.temp[0], b.temp_c[0], kCenti), at);
  add_continuous(out, VitalKind::RespRate, interpret(b.co2, b.co2_rr, 1.0), at);

  const Measurement spo2_pr = interpret(b.spo2, b.spo2_pr, 1.0);
  bool pulse_done = spo2_pr.ok();
  if (pulse_done) admit(out, VitalKind::PulseRate, spo2_pr.value, at);

  // nibp_time 0 would date a result to 1970: treat it like a missing aux subrecord.
  std::optional<std::uint32_t> nibp_time = record.nibp_time;
  if (nibp_time == 0u) nibp_time.reset();
  const NibpVerdict verdict = nibp_.observe(b, nibp_time);
  const WallMillis nibp_at = nibp_time ? static_cast<WallMillis>(*nibp_time) * kMillisPerSecond : at;
  add_nibp(out, b, verdict, nibp_at, pulse_done);
  if (b.nibp.exists() && b.nibp.active() && (b.nibp.label & nibp_label::kCalibrating) != 0) {
    out.conditions.push_back({"NIBP_CALIBRATING", "NIBP: calibrating", false});
  }

  if (!pulse_done) {
    out.skipped.push_back({VitalKind::PulseRate, skip_reason(spo2_pr.state)});
    if (is_fault(spo2_pr.state)) {
      out.conditions.push_back(fault_condition(VitalKind::PulseRate, spo2_pr.state, false));
    }
  }
  return out;
}

}  // namespace vigil::datex
