// The alert list: every chair's active alarms (sorted: HIGH first, unacknowledged first,
// oldest first), then advisories in their own style, each with ACK and 2-minute audio
// pause. Every row's texts wrap in the column (layout_alert_row); none is cut.

#include "common/vocabulary.hpp"
#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

void alert_row(const AlertView& a, const Fonts& f, const layout::Measure& measure,
               const layout::ScreenLayout& screen, const ActionSink& act, float width) {
  ImDrawList* d = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  // Bed, priority, rule; the text (value and limit); then the state and who acted. Each
  // wraps in the column (layout_alert_row): a narrow list never cuts a word.
  const std::string head = a.bed + "  " +
                           (a.advisory ? std::string("ADVISORY") : std::string(to_string(a.priority))) +
                           "  " + word(a.rule);
  std::string state = a.state == proto::AUDIO_PAUSED ? "AUDIO PAUSED" : word(a.state);
  if (!a.acknowledged_by.empty()) state += " by " + a.acknowledged_by;
  const int buttons = (a.state != proto::ACKNOWLEDGED ? 1 : 0) + (a.advisory ? 0 : 1);
  const layout::AlertRowLayout r =
      layout::layout_alert_row(measure, screen, width, head, a.text, state, alert_second_line(a), buttons);
  const ImVec2 e(p.x + width, p.y + r.height);
  if (a.advisory) {
    d->AddRect(p, e, palette::kAdvisory, 4.0f, 0, 2.0f);
  } else {
    d->AddRectFilled(p, e, palette::alert_fill(a.colour, a.lit), 4.0f);
  }
  const ImU32 tc = a.advisory ? palette::kAdvisory : palette::alert_text(a.colour, a.lit);
  for (const layout::TextBlock* b : r.blocks()) draw_block(d, f, *b, tc, p);
  ImGui::PushID(a.id.c_str());
  const float gap = 4, bh = r.height - 2 * gap;
  float bx = e.x - static_cast<float>(buttons) * (r.button_w + gap);
  if (a.state != proto::ACKNOWLEDGED) {
    ImGui::SetCursorScreenPos(ImVec2(bx, p.y + gap));
    if (ImGui::Button("ACK", ImVec2(r.button_w, bh)))
      act(PanelAction::on(PanelAction::Acknowledge, a.bed, a.id));
    bx += r.button_w + gap;
  }
  if (!a.advisory) {
    ImGui::SetCursorScreenPos(ImVec2(bx, p.y + gap));
    if (ImGui::Button("PAUSE\n2 min", ImVec2(r.button_w, bh)))
      act(PanelAction::on(PanelAction::PauseAudio, a.bed));
  }
  ImGui::PopID();
  ImGui::SetCursorScreenPos(ImVec2(p.x, e.y + 6));
}

}  // namespace

void draw_alert_list(const DashboardSnapshot& s, const Fonts& f, const layout::Measure& measure,
                     const layout::ScreenLayout& screen, const ActionSink& act) {
  const layout::Rect& r = screen.alerts;
  ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
  ImGui::BeginChild("alerts", ImVec2(r.w, r.h), true);
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
    alert_row(a, f, measure, screen, act, width);
  }
  ImGui::EndChild();
}

}  // namespace vigil::dashboard
