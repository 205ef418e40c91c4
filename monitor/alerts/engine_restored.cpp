// AlertEngine: alerts restored from the log after a restart (alert_engine.hpp).
#include "alerts/alert_engine.hpp"

namespace vigil::alerts {

void AlertEngine::restore_alert(RestoredAlert alert) {
  std::string id = alert.last.alert_id;
  restored_[std::move(id)] = std::move(alert);
}

std::vector<RestoredAlert> AlertEngine::restored_alerts() const {
  std::vector<RestoredAlert> out;
  out.reserve(restored_.size());
  for (const auto& [id, alert] : restored_) out.push_back(alert);
  return out;
}

bool AlertEngine::acknowledge_restored(std::string_view bed, std::string_view alert_id,
                                       const std::string& user, Now now, ActionResult& out) {
  auto it = restored_.find(alert_id);
  if (it == restored_.end() || it->second.last.bed != bed) return false;
  // Its rule state died with the old process, so nothing can clear it later: the nurse's
  // acknowledgment ends it, logged as acknowledged then resolved.
  for (const TransitionKind kind : {TransitionKind::Acknowledged, TransitionKind::Resolved}) {
    AlertTransition t = it->second.last;
    t.kind = kind;
    t.state = kind == TransitionKind::Resolved ? AlertState::Resolved : AlertState::Acknowledged;
    t.user = user;
    t.acknowledged_by = user;
    t.wall_ms = now.wall_ms;
    out.transitions.push_back(std::move(t));
  }
  restored_.erase(it);
  return true;
}

}  // namespace vigil::alerts
