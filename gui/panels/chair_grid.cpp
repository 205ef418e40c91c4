// The chair grid: one tile per chair, laid out for 1-16 chairs. Numbers take the biggest
// font that fits, so with four chairs they read from 4 m; with 10-16 chairs a compact tile
// keeps every value and its age visible at a smaller size.

#include <algorithm>
#include <cmath>

#include "common/vocabulary.hpp"
#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

// The infusion clock line: "INFUSION 12:30 / 40 min", "RECOVERY 05:00", or the phase.
std::string clock_line(const ChairView& c) {
  if (c.recovery_ms) return "RECOVERY " + clock_text(*c.recovery_ms);
  if (c.infusion_running || c.infusion_elapsed_ms > 0) {
    std::string s =
        std::string(c.infusion_paused ? "PAUSED " : "INFUSION ") + clock_text(c.infusion_elapsed_ms);
    if (c.planned_minutes > 0) s += " / " + std::to_string(c.planned_minutes) + " min";
    return s;
  }
  return word(c.phase);
}

std::string next_nibp(const ChairView& c, bool data_valid) {
  if (!data_valid || !c.next_nibp_in_ms) return "";
  return *c.next_nibp_in_ms >= 0 ? "next NIBP " + age_text(*c.next_nibp_in_ms)
                                 : "NIBP overdue " + age_text(-*c.next_nibp_in_ms);
}

// Draws `s` right-aligned at `right` unless it would run into `left_limit`.
void text_right(ImDrawList* d, ImFont* font, float right, float y, float left_limit, ImU32 col,
                const std::string& s) {
  const float w = text_size(font, s).x;
  if (right - w >= left_limit) text_at(d, font, ImVec2(right - w, y), col, s);
}

// One value block: label above, number, age below.
float value_block(ImDrawList* d, const Fonts& f, ImFont* num_font, ImVec2 p, const char* label,
                  const std::string& number, const VitalView& v) {
  text_at(d, f.normal, p, palette::kLabel, label);
  p.y += f.normal->FontSize;
  text_at(d, num_font, p, vital_colour(v), number);
  const float w = text_size(num_font, number).x;
  text_at(d, f.normal, ImVec2(p.x, p.y + num_font->FontSize), vital_colour(v), age_label(v));
  return std::max(w, text_size(f.normal, age_label(v)).x);
}

// Values in a roomy tile: SBP/DIA, (MAP), baseline, HR, SpO2, each with its age.
void values_regular(ImDrawList* d, const ChairView& c, const Fonts& f, ImVec2 a, ImVec2 b) {
  const float room_h = b.y - a.y, room_w = b.x - a.x - 20;
  const float line_h = f.normal->FontSize;  // label above, age/MAP line below
  ImFont* num = f.large;
  bool one_row = false;
  for (ImFont* cand : {f.huge, f.big, f.large}) {
    const float bp_w = text_size(cand, "888/888").x, v_w = text_size(cand, "888").x;
    // BP block: label, number, (MAP) line; HR/SpO2 blocks: label, number, age line.
    const float bp_h = line_h + cand->FontSize + f.large->FontSize;
    const float hr_h = line_h + cand->FontSize + line_h;
    if (bp_w + 2 * v_w + 60 <= room_w && bp_h <= room_h) {
      num = cand;
      one_row = true;
      break;
    }
    if (bp_w <= room_w && 2 * v_w + 30 <= room_w && bp_h + 4 + hr_h <= room_h) {
      num = cand;
      break;
    }
  }
  const float x = a.x + 10, y = a.y;
  const std::string bp = number_text(c.sys) + "/" + number_text(c.dia);
  text_at(d, f.normal, ImVec2(x, y), palette::kLabel, "SBP/DIA (MAP) mmHg");
  text_at(d, num, ImVec2(x, y + line_h), vital_colour(c.sys), bp);
  float ux = x;
  const float uy = y + line_h + num->FontSize;
  const std::string map = "(" + number_text(c.map) + ")";
  text_at(d, f.large, ImVec2(ux, uy), vital_colour(c.map), map);
  ux += text_size(f.large, map).x + 12;
  if (c.baseline_sys && c.baseline_dia) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "base %.0f/%.0f", *c.baseline_sys, *c.baseline_dia);
    text_at(d, f.normal, ImVec2(ux, uy + 6), palette::kLabel, buf);
    ux += text_size(f.normal, buf).x + 12;
  }
  text_at(d, f.normal, ImVec2(ux, uy + 6), vital_colour(c.sys), age_label(c.sys));
  const float bp_w = std::max(text_size(num, "888/888").x, ux - x + text_size(f.normal, age_label(c.sys)).x);
  float hx = one_row ? x + bp_w + 30 : x;
  const float hy = one_row ? y : uy + f.large->FontSize + 4;
  const float hr_w = value_block(d, f, num, ImVec2(hx, hy), "HR /min", number_text(c.hr), c.hr);
  hx += std::max(hr_w, text_size(num, "888").x) + 30;
  value_block(d, f, num, ImVec2(hx, hy), "SpO2 %", number_text(c.spo2), c.spo2);
}

