// The alert list: every chair's active alarms (sorted: HIGH first, unacknowledged first,
// oldest first), then advisories in their own style, each with ACK and 2-minute audio
// pause; below, the selected chair's alert history with who acknowledged what and when.

#include <ctime>

#include "common/vocabulary.hpp"
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

void alert_row(const AlertView& a, const Fonts& f, const ActionSink& act, float width) {
  ImDrawList* d = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = f.large->FontSize + 2 * f.normal->FontSize + 14;
  const ImVec2 e(p.x + width, p.y + h);
  if (a.advisory) {
    d->AddRect(p, e, palette::kAdvisory, 4.0f, 0, 2.0f);
  } else {
    d->AddRectFilled(p, e, palette::alert_fill(a.colour, a.lit), 4.0f);
  }
  const ImU32 tc = palette::alert_text(a.colour, a.lit);
  // Bed, priority, rule; the text (value and limit); then the state and who acted.
  const std::string head = a.bed + "  " +
                           (a.advisory ? std::string("ADVISORY") : std::string(to_string(a.priority))) +
                           "  " + word(a.rule);
  std::string state = a.state == proto::AUDIO_PAUSED ? "AUDIO PAUSED" : word(a.state);
  if (!a.acknowledged_by.empty()) state += " by " + a.acknowledged_by;
  // Buttons sized by the font so they scale with the screen.
  const float bw = f.normal->FontSize * 3.4f;
  d->PushClipRect(p, ImVec2(e.x - (a.advisory ? bw + 12 : 2 * bw + 16), e.y), true);
  text_at(d, f.normal, ImVec2(p.x + 6, p.y + 3), tc, head);
  text_at(d, f.large, ImVec2(p.x + 6, p.y + f.normal->FontSize + 5), tc, a.text);
  text_at(d, f.normal, ImVec2(p.x + 6, p.y + f.normal->FontSize + f.large->FontSize + 7), tc, state);
  d->PopClipRect();
  ImGui::PushID(a.id.c_str());
  ImGui::SetCursorScreenPos(ImVec2(e.x - (a.advisory ? bw + 6 : 2 * bw + 12), p.y + 4));
  if (a.state != proto::ACKNOWLEDGED && ImGui::Button("ACK", ImVec2(bw, h - 8)))
    act(PanelAction::on(PanelAction::Acknowledge, a.bed, a.id));
  ImGui::SetCursorScreenPos(ImVec2(e.x - bw - 6, p.y + 4));
  if (!a.advisory && ImGui::Button("PAUSE\n2 min", ImVec2(bw, h - 8)))
    act(PanelAction::on(PanelAction::PauseAudio, a.bed));
  ImGui::PopID();
  ImGui::SetCursorScreenPos(ImVec2(p.x, e.y + 6));
}

}  // namespace

void draw_alert_list(const DashboardSnapshot& s, const std::vector<HistoryEntry>& history, const UiState& ui,
                     const Fonts& f, const ActionSink& act, ImVec2 pos, ImVec2 size) {
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("alerts", ImVec2(size.x, size.y * 0.6f), true);
  ImGui::PushFont(f.large);
  ImGui::TextUnformatted("Alerts");
  ImGui::PopFont();
  const float width = ImGui::GetContentRegionAvail().x;
  if (!s.data_valid) {
    ImGui::TextColored(ImVec4(1.0f, 0.47f, 0.0f, 1.0f), "Alerts unknown: no data from vigild");
  } else if (s.alerts.empty()) {
    ImGui::TextUnformatted("No active alerts");
  }
  bool advisories_started = false;
  for (const auto& a : s.alerts) {
    if (a.advisory && !advisories_started) {
      advisories_started = true;
      ImGui::TextUnformatted("Advisories (not alarms)");
    }
    alert_row(a, f, act, width);
  }
  ImGui::EndChild();

  ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + size.y * 0.6f + 6));
  ImGui::BeginChild("history", ImVec2(size.x, size.y * 0.4f - 6), true);
  const std::string bed = ui.selected >= 0 && static_cast<std::size_t>(ui.selected) < s.chairs.size()
                              ? s.chairs[static_cast<std::size_t>(ui.selected)].bed
                              : "";
  ImGui::Text("History %s", bed.c_str());
  // Newest first: what just happened is what the nurse looks for. Two lines per entry so
  // the text wraps in the narrow column.
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    ImGui::Text("%s  %s %s  %s%s%s", local_hms(it->at_ms).c_str(), word(it->rule).c_str(),
                std::string(to_string(it->priority)).c_str(), word(it->transition).c_str(),
                it->user.empty() ? "" : " by ", it->user.c_str());
    ImGui::Indent(16);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::kLabel));
    ImGui::TextWrapped("%s", it->text.c_str());
    ImGui::PopStyleColor();
    ImGui::Unindent(16);
  }
  ImGui::EndChild();
}

}  // namespace vigil::dashboard
