// The chair grid: one tile per chair (1-16), drawn exactly as layout_grid() placed it
// (gui/layout/screen_layout.hpp): the column count that gives the biggest BP digits, every
// text whole (wrapped, abbreviated by rule or smaller, never cut), alarm line at the bottom.

#include <algorithm>
#include <cstring>

#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

void draw_tile(ImDrawList* d, const ChairView& c, const layout::TileLayout& t, bool selected,
               const Fonts& f) {
  const ImVec2 a(t.tile.x, t.tile.y), b(t.tile.right(), t.tile.bottom());
  d->AddRectFilled(a, b, palette::kTile, 6.0f);
  // The first alert in list order sets the header band and the bottom line.
  const AlertView* top = c.alerts.empty() ? nullptr : &c.alerts.front();
  ImU32 header_fill = IM_COL32(40, 40, 48, 255);
  ImU32 header_text = palette::kText;
  if (top && !top->advisory) {
    header_fill = palette::alert_fill(top->colour, top->lit);
    header_text = palette::alert_text(top->colour, top->lit);
  }
  d->AddRectFilled(a, ImVec2(b.x, a.y + t.header_h), header_fill, 6.0f, ImDrawFlags_RoundCornersTop);
  // The layout keeps every text inside the tile; the clip is a second guard, not the rule.
  d->PushClipRect(a, b, true);
  draw_block(d, f, t.name, header_text);
  // In the band (right) the patient takes the band's text colour; on its own line, a label's.
  draw_block(d, f, t.patient, t.patient.align_right ? header_text : palette::kLabel);
  draw_block(d, f, t.clock, palette::kText);
  draw_block(d, f, t.nibp, palette::kLabel);
  draw_block(d, f, t.lost, palette::kLinkLost);
  draw_block(d, f, t.bp_label, palette::kLabel);
  draw_block(d, f, t.bp, vital_colour(c.sys));
  draw_block(d, f, t.bp_sub, vital_colour(c.sys));
  draw_block(d, f, t.hr_label, palette::kLabel);
  draw_block(d, f, t.hr, vital_colour(c.hr));
  draw_block(d, f, t.hr_age, vital_colour(c.hr));
  draw_block(d, f, t.spo2_label, palette::kLabel);
  draw_block(d, f, t.spo2, vital_colour(c.spo2));
  draw_block(d, f, t.spo2_age, vital_colour(c.spo2));
  draw_block(d, f, t.audio, palette::kYellow);
  if (top) {
    const ImVec2 ta(t.alert_box.x, t.alert_box.y), tb(t.alert_box.right(), t.alert_box.bottom());
    if (top->advisory)
      d->AddRect(ta, tb, palette::kAdvisory, 4.0f, 0, 2.0f);
    else
      d->AddRectFilled(ta, tb, palette::alert_fill(top->colour, top->lit), 4.0f);
    const ImU32 tc = top->advisory ? palette::kAdvisory : palette::alert_text(top->colour, top->lit);
    draw_block(d, f, t.alert, tc);
    draw_block(d, f, t.alert_more, tc);
  }
  d->PopClipRect();
  d->AddRect(a, b, selected ? palette::kText : IM_COL32(60, 60, 70, 255), 6.0f, 0, selected ? 3.0f : 1.0f);
}

}  // namespace

std::vector<layout::TileInput> tile_inputs(const DashboardSnapshot& s) {
  std::vector<layout::TileInput> in;
  in.reserve(s.chairs.size());
  for (const auto& c : s.chairs)
    in.push_back({&c, s.data_valid, c.alerts.empty() ? std::string() : alert_second_line(c.alerts.front())});
  return in;
}

void draw_chair_grid(const DashboardSnapshot& s, UiState& ui, const Fonts& f, const layout::Measure& measure,
                     const layout::ScreenLayout& screen) {
  ImDrawList* d = ImGui::GetWindowDrawList();
  const layout::Rect& area = screen.grid;
  if (s.chairs.empty()) {
    text_at(d, f.large, ImVec2(area.x + 20, area.y + 20), palette::kLabel,
            s.data_valid ? "No chairs have sent data yet" : "Waiting for vigild ...");
    return;
  }
  auto& cache = ui.grid_cache;
  const int n = static_cast<int>(s.chairs.size());
  if (cache.w != area.w || cache.h != area.h || cache.chairs != n)
    cache = {area.w, area.h, n, layout::choose_grid(measure, screen, area, n)};
  const layout::GridLayout g = layout::layout_grid(measure, screen, area, tile_inputs(s), cache.choice);
  for (std::size_t i = 0; i < g.tiles.size(); ++i) {
    const layout::TileLayout& t = g.tiles[i];
    draw_tile(d, s.chairs[i], t, static_cast<int>(i) == ui.selected, f);
    ImGui::SetCursorScreenPos(ImVec2(t.tile.x, t.tile.y));
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::InvisibleButton("tile", ImVec2(t.tile.w, t.tile.h))) {
      ui.selected = static_cast<int>(i);
      ui.detail = true;
    }
    // Drag a tile onto another to move it there (the order is saved: app/chair_order).
    if (ImGui::BeginDragDropSource()) {
      const int from = static_cast<int>(i);
      ImGui::SetDragDropPayload("vigil-chair", &from, sizeof from);
      ImGui::TextUnformatted(s.chairs[i].bed.c_str());
      ImGui::EndDragDropSource();
    }
    if (ImGui::BeginDragDropTarget()) {
      if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload("vigil-chair")) {
        int from = 0;
        std::memcpy(&from, p->Data, sizeof from);
        ui.move = UiState::Move{s.chairs[static_cast<std::size_t>(
                                             std::clamp<int>(from, 0, static_cast<int>(s.chairs.size()) - 1))]
                                    .bed,
                                s.chairs[i].bed};
      }
      ImGui::EndDragDropTarget();
    }
    ImGui::PopID();
  }
}

}  // namespace vigil::dashboard
