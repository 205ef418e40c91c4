// Who acknowledges, asked at the moment of acknowledging (--identify pick|pin): a shared
// central screen has many nurses, so the name is not fixed at launch. A quick pick of the
// nurses vigild knows (ServerHello.nurses), big buttons; in Pin mode that nurse's PIN next.
// vigild checks the PIN and logs the nurse picked; this panel only asks.

#include <algorithm>

#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

void finish(UiState& ui, const ActionSink& act, const std::string& user, const std::string& pin) {
  PanelAction a = *ui.identify;
  a.user = user;
  a.pin = pin;
  ui.identify.reset();
  ui.identify_user.clear();
  std::fill(std::begin(ui.pin), std::end(ui.pin), '\0');
  act(a);
}

void cancel_identify(UiState& ui) {
  ui.identify.reset();
  ui.identify_user.clear();
  std::fill(std::begin(ui.pin), std::end(ui.pin), '\0');
}

// Long enough to pick a name and type a PIN, short enough not to leave a dialog over the ward.
constexpr double kIdentifyTimeoutS = 30;

}  // namespace

void draw_identify(UiState& ui, IdentifyMode mode, const std::vector<std::string>& nurses, const Fonts& f,
                   const ActionSink& act) {
  if (!ui.identify) return;
  constexpr const char* kTitle = "Who acknowledges?";
  if (!ImGui::IsPopupOpen(kTitle)) {
    ImGui::OpenPopup(kTitle);
    ui.identify_opened_s = ImGui::GetTime();
  }
  // A picker nobody answers goes away: the alarm stays unacknowledged and keeps sounding.
  if (ImGui::GetTime() - ui.identify_opened_s > kIdentifyTimeoutS) {
    cancel_identify(ui);
    return;
  }
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  // No dimming behind it: every alarm colour stays as bright while a nurse picks her name.
  ImGui::PushStyleColor(ImGuiCol_ModalWindowDimBg, ImVec4(0, 0, 0, 0));
  const bool open = ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleColor();
  if (!open) return;
  ImGui::PushFont(f.large);
  ImGui::Text("Acknowledge on %s", ui.identify->bed.c_str());
  const ImVec2 button(std::max(f.large->FontSize * 10, 240.0f), f.large->FontSize * 1.8f);
  bool cancel = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
  if (ui.identify_user.empty()) {
    if (nurses.empty()) {
      // vigild without logins (loopback) names nobody: the nurse types her name.
      ImGui::TextUnformatted("Your name:");
      if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
      const bool entered = ImGui::InputText("##user", ui.typed_user, sizeof ui.typed_user,
                                            ImGuiInputTextFlags_EnterReturnsTrue);
      if ((entered || ImGui::Button("Acknowledge", button)) && ui.typed_user[0] != '\0') {
        finish(ui, act, ui.typed_user, {});
        ImGui::CloseCurrentPopup();
      }
    }
    // Digits 1-9 pick the first nine without a mouse.
    for (std::size_t i = 0; i < nurses.size(); ++i) {
      const std::string label = (i < 9 ? std::to_string(i + 1) + "  " : std::string()) + nurses[i];
      // ImGui 1.86 keys are the backend's codes; GLFW's digit keys are their ASCII codes.
      const bool key = i < 9 && ImGui::IsKeyPressed('1' + static_cast<int>(i));
      if (ImGui::Button(label.c_str(), button) || key) {
        if (mode == IdentifyMode::Pin) {
          ui.identify_user = nurses[i];
        } else {
          finish(ui, act, nurses[i], {});
          ImGui::CloseCurrentPopup();
          break;
        }
      }
    }
  } else {
    ImGui::Text("PIN for %s", ui.identify_user.c_str());
    if (ImGui::IsWindowAppearing() || !ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
    const bool entered =
        ImGui::InputText("##pin", ui.pin, sizeof ui.pin,
                         ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue |
                             ImGuiInputTextFlags_CharsDecimal);
    if (entered || ImGui::Button("Acknowledge", button)) {
      finish(ui, act, ui.identify_user, ui.pin);
      ImGui::CloseCurrentPopup();
    }
  }
  if (ui.identify && (ImGui::Button("Cancel (Esc)", button) || cancel)) {
    cancel_identify(ui);
    ImGui::CloseCurrentPopup();
  }
  ImGui::PopFont();
  ImGui::EndPopup();
}

}  // namespace vigil::dashboard