// Values in a small tile (10-16 chairs): two lines of numbers, one line of ages.
void values_compact(ImDrawList* d, const ChairView& c, const Fonts& f, ImVec2 a, ImVec2 b) {
  float x = a.x + 8, y = a.y;
  const std::string bp = number_text(c.sys) + "/" + number_text(c.dia);
  text_at(d, f.large, ImVec2(x, y), vital_colour(c.sys), bp);
  x += text_size(f.large, bp).x + 6;
  text_at(d, f.normal, ImVec2(x, y + 8), vital_colour(c.map), "(" + number_text(c.map) + ")");
  if (c.baseline_sys) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "b%.0f", *c.baseline_sys);
    text_right(d, f.normal, b.x - 8, y + 8, x + text_size(f.normal, "(888)").x + 4, palette::kLabel, buf);
  }
  y += f.large->FontSize + 2;
  x = a.x + 8;
  text_at(d, f.normal, ImVec2(x, y + 8), palette::kLabel, "HR");
  x += text_size(f.normal, "HR ").x;
  text_at(d, f.large, ImVec2(x, y), vital_colour(c.hr), number_text(c.hr));
  x += text_size(f.large, "888").x + 10;
  text_at(d, f.normal, ImVec2(x, y + 8), palette::kLabel, "SpO2");
  x += text_size(f.normal, "SpO2 ").x;
  text_at(d, f.large, ImVec2(x, y), vital_colour(c.spo2), number_text(c.spo2));
  y += f.large->FontSize + 2;
  // Ages in the order shown; a greyed age is an old value.
  x = a.x + 8;
  for (const VitalView* v : {&c.sys, &c.hr, &c.spo2}) {
    const std::string age = v->value ? v->age_text : "-";
    text_at(d, f.normal, ImVec2(x, y), vital_colour(*v), age);
    x += std::max(text_size(f.normal, age).x, 40.0f) + 10;
    if (x > b.x - 40) break;
  }
}

