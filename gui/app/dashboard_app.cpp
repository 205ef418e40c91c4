#include "app/dashboard_app.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <iostream>

#include "app/fonts.hpp"
#include "layout/screen_layout.hpp"
#include "model/model_views.hpp"
#include "panels/draw_util.hpp"

namespace vigil::dashboard {

namespace {

// The alert the A key acknowledges: the first unacknowledged alarm in list order, else
// the first unacknowledged advisory.
const AlertView* top_unacknowledged(const DashboardSnapshot& s) {
  for (const auto& a : s.alerts)
    if (a.state != proto::ACKNOWLEDGED) return &a;
  return nullptr;
}

void status(const std::string& line) { std::cout << line << std::endl; }

// A refused login (wrong token, unknown certificate, role problem) or unusable TLS files:
// the client does not retry, so the usual "reconnecting automatically" would be a lie.
// `final`: the client's last link error was final (net::is_final), not guessed from its text.
bool login_refused(const DashboardSnapshot& s, bool final) { return s.link == LinkView::Lost && final; }

// The NO DATA banner (red stays for patient alarms), saying that a person must fix the
// login: the values are blanked and nothing will come back by itself.
void draw_refusal_overlay(const DashboardSnapshot& s, const Fonts& f, ImVec2 display) {
  ImDrawList* d = ImGui::GetForegroundDrawList();
  const std::string head = "NO DATA - VIGILD REFUSED THIS SCREEN";
  const std::string sub = s.link_detail + " - not retrying: check --token / VIGIL_TOKEN, --cert, --ca";
  const float h = f.huge->FontSize + 2 * f.large->FontSize + 50;
  const float y = display.y * 0.5f - h / 2;
  d->AddRectFilled(ImVec2(0, y), ImVec2(display.x, y + h), palette::kLinkLost);
  ImFont* hf = text_size(f.huge, head).x < display.x - 20 ? f.huge : f.big;
  const ImU32 black = IM_COL32(0, 0, 0, 255);
  text_at(d, hf, ImVec2((display.x - text_size(hf, head).x) / 2, y + 10), black, head);
  text_at(d, f.large, ImVec2((display.x - text_size(f.large, sub).x) / 2, y + 20 + hf->FontSize), black, sub);
  const std::string call = "Call IT: this screen shows no patient";
  text_at(d, f.large,
          ImVec2((display.x - text_size(f.large, call).x) / 2, y + 30 + hf->FontSize + f.large->FontSize),
          black, call);
}

}  // namespace

DashboardApp::DashboardApp(DashboardClient& client, AlarmSound& sound, Fonts fonts, Options options)
    : client_(client), sound_(sound), fonts_(fonts), options_(std::move(options)) {
  ui_.detail = options_.start_in_detail;
  if (!options_.order_file.empty()) order_ = ChairOrder::load(options_.order_file);
}

void DashboardApp::reorder(const DashboardSnapshot& s) {
  if (!ui_.move) return;
  const UiState::Move m = *ui_.move;
  ui_.move.reset();
  if (!order_.move_onto(s.chairs, m.bed, m.onto)) return;
  // The moved chair stays selected where it went.
  for (std::size_t i = 0; i < s.chairs.size(); ++i)
    if (s.chairs[i].bed == m.onto) ui_.selected = static_cast<int>(i);
  if (options_.order_file.empty()) return;
  if (auto error = order_.save(options_.order_file))
    status("chair-order not saved: " + *error);
  else
    status("chair-order saved");
}

void DashboardApp::perform(const PanelAction& a) {
  // Identify at the moment of acknowledging: a shared screen asks who first (the picker
  // calls back here with the user set).
  if (a.kind == PanelAction::Acknowledge && a.user.empty() && options_.identify != IdentifyMode::Fixed) {
    if (!options_.test_pick_user.empty()) {
      PanelAction picked = a;
      picked.user = options_.test_pick_user;
      picked.pin = options_.test_pick_pin;
      return perform(picked);
    }
    ui_.identify = a;
    ui_.identify_user.clear();
    status("identify-asked " + a.alert_id);
    return;
  }
  proto::NurseRequest r;
  r.set_bed(a.bed);
  r.set_user(a.user);
  r.set_pin(a.pin);
  std::string what;
  switch (a.kind) {
    case PanelAction::Acknowledge:
      r.mutable_acknowledge()->set_alert_id(a.alert_id);
      what = "ack " + a.alert_id + (a.user.empty() ? "" : " as " + a.user);
      break;
    case PanelAction::PauseAudio:
      r.mutable_pause_audio();
      what = "audio pause " + a.bed;
      break;
    case PanelAction::Begin:
      r.mutable_begin()->set_patient(a.patient);
      r.mutable_begin()->set_planned_minutes(a.planned_minutes);
      what = "begin " + a.bed;
      break;
    case PanelAction::BaselineOverride:
      if (a.accept_measured) {
        r.mutable_baseline_override()->set_accept_measured(true);
      } else {
        r.mutable_baseline_override()->set_sys_mmhg(a.sys);
        r.mutable_baseline_override()->set_dia_mmhg(a.dia);
      }
      what = "baseline " + a.bed;
      break;
    case PanelAction::Start:
      r.mutable_start_infusion();
      what = "start " + a.bed;
      break;
    case PanelAction::Stop:
      r.mutable_stop_infusion();
      what = "stop " + a.bed;
      break;
    case PanelAction::End:
      r.mutable_end_session();
      what = "end " + a.bed;
      break;
    case PanelAction::Report:
      r.mutable_report()->set_format("pdf");
      what = "report " + a.bed;
      break;
  }
  const bool sent = client_.request(r, what);
  status((sent ? "request-sent " : "request-not-sent ") + what);
}

void DashboardApp::acknowledge_top(const DashboardSnapshot& s) {
  if (const AlertView* a = top_unacknowledged(s))
    perform(PanelAction::on(PanelAction::Acknowledge, a->bed, a->id));
}

void DashboardApp::key_pressed(int key) {
  if (keys_.size() < 64) keys_.push_back(key);
}

void DashboardApp::keyboard(const DashboardSnapshot& s) {
  std::vector<int> keys;
  keys.swap(keys_);
  const ImGuiIO& io = ImGui::GetIO();
  // Typing a patient label or a PIN, confirming, or picking who acknowledges.
  if (io.WantTextInput || ui_.pending || ui_.identify) return;
  const int n = static_cast<int>(s.chairs.size());
  const bool ctrl = io.KeyCtrl;
  for (int key : keys) {
    if (ctrl && (key == GLFW_KEY_LEFT || key == GLFW_KEY_RIGHT) && n > 0) {
      const int to = ui_.selected + (key == GLFW_KEY_LEFT ? -1 : 1);
      if (to >= 0 && to < n)
        ui_.move = UiState::Move{s.chairs[static_cast<std::size_t>(ui_.selected)].bed,
                                 s.chairs[static_cast<std::size_t>(to)].bed};
      continue;
    }
    switch (key) {
      case GLFW_KEY_A: acknowledge_top(s); break;
      case GLFW_KEY_P:
        if (const AlertView* a = top_unacknowledged(s))
          perform(PanelAction::on(PanelAction::PauseAudio, a->bed));
        break;
      case GLFW_KEY_TAB:
      case GLFW_KEY_RIGHT:
        if (n > 0) ui_.selected = (ui_.selected + 1) % n;
        break;
      case GLFW_KEY_LEFT:
        if (n > 0) ui_.selected = (ui_.selected + n - 1) % n;
        break;
      case GLFW_KEY_ENTER: ui_.detail = true; break;
      case GLFW_KEY_ESCAPE: ui_.detail = false; break;
      default: break;
    }
  }
}

void DashboardApp::report(const DashboardSnapshot& s) {
  if (!reported_link_ || *reported_link_ != s.link) {
    reported_link_ = s.link;
    status(s.link == LinkView::Connected ? "link connected"
           : s.link == LinkView::Lost    ? "link lost"
                                         : "link connecting");
    if (login_refused(s, client_.link_final())) status("login refused: " + s.link_detail);
  }
  if (s.data_valid != reported_valid_) {
    reported_valid_ = s.data_valid;
    status(s.data_valid ? "data valid" : "data blanked");
  }
  // Whom this screen may name when asked who acknowledges (ServerHello.nurses).
  std::string nurses = "nurses";
  for (const auto& n : s.nurses) nurses += " " + n;
  if (s.pin_required) nurses += " (PIN)";
  if (!s.nurses.empty() && nurses != reported_nurses_) status(nurses);
  reported_nurses_ = nurses;
  // A HIGH alarm drawn in its lit phase: what a screenshot of "the red alarm" needs.
  std::string high;
  for (const auto& a : s.alerts)
    if (a.priority == Priority::High && !a.advisory && a.lit) high = a.bed;
  if (!high.empty() && high != reported_high_) status("high-alert shown " + high);
  if (!high.empty()) reported_high_ = high;
  // Acknowledgements as they come back from vigild (not as they were sent).
  for (const auto& a : s.alerts) {
    if (a.state != proto::ACKNOWLEDGED || reported_acks_.count(a.id)) continue;
    if (reported_acks_.size() >= 1024) reported_acks_.clear();  // bounded; a repeat line is harmless
    reported_acks_.insert(a.id);
    status("acknowledged-shown " + a.id + " by " + a.acknowledged_by);
  }
}

// The selected chair's stored history: asked for once the screen has a valid snapshot (one
// chair at a time, when selected: a 16-chair ward does not queue 16 reads at vigild), and
// asked again after a reconnect (the model forgets the state with the link).
client::HistoryStatus DashboardApp::selected_history(const DashboardSnapshot& s, const std::string& bed) {
  if (bed.empty()) return {};
  client::HistoryStatus h = client_.history_status(bed);
  if (h.state == client::HistoryLoad::NotAsked && s.data_valid) {
    const bool sent = client_.request_history(bed);
    status((sent ? "request-sent history " : "request-not-sent history ") + bed);
    h = client_.history_status(bed);
  }
  auto& reported = reported_history_[bed];
  if (h.state != reported) {
    reported = h.state;
    if (h.state == client::HistoryLoad::Loaded)
      status("history-loaded " + bed + " " + std::to_string(h.readings) + (h.truncated ? " truncated" : ""));
    if (h.state == client::HistoryLoad::Refused) status("history-refused " + bed + ": " + h.reason);
  }
  if (reported_history_.size() > client::WardModel::kMaxChairs) reported_history_.clear();
  return h;
}

void DashboardApp::frame(std::int64_t now_ms, ImVec2 display) {
  DashboardSnapshot s = client_.snapshot(now_ms);
  order_.apply(s.chairs);
  sound_.set_priority(s.sound);
  if (!s.chairs.empty()) ui_.selected = std::clamp(ui_.selected, 0, static_cast<int>(s.chairs.size()) - 1);
  keyboard(s);
  reorder(s);
  // The alarm being acknowledged went away (resolved, or acknowledged at another screen):
  // nothing left to ask about.
  if (ui_.identify && s.data_valid && std::none_of(s.alerts.begin(), s.alerts.end(), [&](const AlertView& a) {
        return a.id == ui_.identify->alert_id && a.state != proto::ACKNOWLEDGED;
      })) {
    ui_.identify.reset();
    ui_.identify_user.clear();
    status("identify-closed: the alert is gone or acknowledged");
  }
  // Test hook: the same path as the A key, once a top alarm has been on screen long enough.
  if (options_.test_ack_top_after_ms && !test_ack_done_) {
    if (top_unacknowledged(s) && s.data_valid) {
      if (top_alarm_since_ms_ == 0) top_alarm_since_ms_ = now_ms;
      if (now_ms - top_alarm_since_ms_ >= *options_.test_ack_top_after_ms) {
        acknowledge_top(s);
        test_ack_done_ = true;
      }
    } else {
      top_alarm_since_ms_ = 0;
    }
  }

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(display);
  ImGui::Begin("vigil", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  // Every box on the screen comes from the layout for this size (gui/layout/).
  const layout::ScreenLayout screen = layout::screen_layout(display.x, display.y);
  const layout::Measure measure = font_measure(fonts_);
  draw_connection_bar(s, {sound_.available(), sound_.error(), s.sound}, fonts_, measure,
                      ImVec2(screen.bar.x, screen.bar.y), ImVec2(screen.bar.w, screen.bar.h));
  const ActionSink sink = [this](const PanelAction& a) { perform(a); };
  const std::string bed = s.chairs.empty() ? "" : s.chairs[static_cast<std::size_t>(ui_.selected)].bed;
  const client::HistoryStatus stored = selected_history(s, bed);
  const ChairTrend trend = bed.empty() ? ChairTrend{} : client_.trend(bed);
  if (ui_.detail && !s.chairs.empty()) {
    trend_points_ = trend.sys.size();
    draw_chair_detail(s, trend, ui_, fonts_, sink, ImVec2(screen.grid.x, screen.grid.y),
                      ImVec2(screen.grid.w, screen.grid.h));
  } else {
    draw_chair_grid(s, ui_, fonts_, measure, screen);
  }
  draw_alert_list(s, fonts_, measure, screen, sink);
  draw_history(s, trend, bed.empty() ? std::vector<HistoryEntry>{} : client_.history(bed), stored, ui_,
               screen);
  draw_identify(ui_, options_.identify, s.nurses, fonts_, sink);
  ImGui::End();
  if (login_refused(s, client_.link_final())) {
    draw_refusal_overlay(s, fonts_, display);
  } else {
    draw_link_overlay(s, fonts_, display);
  }
  report(s);

  if (!options_.screenshot.empty() && !screenshot_due_) {
    const std::string& when = options_.screenshot_when;
    bool high_lit = false;
    for (const auto& a : s.alerts) high_lit |= a.priority == Priority::High && !a.advisory && a.lit;
    screenshot_due_ = (when == "connected" && s.data_valid) ||
                      (when == "high-alert" && s.data_valid && high_lit) ||
                      (when == "link-lost" && s.link == LinkView::Lost) ||
                      (when == "detail" && s.data_valid && ui_.detail && !s.chairs.empty()) ||
                      (when == "trend" && s.data_valid && ui_.detail && trend_points_ >= 3);
  }
}

}  // namespace vigil::dashboard
