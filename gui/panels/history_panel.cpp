// The selected chair's record under the alert list, newest first: NIBP measurements with
// the HR of that moment, infusion start / stop, and alert transitions with who acted
// (model/chair_record.hpp). A chair without alerts still shows its readings.

#include <ctime>

#include "model/chair_record.hpp"
#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

std::string local_hms(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

// Lines drawn at most: a 2-hour session at a 5-minute cycle has ~25 readings; the rest of
// the budget is alert transitions.
constexpr std::size_t kMaxRecordLines = 300;

}  // namespace

void draw_history(const DashboardSnapshot& s, const ChairTrend& trend,
                  const std::vector<HistoryEntry>& history, const client::HistoryStatus& stored,
                  const UiState& ui, const layout::ScreenLayout& screen) {
  const layout::Rect& r = screen.history;
  ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
  ImGui::BeginChild("history", ImVec2(r.w, r.h), true);
  const std::string bed = ui.selected >= 0 && static_cast<std::size_t>(ui.selected) < s.chairs.size()
                              ? s.chairs[static_cast<std::size_t>(ui.selected)].bed
                              : "";
  ImGui::Text("History %s", bed.c_str());
  // The stored part (before this screen connected) comes from vigild on request: say while
  // it is on its way, and why not when it was refused, so an empty list is never mistaken
  // for a chair with no past.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::kLabel));
  if (stored.state == client::HistoryLoad::Loading) ImGui::TextWrapped("loading history…");
  if (stored.state == client::HistoryLoad::Refused)
    ImGui::TextWrapped("stored history not shown: %s", stored.reason.c_str());
  if (stored.state == client::HistoryLoad::Loaded && stored.truncated)
    ImGui::TextWrapped("stored history cut at its size bound: the oldest part is shown");
  ImGui::PopStyleColor();
  const auto lines = chair_record(trend, history, kMaxRecordLines);
  if (lines.empty() && stored.state != client::HistoryLoad::Loading) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::kLabel));
    ImGui::TextWrapped("No readings, infusion marks or alerts stored for %s.", bed.c_str());
    ImGui::PopStyleColor();
  }
  for (const RecordLine& l : lines) {
    const ImU32 col = l.kind == RecordLine::Alert ? palette::alert_fill(alert_colour(l.priority, false), true)
                      : l.kind == RecordLine::Session ? palette::kText
                                                      : palette::kLabel;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col));
    ImGui::TextWrapped("%s  %s", local_hms(l.at_ms).c_str(), l.text.c_str());
    ImGui::PopStyleColor();
    if (!l.detail.empty()) {
      ImGui::Indent(16);
      ImGui::TextWrapped("%s", l.detail.c_str());
      ImGui::Unindent(16);
    }
  }
  ImGui::EndChild();
}

}  // namespace vigil::dashboard
