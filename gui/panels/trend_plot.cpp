// The session trend, drawn with ImDrawList (Debian has no ImPlot): SBP/DIA/MAP on the
// left scale (40-240 mmHg), HR on the right (30-180 /min), the baseline band, infusion
// start/stop marks and alert marks along the time axis.

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/model_views.hpp"
#include "panels/draw_util.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

namespace {

struct Axis {
  std::int64_t t0, t1;
  float x0, x1;
  float x(std::int64_t t) const {
    if (t1 <= t0) return x1;
    return x0 + (x1 - x0) * static_cast<float>(t - t0) / static_cast<float>(t1 - t0);
  }
};

struct Scale {
  double lo, hi;
  float y0, y1;  // y0 bottom
  float y(double v) const {
    v = std::clamp(v, lo, hi);
    return y0 - (y0 - y1) * static_cast<float>((v - lo) / (hi - lo));
  }
};

// A series with at most one point per this many pixels gets a dot on every point (NIBP
// every few minutes); denser ones (1 Hz HR over a whole session) are a plain line.
constexpr float kDotSpacingPx = 6;

// Draws `pts` as one polyline. Points that fall in the same pixel column are reduced to
// that column's first, lowest, highest and last value: the picture is the same (every peak,
// an alarm-level spike included, is still drawn) but a 90-minute 1 Hz trend costs a few
// vertices per column instead of a segment and a dot per sample (measured with 16 chairs of
// 90-minute trends: the detail frame went from ~117,600 vertices and 10.6 ms of CPU at p50
// to ~8,200 vertices and ~1.3 ms; docs/performance.md).
void line(ImDrawList* d, const std::vector<TrendPoint>& pts, const Axis& ax, const Scale& sc, ImU32 col,
          float width, std::vector<ImVec2>& path) {
  if (pts.empty()) return;
  path.clear();
  auto push = [&](float x, float y) {
    if (path.empty() || path.back().x != x || path.back().y != y) path.emplace_back(x, y);
  };
  bool open = false;
  float cx = 0, first = 0, lo = 0, hi = 0, last = 0;
  auto flush = [&] {
    if (!open) return;
    push(cx, first);
    // Walk the column in the direction of travel so the line does not zig-zag back.
    if (last >= first) {
      push(cx, lo);
      push(cx, hi);
    } else {
      push(cx, hi);
      push(cx, lo);
    }
    push(cx, last);
  };
  for (const TrendPoint& p : pts) {
    const float x = std::floor(ax.x(p.t_ms)) + 0.5f;
    const float y = sc.y(p.value);
    if (open && x == cx) {
      lo = std::min(lo, y);
      hi = std::max(hi, y);
      last = y;
      continue;
    }
    flush();
    open = true;
    cx = x;
    first = lo = hi = last = y;
  }
  flush();
  if (path.size() >= 2)
    d->AddPolyline(path.data(), static_cast<int>(path.size()), col, ImDrawFlags_None, width);
  const bool sparse = static_cast<float>(pts.size()) * kDotSpacingPx <= ax.x1 - ax.x0;
  if (sparse || path.size() == 1) {
    for (const TrendPoint& p : pts)
      d->AddCircleFilled(ImVec2(ax.x(p.t_ms), sc.y(p.value)), width + 1.5f, col);
  }
}

}  // namespace

