#include "sim/s5_display.hpp"

#include "datex/s5_encoder.hpp"

namespace vigil::sim {

namespace {
constexpr WallMillis kNibpOldMs = 60'000;  // the S/5's "older than 60 s" label bit
}  // namespace

datex::BasicPhysdata s5_physdata(const S5Display& d, WallMillis now_ms) {
  using namespace datex;
  BasicPhysdata b;
  if (d.numerics) {
    b.ecg = active_group();
    b.ecg_hr = static_cast<std::int16_t>(d.numerics->hr_bpm);
    b.spo2 = active_group();
    b.spo2_pct = to_centi(d.numerics->spo2_pct);
    b.spo2_pr = static_cast<std::int16_t>(d.numerics->hr_bpm);
  }
  if (!d.nibp_started && !d.last_nibp) {
    b.nibp.status = kStatusExists;  // module present, nothing measured yet
    return b;
  }
  std::uint16_t label = nibp_label::kAuto;
  if (d.nibp_measuring) label |= nibp_label::kMeasuring;
  if (d.last_nibp && now_ms - d.last_nibp_at_ms > kNibpOldMs) label |= nibp_label::kOlderThan60s;
  b.nibp = active_group(label);
  if (!d.last_nibp) {
    b.nibp_sys = b.nibp_dia = b.nibp_mean = kNotUpdated;
    return b;
  }
  const NibpSample& s = *d.last_nibp;
  if (s.outcome == NibpOutcome::Failed) {
    // The S/5 reports a failed measurement as invalid values; its error text stays on screen.
    b.nibp_sys = b.nibp_dia = b.nibp_mean = kInvalid;
  } else {
    b.nibp_sys = to_centi(s.sys_mmhg);
    b.nibp_dia = to_centi(s.dia_mmhg);
    b.nibp_mean = to_centi(s.mean_mmhg);
  }
  b.nibp_hr = static_cast<std::int16_t>(s.pulse_bpm);
  return b;
}

std::string s5_displayed_record(const S5Display& d, WallMillis now_ms, std::uint8_t r_nbr) {
  datex::DisplayedValuesReply reply;
  reply.header.r_nbr = r_nbr;
  reply.header.r_time = static_cast<std::uint32_t>(now_ms / 1000);
  reply.basic = s5_physdata(d, now_ms);
  if (d.last_nibp) reply.nibp_time = static_cast<std::uint32_t>(d.last_nibp_at_ms / 1000);
  return datex::encode_displayed_values(reply);
}

}  // namespace vigil::sim
