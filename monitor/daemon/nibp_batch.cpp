#include "daemon/nibp_batch.hpp"

namespace vigil::daemon {

void NibpBatch::apply(std::size_t i, const std::vector<alerts::NibpVerdict>& verdicts) {
  for (const alerts::NibpVerdict& v : verdicts) {
    if (v.verified && !v.resend) continue;
    for (std::size_t j = 0; j <= i; ++j) {
      const Reading& part = batch_.readings[j];
      if (part.bed != v.bed || part.measured_at_ms != v.measured_at_ms || !is_nibp(part.kind)) continue;
      if (!v.verified) batch_.reading_context[j].verified = false;
      if (v.resend) {
        resent_.resize(batch_.readings.size());
        resent_[j] = true;
      }
    }
  }
}

std::size_t NibpBatch::drop_resent() {
  if (resent_.empty()) return 0;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < batch_.readings.size(); ++i) {
    if (resent_[i]) continue;
    if (kept != i) {
      batch_.readings[kept] = std::move(batch_.readings[i]);
      batch_.reading_context[kept] = std::move(batch_.reading_context[i]);
    }
    ++kept;
  }
  const std::size_t dropped = batch_.readings.size() - kept;
  batch_.readings.resize(kept);
  batch_.reading_context.resize(kept);
  resent_.clear();
  return dropped;
}

}  // namespace vigil::daemon
