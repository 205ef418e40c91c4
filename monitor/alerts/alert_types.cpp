#include "alerts/alert_types.hpp"

namespace vigil::alerts {

std::string_view to_string(RuleId rule) {
  static constexpr std::string_view kNames[] = {"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9",
                                                "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"};
  auto i = static_cast<std::size_t>(rule);
  return i < std::size(kNames) ? kNames[i] : "?";
}

std::string_view to_string(Priority priority) {
  switch (priority) {
    case Priority::Low: return "LOW";
    case Priority::Medium: return "MEDIUM";
    case Priority::High: return "HIGH";
  }
  return "?";
}

std::string_view to_string(AlertKind kind) {
  switch (kind) {
    case AlertKind::Physiological: return "physiological";
    case AlertKind::Technical: return "technical";
    case AlertKind::Advisory: return "advisory";
  }
  return "?";
}

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::Monitoring: return "monitoring";
    case Phase::Setup: return "setup";
    case Phase::Baseline: return "baseline";
    case Phase::Infusion: return "infusion";
    case Phase::Recovery: return "recovery";
    case Phase::Closed: return "closed";
  }
  return "?";
}

std::string_view to_string(AlertState state) {
  switch (state) {
    case AlertState::Advisory: return "ADVISORY";
    case AlertState::Active: return "ACTIVE";
    case AlertState::AudioPaused: return "AUDIO_PAUSED";
    case AlertState::Acknowledged: return "ACKNOWLEDGED";
    case AlertState::Latched: return "LATCHED";
    case AlertState::Resolved: return "RESOLVED";
  }
  return "?";
}

std::string_view to_string(TransitionKind kind) {
  switch (kind) {
    case TransitionKind::Raised: return "raised";
    case TransitionKind::Confirmed: return "confirmed";
    case TransitionKind::PriorityChanged: return "priority_changed";
    case TransitionKind::Escalated: return "escalated";
    case TransitionKind::Acknowledged: return "acknowledged";
    case TransitionKind::AudioPaused: return "audio_paused";
    case TransitionKind::AudioResumed: return "audio_resumed";
    case TransitionKind::Reactivated: return "reactivated";
    case TransitionKind::Cleared: return "cleared";
    case TransitionKind::Resolved: return "resolved";
  }
  return "?";
}

}  // namespace vigil::alerts