void draw_trend_plot(ImDrawList* d, ImVec2 pos, ImVec2 size, const ChairTrend& t, std::int64_t now_ms,
                     const Fonts& f) {
  const ImVec2 end(pos.x + size.x, pos.y + size.y);
  // Nothing drawn here may spill onto the panels around it, whatever the data says.
  d->PushClipRect(pos, end, true);
  d->AddRectFilled(pos, end, IM_COL32(8, 8, 12, 255));
  d->AddRect(pos, end, IM_COL32(70, 70, 80, 255));
  // Time range: the first point (or mark) to now; at least 10 minutes so early points spread.
  std::int64_t t0 = now_ms - 10 * 60'000;
  auto consider = [&](std::int64_t x) { t0 = std::min(t0, x); };
  for (const auto* v : {&t.sys, &t.dia, &t.map, &t.hr})
    if (!v->empty()) consider(v->front().t_ms);
  for (const auto& m : t.marks) consider(m.t_ms);
  const float left = 44, right = 44, bottom = f.normal->FontSize + 6;
  const Axis ax{t0, now_ms, pos.x + left, end.x - right};
  const Scale bp{40, 240, end.y - bottom, pos.y + 6};
  const Scale hr{30, 180, end.y - bottom, pos.y + 6};
  // Grid and scale labels.
  for (int v = 60; v <= 220; v += 40) {
    d->AddLine(ImVec2(ax.x0, bp.y(v)), ImVec2(ax.x1, bp.y(v)), IM_COL32(40, 40, 48, 255));
    text_at(d, f.normal, ImVec2(pos.x + 4, bp.y(v) - f.normal->FontSize / 2), palette::kLabel,
            std::to_string(v));
  }
  for (int v = 60; v <= 150; v += 30)
    text_at(d, f.normal, ImVec2(ax.x1 + 6, hr.y(v) - f.normal->FontSize / 2), IM_COL32(0, 200, 80, 255),
            std::to_string(v));
  // Baseline band: baseline SBP +/- 10 mmHg, and the DIA baseline as a line.
  if (t.baseline_sys) {
    d->AddRectFilled(ImVec2(ax.x0, bp.y(*t.baseline_sys + 10)), ImVec2(ax.x1, bp.y(*t.baseline_sys - 10)),
                     IM_COL32(60, 60, 120, 110));
    d->AddLine(ImVec2(ax.x0, bp.y(*t.baseline_sys)), ImVec2(ax.x1, bp.y(*t.baseline_sys)),
               IM_COL32(120, 120, 220, 255));
  }
  if (t.baseline_dia)
    d->AddLine(ImVec2(ax.x0, bp.y(*t.baseline_dia)), ImVec2(ax.x1, bp.y(*t.baseline_dia)),
               IM_COL32(90, 90, 170, 255));
  // Marks: infusion start/stop as white lines, alerts as coloured ticks.
  for (const auto& m : t.marks) {
    const float x = ax.x(m.t_ms);
    if (m.priority == Priority::None) {
      d->AddLine(ImVec2(x, pos.y + 4), ImVec2(x, end.y - bottom), palette::kText, 2.0f);
      text_at(d, f.normal, ImVec2(x + 3, pos.y + 4), palette::kText, m.label);
    } else {
      const ImU32 c = palette::alert_fill(alert_colour(m.priority, false), true);
      d->AddTriangleFilled(ImVec2(x - 6, end.y - bottom), ImVec2(x + 6, end.y - bottom),
                           ImVec2(x, end.y - bottom - 12), c);
    }
  }
  std::vector<ImVec2> path;  // one scratch buffer for the four lines
  path.reserve(static_cast<std::size_t>(4 * (ax.x1 - ax.x0)) + 8);
  line(d, t.sys, ax, bp, IM_COL32(255, 90, 90, 255), 2.5f, path);
  line(d, t.dia, ax, bp, IM_COL32(255, 160, 160, 255), 2.0f, path);
  line(d, t.map, ax, bp, IM_COL32(255, 255, 255, 200), 1.5f, path);
  line(d, t.hr, ax, hr, IM_COL32(0, 200, 80, 255), 2.0f, path);
  // Time axis: minutes before now.
  const std::int64_t span_min = std::max<std::int64_t>(1, (now_ms - t0) / 60'000);
  const std::int64_t step = span_min <= 20 ? 5 : span_min <= 60 ? 10 : 30;
  for (std::int64_t m = 0; m <= span_min; m += step) {
    const float x = ax.x(now_ms - m * 60'000);
    text_at(d, f.normal, ImVec2(x - 14, end.y - bottom + 2), palette::kLabel,
            m == 0 ? "now" : "-" + std::to_string(m) + "m");
  }
  text_at(d, f.normal, ImVec2(ax.x0 + 6, end.y - bottom - f.normal->FontSize - 2), palette::kLabel,
          "SBP red  DIA pink  MAP white  HR/PR green (right)  baseline band blue");
  d->PopClipRect();
}

}  // namespace vigil::dashboard
