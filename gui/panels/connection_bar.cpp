// The connection bar along the top, and the NO DATA banner across the whole screen when
// the link is lost: values are blanked by the model, the banner says why.

#include <ctime>

#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

void draw_connection_bar(const DashboardSnapshot& s, const AudioStatus& audio, const Fonts& f,
                         const layout::Measure& measure, ImVec2 pos, ImVec2 size) {
  ImDrawList* d = ImGui::GetWindowDrawList();
  const ImVec2 end(pos.x + size.x, pos.y + size.y);
  d->AddRectFilled(pos, end, IM_COL32(25, 25, 30, 255));
  const float ty = pos.y + (size.y - f.large->FontSize) / 2;
  std::string link;
  ImU32 col = palette::kOk;
  switch (s.link) {
    case LinkView::Connected:
      link = s.data_valid ? "LINK OK" : "LINK OK, loading";
      col = s.data_valid ? palette::kOk : palette::kYellow;
      break;
    case LinkView::Connecting:
      link = "CONNECTING";
      col = palette::kYellow;
      break;
    case LinkView::Lost:
      link = "LINK LOST";
      col = palette::kLinkLost;
      break;
  }
  float x = pos.x + 10;
  text_at(d, f.large, ImVec2(x, ty), col, link);
  x += text_size(f.large, link).x + 30;
  // vigild's clock, as every age, clock and history line on the screen (a --time-scale demo
  // shows simulated time everywhere, not two different times).
  const std::int64_t now_ms = s.server_time_known ? s.server_now_ms : s.now_ms;
  std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char clock[16];
  std::strftime(clock, sizeof clock, "%H:%M:%S", &tm);
  text_at(d, f.large, ImVec2(x, ty), palette::kText, clock);
  x += text_size(f.large, clock).x + 30;
  const std::string user = s.user.empty() ? std::string("shared screen") : "user " + s.user;
  text_at(d, f.normal, ImVec2(x, pos.y + (size.y - f.normal->FontSize) / 2), palette::kLabel, user);
  x += text_size(f.normal, user).x + 30;
  // Audio state at the right: a technical warning when the tones cannot play.
  std::string audio_text;
  ImU32 audio_fill = IM_COL32(25, 25, 30, 255), audio_col = palette::kLabel;
  if (!audio.available) {
    audio_text = "AUDIO UNAVAILABLE";
    audio_fill = palette::kCyan;
    audio_col = IM_COL32(0, 0, 0, 255);
  } else if (audio.sounding != Priority::None) {
    audio_text = "SOUNDING " + std::string(to_string(audio.sounding));
  } else {
    audio_text = "audio ready";
  }
  const ImVec2 ts = text_size(f.large, audio_text);
  const ImVec2 a(end.x - ts.x - 24, pos.y + 3), b(end.x - 4, end.y - 3);
  d->AddRectFilled(a, b, audio_fill, 4.0f);
  text_at(d, f.large, ImVec2(a.x + 10, ty), audio_col, audio_text);
  // The last request's result between the user and the audio box: whole words, on two
  // smaller lines when one is not enough ("ack CHAIR1-P1-3 as lee: refused: wrong PIN").
  if (!s.last_result.empty()) {
    layout::FitRequest r;
    r.max_px = f.normal->FontSize;
    r.min_px = f.normal->FontSize * 0.6f;
    r.max_lines = 2;
    layout::TextBlock block =
        layout::fit_text(measure, s.last_result, layout::Rect{x, pos.y + 2, a.x - x - 16, size.y - 4}, r);
    block.box.y = pos.y + (size.y - block.height()) / 2;
    draw_block(d, f, block, palette::kLabel);
  }
}

void draw_link_overlay(const DashboardSnapshot& s, const Fonts& f, ImVec2 display) {
  if (s.data_valid) return;
  ImDrawList* d = ImGui::GetForegroundDrawList();
  const bool lost = s.link == LinkView::Lost;
  const std::string head = lost ? "NO DATA - LINK TO VIGILD LOST" : "NO DATA - CONNECTING TO VIGILD";
  const std::string sub = (s.link_detail.empty() ? std::string() : s.link_detail + " - ") +
                          "values are blanked; reconnecting automatically";
  const float h = f.huge->FontSize + f.large->FontSize + 40;
  const float y = display.y * 0.5f - h / 2;
  d->AddRectFilled(ImVec2(0, y), ImVec2(display.x, y + h), palette::kLinkLost);
  const ImVec2 hs = text_size(f.huge, head);
  ImFont* hf = hs.x < display.x - 20 ? f.huge : f.big;
  text_at(d, hf, ImVec2((display.x - text_size(hf, head).x) / 2, y + 10), IM_COL32(0, 0, 0, 255), head);
  text_at(d, f.large, ImVec2((display.x - text_size(f.large, sub).x) / 2, y + 20 + hf->FontSize),
          IM_COL32(0, 0, 0, 255), sub);
}

}  // namespace vigil::dashboard
