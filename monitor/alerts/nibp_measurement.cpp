#include "alerts/nibp_measurement.hpp"

#include <vector>

#include "alerts/format.hpp"

namespace vigil::alerts {

std::optional<double> NibpMeasurement::map_mmhg() const {
  if (mean_mmhg) return mean_mmhg;
  if (dia_mmhg) return *dia_mmhg + (sys_mmhg - *dia_mmhg) / 3.0;
  return std::nullopt;
}

std::string NibpMeasurement::text() const {
  return num(sys_mmhg) + "/" + (dia_mmhg ? num(*dia_mmhg) : std::string("-"));
}

std::vector<NibpMeasurement> NibpAssembler::add(const Reading& r, MonoTime now) {
  std::vector<NibpMeasurement> done;
  // A different time or device, or a part we already have, starts a new measurement
  // (monitors without a measurement time send 0 for every reading).
  const bool repeat_part = pending_ && ((r.kind == VitalKind::NibpSys && has_sys_) ||
                                        (r.kind == VitalKind::NibpDia && pending_->dia_mmhg) ||
                                        (r.kind == VitalKind::NibpMean && pending_->mean_mmhg));
  if (pending_ &&
      (repeat_part || pending_->measured_at_ms != r.measured_at_ms || pending_->source != r.source)) {
    if (auto m = flush()) done.push_back(std::move(*m));
  }
  if (!pending_) {
    pending_.emplace();
    pending_->measured_at_ms = r.measured_at_ms;
    pending_->source = r.source;
    has_sys_ = false;
    started_ = now;
  }
  NibpMeasurement& m = *pending_;
  if (!r.valid) m.device_valid = false;
  switch (r.kind) {
    case VitalKind::NibpSys:
      m.sys_mmhg = r.value;
      has_sys_ = true;
      break;
    case VitalKind::NibpDia: m.dia_mmhg = r.value; break;
    case VitalKind::NibpMean: m.mean_mmhg = r.value; break;
    default: break;
  }
  if (has_sys_ && m.dia_mmhg && m.mean_mmhg) {
    done.push_back(std::move(m));
    pending_.reset();
  }
  return done;
}

std::optional<NibpMeasurement> NibpAssembler::flush() {
  if (!pending_) return std::nullopt;
  std::optional<NibpMeasurement> out;
  if (has_sys_)
    out = std::move(*pending_);
  else
    ++dropped_;
  pending_.reset();
  return out;
}

bool NibpAssembler::withdraw(const std::string& source, WallMillis measured_at_ms) {
  if (!pending_ || pending_->measured_at_ms != measured_at_ms || pending_->source != source) return false;
  pending_.reset();
  has_sys_ = false;
  return true;
}

std::optional<NibpMeasurement> NibpAssembler::flush_older_than(MonoTime now, Duration wait) {
  if (!pending_ || now - started_ < wait) return std::nullopt;
  return flush();
}

}  // namespace vigil::alerts