void draw_tile(ImDrawList* d, const ChairView& c, bool selected, bool data_valid, const Fonts& f, ImVec2 a,
               ImVec2 b) {
  const float h = b.y - a.y;
  const bool compact = h < 300;
  d->AddRectFilled(a, b, palette::kTile, 6.0f);
  // The first alert in list order sets the header band and the bottom line.
  const AlertView* top = c.alerts.empty() ? nullptr : &c.alerts.front();
  ImFont* alert_font = compact ? f.normal : f.large;
  const float header_h = f.large->FontSize + (compact ? 4 : 10);
  ImU32 header_fill = IM_COL32(40, 40, 48, 255);
  ImU32 header_text = palette::kText;
  if (top && !top->advisory) {
    header_fill = palette::alert_fill(top->colour, top->lit);
    header_text = palette::alert_text(top->colour, top->lit);
  }
  d->AddRectFilled(a, ImVec2(b.x, a.y + header_h), header_fill, 6.0f, ImDrawFlags_RoundCornersTop);
  const std::string title = c.bed + (c.patient.empty() ? "" : "  " + c.patient);
  d->PushClipRect(a, b, true);
  text_at(d, f.large, ImVec2(a.x + 8, a.y + (header_h - f.large->FontSize) / 2), header_text, title);
  text_right(d, f.normal, b.x - 8, a.y + (header_h - f.normal->FontSize) / 2,
             a.x + 16 + text_size(f.large, title).x, header_text, word(c.phase));

  float y = a.y + header_h + 4;
  const std::string clock = clock_line(c);
  text_at(d, f.normal, ImVec2(a.x + 8, y), palette::kText, clock);
  text_right(d, f.normal, b.x - 8, y, a.x + 20 + text_size(f.normal, clock).x, palette::kLabel,
             next_nibp(c, data_valid));
  y += f.normal->FontSize + 4;
  if (c.device_lost && data_valid) {
    text_at(d, f.large, ImVec2(a.x + 8, y), palette::kLinkLost, "MONITOR LOST");
    y += f.large->FontSize;
  }
  const float alert_h = alert_font->FontSize + 8;
  if (compact)
    values_compact(d, c, f, ImVec2(a.x, y), ImVec2(b.x, b.y - alert_h - 4));
  else
    values_regular(d, c, f, ImVec2(a.x, y), ImVec2(b.x, b.y - alert_h - 8));

  // Bottom line: the top alert's text, in its colour; advisories outlined.
  if (top) {
    const ImVec2 ta(a.x + 4, b.y - alert_h - 4), tb(b.x - 4, b.y - 4);
    if (top->advisory)
      d->AddRect(ta, tb, palette::kAdvisory, 4.0f, 0, 2.0f);
    else
      d->AddRectFilled(ta, tb, palette::alert_fill(top->colour, top->lit), 4.0f);
    std::string t =
        (top->advisory ? std::string("ADVISORY") : std::string(to_string(top->priority))) + "  " + top->text;
    if (top->state == proto::ACKNOWLEDGED) t += "  (ack " + top->acknowledged_by + ")";
    d->PushClipRect(ta, tb, true);
    text_at(d, alert_font, ImVec2(ta.x + 6, ta.y + 4), palette::alert_text(top->colour, top->lit), t);
    d->PopClipRect();
  }
  if (c.audio_paused)
    text_right(d, f.normal, b.x - 8, b.y - alert_h - 8 - f.normal->FontSize, a.x, palette::kYellow,
               "AUDIO PAUSED");
  d->PopClipRect();
  d->AddRect(a, b, selected ? palette::kText : IM_COL32(60, 60, 70, 255), 6.0f, 0, selected ? 3.0f : 1.0f);
}

}  // namespace

void draw_chair_grid(const DashboardSnapshot& s, UiState& ui, const Fonts& f, ImVec2 pos, ImVec2 size) {
  ImDrawList* d = ImGui::GetWindowDrawList();
  const int n = static_cast<int>(std::min<std::size_t>(s.chairs.size(), 16));
  if (n == 0) {
    text_at(d, f.large, ImVec2(pos.x + 20, pos.y + 20), palette::kLabel,
            s.data_valid ? "No chairs have sent data yet" : "Waiting for vigild ...");
    return;
  }
  // Columns: 1 -> 1, 2-4 -> 2, 5-9 -> 3, 10-16 -> 4.
  const int cols = n == 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;
  const int rows = (n + cols - 1) / cols;
  const float gap = 8;
  const float tw = (size.x - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  const float th = (size.y - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
  for (int i = 0; i < n; ++i) {
    const ImVec2 a(pos.x + static_cast<float>(i % cols) * (tw + gap),
                   pos.y + static_cast<float>(i / cols) * (th + gap));
    const ImVec2 b(a.x + tw, a.y + th);
    draw_tile(d, s.chairs[static_cast<std::size_t>(i)], i == ui.selected, s.data_valid, f, a, b);
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID(i);
    if (ImGui::InvisibleButton("tile", ImVec2(tw, th))) {
      ui.selected = i;
      ui.detail = true;
    }
    ImGui::PopID();
  }
}

}  // namespace vigil::dashboard
