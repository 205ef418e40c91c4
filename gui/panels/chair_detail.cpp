// Chair detail: the selected chair's values in large digits, its session trend, and the
// session actions. Every action goes through a confirmation step; the outcome is shown
// only when vigild's answer and events arrive (the dashboard does not pretend).

#include <algorithm>
#include <cstdio>

#include "common/vocabulary.hpp"
#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

void ask(UiState& ui, PanelAction action, std::string text) {
  ui.pending = std::move(action);
  ui.pending_text = std::move(text);
}

void session_buttons(const ChairView& c, UiState& ui) {
  const std::string& bed = c.bed;
  if (!c.has_session) {
    ImGui::SetNextItemWidth(220);
    ImGui::InputText("patient label", ui.patient, sizeof ui.patient);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("planned min", &ui.planned_minutes);
    ui.planned_minutes = std::clamp(ui.planned_minutes, 1, 240);
    ImGui::SameLine();
    if (ImGui::Button("Begin session")) {
      PanelAction a = PanelAction::on(PanelAction::Begin, bed);
      a.patient = ui.patient;
      a.planned_minutes = ui.planned_minutes;
      ask(ui, a,
          "Begin a session on " + bed + " for '" + a.patient + "', " + std::to_string(a.planned_minutes) +
              " min?");
    }
    return;
  }
  if (ImGui::Button("Start infusion"))
    ask(ui, PanelAction::on(PanelAction::Start, bed), "Start the infusion on " + bed + "?");
  ImGui::SameLine();
  if (ImGui::Button("Stop infusion"))
    ask(ui, PanelAction::on(PanelAction::Stop, bed), "Stop the infusion on " + bed + "?");
  ImGui::SameLine();
  if (ImGui::Button("End session"))
    ask(ui, PanelAction::on(PanelAction::End, bed), "End the session on " + bed + "?");
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("SBP", &ui.override_sys);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("DIA", &ui.override_dia);
  ui.override_sys = std::clamp(ui.override_sys, 40, 300);
  ui.override_dia = std::clamp(ui.override_dia, 20, 200);
  ImGui::SameLine();
  if (ImGui::Button("Override baseline")) {
    PanelAction a = PanelAction::on(PanelAction::BaselineOverride, bed);
    a.sys = ui.override_sys;
    a.dia = ui.override_dia;
    ask(ui, a,
        "Set the baseline of " + bed + " to " + std::to_string(ui.override_sys) + "/" +
            std::to_string(ui.override_dia) + "?");
  }
  ImGui::SameLine();
  if (ImGui::Button("Accept measured baseline")) {
    PanelAction a = PanelAction::on(PanelAction::BaselineOverride, bed);
    a.accept_measured = true;
    ask(ui, a, "Accept the measured baseline of " + bed + " and release the pre-infusion gate?");
  }
}

