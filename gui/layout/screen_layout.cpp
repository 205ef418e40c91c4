#include "layout/screen_layout.hpp"

#include <algorithm>
#include <cmath>

#include "layout/tile_layout.hpp"

namespace vigil::dashboard::layout {

namespace {

constexpr int kMaxTiles = 16;

}  // namespace

std::vector<const TextBlock*> TileLayout::blocks() const {
  return {&name, &patient, &clock,      &nibp, &lost,     &bp_label, &bp,    &bp_sub,    &hr_label,
          &hr,   &hr_age,  &spo2_label, &spo2, &spo2_age, &audio,    &alert, &alert_more};
}

ScreenLayout screen_layout(float width, float height) {
  ScreenLayout s;
  s.scale = std::clamp(height / 1000.0f, 0.7f, 2.4f);
  s.label_px = std::round(std::clamp(20 * s.scale, 15.0f, 48.0f));
  s.title_px = std::round(s.label_px * 1.4f);
  const float pad = std::round(8 * s.scale);
  s.bar = Rect{0, 0, width, s.title_px + 2 * pad};
  const float list_w = std::round(std::max(0.26f * width, std::min(340.0f, 0.3f * width)));
  const float top = s.bar.h + pad, h = height - top - pad;
  s.grid = Rect{pad, top, width - list_w - 3 * pad, h};
  s.alerts = Rect{s.grid.right() + pad, top, list_w, std::round(h * 0.6f)};
  s.history = Rect{s.alerts.x, s.alerts.bottom() + pad, list_w, h - s.alerts.h - pad};
  return s;
}

namespace {

Rect grid_tile_rect(const ScreenLayout& s, Rect area, int cols, int rows, int i) {
  const float gap = std::round(8 * s.scale);
  const float tw = (area.w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  const float th = (area.h - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
  return Rect{area.x + static_cast<float>(i % cols) * (tw + gap),
              area.y + static_cast<float>(i / cols) * (th + gap), tw, th};
}

}  // namespace

GridChoice choose_grid(const Measure& m, const ScreenLayout& s, Rect area, int chairs) {
  GridChoice g;
  const int n = std::min(chairs, kMaxTiles);
  const client::ChairView sample = template_chair();
  const TileInput probe{&sample, true, {}};
  // The column count that gives the biggest digits (ties: fewer columns).
  for (int cols = 1; cols <= std::min(n, 6); ++cols) {
    const int rows = (n + cols - 1) / cols;
    const float p = largest_bp(m, s, grid_tile_rect(s, area, cols, rows, 0), probe);
    if (p > g.bp_px) {
      g.bp_px = p;
      g.cols = cols;
      g.rows = rows;
    }
  }
  return g;
}

GridLayout layout_grid(const Measure& m, const ScreenLayout& s, Rect area,
                       const std::vector<TileInput>& chairs, const GridChoice& choice) {
  GridLayout g;
  g.cols = choice.cols;
  g.rows = choice.rows;
  g.bp_px = choice.bp_px;
  const int n = std::min<int>(static_cast<int>(chairs.size()), kMaxTiles);
  for (int i = 0; i < n; ++i) {
    const Rect r = grid_tile_rect(s, area, g.cols, g.rows, i);
    const TileInput& in = chairs[static_cast<std::size_t>(i)];
    bool ok = false;
    TileLayout t = tile_at(m, s, r, in, g.bp_px, ok);
    // A chair with more to say than the template (a third alarm line): its own digits.
    if (!ok) t = tile_at(m, s, r, in, largest_bp(m, s, r, in), ok);
    g.tiles.push_back(std::move(t));
  }
  return g;
}

GridLayout layout_grid(const Measure& m, const ScreenLayout& s, Rect area,
                       const std::vector<TileInput>& chairs) {
  if (chairs.empty()) return {};
  return layout_grid(m, s, area, chairs, choose_grid(m, s, area, static_cast<int>(chairs.size())));
}

AlertRowLayout layout_alert_row(const Measure& m, const ScreenLayout& s, float width, const std::string& head,
                                const std::string& text, const std::string& state, const std::string& more,
                                int buttons) {
  AlertRowLayout r;
  const float l = s.label_px, ip = std::round(l * 0.3f);
  r.button_w = std::round(l * 3.6f);
  const float tw = width - static_cast<float>(buttons) * (r.button_w + ip) - 2 * ip;
  float y = ip;
  // More lines rather than smaller text: a row may grow, the list scrolls.
  auto row = [&](const std::string& t, float px, int lines) {
    TextBlock b = place_text(m, t, ip, y, tw, px * static_cast<float>(lines), px, std::min(px, l), lines,
                             alert_rules());
    y += b.height();
    return b;
  };
  r.head = row(head, l, 3);
  r.text = row(text, std::round(l * 1.3f), 6);
  r.state = row(state, l, 4);
  r.more = row(more, l, 4);
  r.height = std::max(y + ip, 2 * l + 2 * ip);
  return r;
}

}  // namespace vigil::dashboard::layout
