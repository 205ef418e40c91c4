#include "sim/scenario.hpp"

#include <algorithm>

namespace vigil::sim {

namespace {

struct EventName {
  EventKind kind;
  const char* name;
};
constexpr EventName kEventNames[] = {
    {EventKind::Dip, "dip"},
    {EventKind::Tachycardia, "tachycardia"},
    {EventKind::Desaturation, "desaturation"},
    {EventKind::Artifact, "artifact"},
    {EventKind::CuffFailure, "cuff-failure"},
    {EventKind::Unplug, "unplug"},
};

struct ActionName {
  NurseActionKind kind;
  const char* name;
};
constexpr ActionName kActionNames[] = {
    {NurseActionKind::Begin, "begin"},
    {NurseActionKind::Start, "start"},
    {NurseActionKind::Stop, "stop"},
    {NurseActionKind::End, "end"},
};

}  // namespace

const char* to_string(EventKind kind) {
  for (const auto& e : kEventNames)
    if (e.kind == kind) return e.name;
  return "?";
}

std::optional<EventKind> event_kind_from_string(const std::string& name) {
  for (const auto& e : kEventNames)
    if (name == e.name) return e.kind;
  return std::nullopt;
}

const char* to_string(NurseActionKind kind) {
  for (const auto& a : kActionNames)
    if (a.kind == kind) return a.name;
  return "?";
}

std::optional<NurseActionKind> nurse_action_from_string(const std::string& name) {
  for (const auto& a : kActionNames)
    if (name == a.name) return a.kind;
  return std::nullopt;
}

double session_start_minute(const Scenario& s) {
  double first = 0;
  for (double m : s.baseline_nibp_minutes) first = std::min(first, m);
  for (const auto& a : s.actions) first = std::min(first, a.minute);
  // Two minutes of numerics before the first cuff inflation: the HR/SpO2 baseline needs them.
  return first - 2;
}

double session_end_minute(const Scenario& s) {
  double end = s.infusion_minutes + s.recovery_minutes;
  for (const auto& a : s.actions) end = std::max(end, a.minute);
  return end + 1;  // the last recovery reading completes inside the session
}

std::vector<NurseAction> effective_actions(const Scenario& s) {
  if (!s.actions.empty()) return s.actions;
  return {
      {session_start_minute(s), NurseActionKind::Begin},
      {0, NurseActionKind::Start},
      {s.infusion_minutes, NurseActionKind::Stop},
      {session_end_minute(s), NurseActionKind::End},
  };
}

}  // namespace vigil::sim