void confirmation(UiState& ui, const ActionSink& act) {
  if (!ui.pending) return;
  if (!ImGui::IsPopupOpen("Confirm")) ImGui::OpenPopup("Confirm");
  if (ImGui::BeginPopupModal("Confirm", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted(ui.pending_text.c_str());
    if (ImGui::Button("Confirm", ImVec2(160, 0))) {
      act(*ui.pending);
      ui.pending.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(160, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
      ui.pending.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

}  // namespace

void draw_chair_detail(const DashboardSnapshot& s, const ChairTrend& trend, UiState& ui, const Fonts& f,
                       const ActionSink& act, ImVec2 pos, ImVec2 size) {
  if (s.chairs.empty()) return;
  ui.selected = std::clamp(ui.selected, 0, static_cast<int>(s.chairs.size()) - 1);
  const ChairView& c = s.chairs[static_cast<std::size_t>(ui.selected)];
  ImDrawList* d = ImGui::GetWindowDrawList();
  d->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), palette::kTile, 6.0f);

  // Header: name, patient, phase, clock.
  std::string title = c.bed + (c.patient.empty() ? "" : "  " + c.patient) + "   " + word(c.phase);
  text_at(d, f.large, ImVec2(pos.x + 10, pos.y + 6), palette::kText, title);
  std::string clock;
  if (c.recovery_ms)
    clock = "recovery " + clock_text(*c.recovery_ms);
  else if (c.infusion_running || c.infusion_elapsed_ms > 0)
    clock =
        "infusion " + clock_text(c.infusion_elapsed_ms) + " / " + std::to_string(c.planned_minutes) + " min";
  // Beside the title when both fit, else on its own line: never drawn over the title.
  float header_h = f.large->FontSize;
  const float clock_w = text_size(f.large, clock).x;
  if (text_size(f.large, title).x + clock_w + 40 <= size.x) {
    text_at(d, f.large, ImVec2(pos.x + size.x - clock_w - 10, pos.y + 6), palette::kText, clock);
  } else {
    text_at(d, f.large, ImVec2(pos.x + 10, pos.y + 6 + header_h), palette::kText, clock);
    header_h += f.large->FontSize;
  }

  // Values row in the big font.
  float y = pos.y + header_h + 14;
  float x = pos.x + 10;
  auto block = [&](const char* label, const std::string& num, const VitalView& v) {
    text_at(d, f.normal, ImVec2(x, y), palette::kLabel, label);
    text_at(d, f.big, ImVec2(x, y + f.normal->FontSize), vital_colour(v), num);
    text_at(d, f.normal, ImVec2(x, y + f.normal->FontSize + f.big->FontSize), vital_colour(v), age_label(v));
    x += std::max(text_size(f.big, num).x, 90.0f) + 30;
  };
  block("SBP/DIA", number_text(c.sys) + "/" + number_text(c.dia), c.sys);
  block("MAP", number_text(c.map), c.map);
  block(c.hr.from_pulse ? "PR" : "HR", number_text(c.hr), c.hr);  // PR: pulse rate standing in for HR
  block("SpO2", number_text(c.spo2), c.spo2);
  if (c.baseline_sys && c.baseline_dia) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "baseline %.0f/%.0f", *c.baseline_sys, *c.baseline_dia);
    text_at(d, f.normal, ImVec2(x, y + f.normal->FontSize), palette::kLabel, buf);
  }
  y += f.normal->FontSize * 2 + f.big->FontSize + 8;

  // Trend: everything but the action rows at the bottom.
  const float actions_h = 120;
  const ImVec2 plot_pos(pos.x + 10, y);
  const ImVec2 plot_size(size.x - 20, std::max(80.0f, pos.y + size.y - y - actions_h));
  draw_trend_plot(d, plot_pos, plot_size, trend, s.server_now_ms, f);

  ImGui::SetCursorScreenPos(ImVec2(pos.x + 10, plot_pos.y + plot_size.y + 8));
  ImGui::PushID(c.bed.c_str());
  if (!s.data_valid) {
    ImGui::TextUnformatted("Session actions need the link to vigild.");
  } else {
    session_buttons(c, ui);
    // Alarm handling is not confirmed: it must be one press. The result comes back on the stream.
    if (ImGui::Button("Acknowledge all on this chair")) {
      for (const auto& a : c.alerts)
        if (a.state != proto::ACKNOWLEDGED) act(PanelAction::on(PanelAction::Acknowledge, c.bed, a.id));
    }
    ImGui::SameLine();
    if (ImGui::Button("Pause audio 2 min")) act(PanelAction::on(PanelAction::PauseAudio, c.bed));
    ImGui::SameLine();
    // The chair's latest session (also once ended) as a PDF for the chart; vigild writes it
    // and answers with the path, shown in the top bar ("Report saved: ..."), or says why not.
    // Read-only, so no confirmation.
    if (ImGui::Button("Report")) act(PanelAction::on(PanelAction::Report, c.bed));
    ImGui::SameLine();
  }
  if (ImGui::Button("Back to all chairs (Esc)")) ui.detail = false;
  ImGui::PopID();
  confirmation(ui, act);
}

}  // namespace vigil::dashboard
