#include "sim/hl7_output.hpp"

#include <cstdio>

namespace vigil::sim {

std::string equipment_id_for(const std::string& chair) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : chair) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(h));
  return buf;
}

Hl7Output::Hl7Output(std::shared_ptr<MllpSender> sender, std::string chair, MessageStyle style,
                     std::string control_prefix)
    : sender_(std::move(sender)),
      chair_(std::move(chair)),
      style_(style),
      control_prefix_(std::move(control_prefix)) {}

void Hl7Output::send(const OruContent& content, WallMillis at) {
  const std::string id = control_prefix_ + std::to_string(++seq_);
  sender_->enqueue(build_oru(content, {chair_, equipment_id_for(chair_)}, style_, id, at), id);
}

void Hl7Output::numerics(const NumericSample& n, WallMillis at) {
  OruContent c;
  c.numerics = NumericsObservation{n.hr_bpm, n.spo2_pct, at};
  send(c, at);
}

void Hl7Output::nibp_done(const NibpSample& s, WallMillis at) {
  OruContent c;
  NibpObservation o;
  o.sys_mmhg = s.sys_mmhg;
  o.dia_mmhg = s.dia_mmhg;
  o.mean_mmhg = s.mean_mmhg;
  o.completed_at_ms = at;
  o.failed = s.outcome == NibpOutcome::Failed;
  o.error = s.error;
  c.nibp = o;
  send(c, at);
}

}  // namespace vigil::sim
