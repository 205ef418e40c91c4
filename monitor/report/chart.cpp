#include "report/chart.hpp"

#include <algorithm>
#include <cmath>

#include "report/cairo_text.hpp"
#include "report/report_text.hpp"

namespace vigil::report {

namespace {

enum class Marker { Triangle, Square, Diamond, Cross };

struct Style {
  const char* label;
  double r, g, b;  // colour printers only; greyscale relies on dash + marker
  double width;
  std::vector<double> dash;
  Marker marker;
  bool filled;
};

const Style kSys{"SBP", 0.0, 0.0, 0.0, 1.6, {}, Marker::Triangle, true};
const Style kDia{"DBP", 0.05, 0.15, 0.55, 1.4, {5.0, 3.0}, Marker::Square, false};
const Style kMap{"MAP", 0.1, 0.4, 0.1, 1.2, {1.0, 2.5}, Marker::Diamond, true};
const Style kHr{"HR /min (right)", 0.6, 0.1, 0.1, 1.0, {7.0, 3.0, 1.5, 3.0}, Marker::Cross, false};

struct Axis {
  double lo, hi, p0, p1;  // value range -> pixel range
  double at(double v) const { return p0 + (v - lo) / (hi - lo) * (p1 - p0); }
};

void marker(cairo_t* cr, const Style& s, double x, double y) {
  const double m = 3.2;
  cairo_save(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_new_path(cr);
  switch (s.marker) {
    case Marker::Triangle:
      cairo_move_to(cr, x, y - m);
      cairo_line_to(cr, x + m, y + m * 0.8);
      cairo_line_to(cr, x - m, y + m * 0.8);
      cairo_close_path(cr);
      break;
    case Marker::Square: cairo_rectangle(cr, x - m * 0.8, y - m * 0.8, m * 1.6, m * 1.6); break;
    case Marker::Diamond:
      cairo_move_to(cr, x, y - m);
      cairo_line_to(cr, x + m, y);
      cairo_line_to(cr, x, y + m);
      cairo_line_to(cr, x - m, y);
      cairo_close_path(cr);
      break;
    case Marker::Cross:
      cairo_move_to(cr, x - m, y - m);
      cairo_line_to(cr, x + m, y + m);
      cairo_move_to(cr, x - m, y + m);
      cairo_line_to(cr, x + m, y - m);
      break;
  }
  if (s.filled) {
    cairo_fill(cr);
  } else {
    if (s.marker == Marker::Square) {  // open: white inside so the line does not show through
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_fill_preserve(cr);
      cairo_set_source_rgb(cr, s.r, s.g, s.b);
    }
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

void apply(cairo_t* cr, const Style& s) {
  cairo_set_source_rgb(cr, s.r, s.g, s.b);
  cairo_set_line_width(cr, s.width);
  cairo_set_dash(cr, s.dash.empty() ? nullptr : s.dash.data(), static_cast<int>(s.dash.size()), 0);
}

void series(cairo_t* cr, const Style& s, const std::vector<Sample>& pts, const Axis& tx, const Axis& ty) {
  if (pts.empty()) return;
  cairo_save(cr);
  apply(cr, s);
  cairo_new_path(cr);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const double x = tx.at(static_cast<double>(pts[i].at_ms)),
                 y = ty.at(std::clamp(pts[i].value, ty.lo, ty.hi));
    if (i == 0)
      cairo_move_to(cr, x, y);
    else
      cairo_line_to(cr, x, y);
  }
  cairo_stroke(cr);
  // Markers on at most ~40 points so dense series (HR) stay readable.
  const std::size_t step = std::max<std::size_t>(1, pts.size() / 40);
  for (std::size_t i = 0; i < pts.size(); i += step) {
    marker(cr, s, tx.at(static_cast<double>(pts[i].at_ms)), ty.at(std::clamp(pts[i].value, ty.lo, ty.hi)));
  }
  cairo_restore(cr);
}

void legend_entry(cairo_t* cr, const Style& s, double x, double y) {
  cairo_save(cr);
  apply(cr, s);
  cairo_move_to(cr, x, y);
  cairo_line_to(cr, x + 28, y);
  cairo_stroke(cr);
  marker(cr, s, x + 14, y);
  cairo_set_source_rgb(cr, 0, 0, 0);
  set_font(cr, 8);
  text_at(cr, x + 33, y + 3, s.label);
  cairo_restore(cr);
}

void vertical_mark(cairo_t* cr, double x, double top, double bottom, const std::string& label) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1.2);
  const double dash[] = {2.0, 2.0};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_move_to(cr, x, top);
  cairo_line_to(cr, x, bottom);
  cairo_stroke(cr);
  set_font(cr, 7, true);
  text_at(cr, x + 2, top + 8, label);
  cairo_restore(cr);
}

// Tick spacing in minutes for a window of `span_min` minutes: about 6-12 labels.
int tick_minutes(double span_min) {
  for (int t : {5, 10, 15, 30, 60, 120, 240}) {
    if (span_min / t <= 12) return t;
  }
  return 480;
}

}  // namespace

void draw_trend_chart(cairo_t* cr, double x, double y, double w, double h, const ReportData& d) {
  const double legend_h = 16, left = 34, right = 30, bottom = 16, top = 12;
  const double px0 = x + left, px1 = x + w - right, py0 = y + top, py1 = y + h - legend_h - bottom;
  double bp_hi = 220, hr_hi = 160;
  for (const auto* s : {&d.sys, &d.dia, &d.map})
    for (const Sample& p : *s) bp_hi = std::max(bp_hi, std::ceil(p.value / 20) * 20);
  for (const Sample& p : d.hr) hr_hi = std::max(hr_hi, std::ceil(p.value / 20) * 20);
  bp_hi = std::min(bp_hi, 300.0);
  hr_hi = std::min(hr_hi, 260.0);
  const Axis tx{static_cast<double>(d.from_ms), static_cast<double>(std::max(d.until_ms, d.from_ms + 60'000)),
                px0, px1};
  const Axis bp{40, bp_hi, py1, py0};
  const Axis hr{20, hr_hi, py1, py0};

  cairo_save(cr);
  cairo_set_line_width(cr, 0.4);
  set_font(cr, 7);
  // Grid and scales.
  for (double v = 40; v <= bp_hi + 0.1; v += 20) {
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_move_to(cr, px0, bp.at(v));
    cairo_line_to(cr, px1, bp.at(v));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_right(cr, px0 - 3, bp.at(v) + 2.5, mmhg(v));
  }
  for (double v = 40; v <= hr_hi + 0.1; v += 20) text_at(cr, px1 + 3, hr.at(v) + 2.5, mmhg(v));
  const double span_min = (tx.hi - tx.lo) / 60'000.0;
  const int tick = tick_minutes(span_min);
  for (int m = 0; m <= span_min; m += tick) {
    const double px = tx.at(tx.lo + m * 60'000.0);
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_move_to(cr, px, py0);
    cairo_line_to(cr, px, py1);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    const std::string label = time_of_day(static_cast<WallMillis>(tx.lo) + m * 60'000LL).substr(0, 5);
    text_at(cr, px - text_width(cr, label) / 2, py1 + 9, label);
  }
  cairo_save(cr);
  cairo_rectangle(cr, px0, py0, px1 - px0, py1 - py0);
  cairo_clip(cr);
  // Baseline band (SBP +/- 10) in light grey with its edges, and the DBP baseline line.
  const auto& b = d.session.baseline();
  if (b.has_sys_mmhg()) {
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_rectangle(cr, px0, bp.at(b.sys_mmhg() + 10), px1 - px0,
                    bp.at(b.sys_mmhg() - 10) - bp.at(b.sys_mmhg() + 10));
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, px0, bp.at(b.sys_mmhg()));
    cairo_line_to(cr, px1, bp.at(b.sys_mmhg()));
    cairo_stroke(cr);
  }
  if (b.has_dia_mmhg()) {
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, px0, bp.at(b.dia_mmhg()));
    cairo_line_to(cr, px1, bp.at(b.dia_mmhg()));
    cairo_stroke(cr);
  }
  // SBP thresholds of the profile: thin grey lines labelled at the right.
  set_font(cr, 6);
  for (const ThresholdTime& t : d.above) {
    if (t.threshold.kind != VitalKind::NibpSys || t.threshold.limit_mmhg > bp_hi) continue;
    const double ty = bp.at(t.threshold.limit_mmhg);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_set_line_width(cr, 0.5);
    const double dash[] = {6.0, 2.0};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, px0, ty);
    cairo_line_to(cr, px1, ty);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    text_right(cr, px1 - 2, ty - 1.5, "SBP " + mmhg(t.threshold.limit_mmhg) + " " + t.threshold.rule);
  }
  series(cr, kHr, d.hr, tx, hr);
  series(cr, kMap, d.map, tx, bp);
  series(cr, kDia, d.dia, tx, bp);
  series(cr, kSys, d.sys, tx, bp);
  cairo_restore(cr);
  if (d.session.infusion_started_at_ms())
    vertical_mark(cr, tx.at(static_cast<double>(d.session.infusion_started_at_ms())), py0, py1,
                  "infusion start");
  if (d.session.infusion_stopped_at_ms())
    vertical_mark(cr, tx.at(static_cast<double>(d.session.infusion_stopped_at_ms())), py0, py1,
                  "infusion stop");
  // Frame, axis titles, legend.
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.8);
  cairo_rectangle(cr, px0, py0, px1 - px0, py1 - py0);
  cairo_stroke(cr);
  set_font(cr, 7);
  // Scale titles above the frame, clear of the top tick labels.
  text_at(cr, px0 - 28, py0 - 5, "mmHg");
  text_right(cr, px1 + 28, py0 - 5, "HR /min");
  double lx = px0;
  const double ly = y + h - legend_h / 2;
  for (const Style* s : {&kSys, &kDia, &kMap, &kHr}) {
    legend_entry(cr, *s, lx, ly);
    set_font(cr, 8);
    lx += 33 + text_width(cr, s->label) + 16;
  }
  cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
  cairo_rectangle(cr, lx, ly - 4, 18, 8);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  set_font(cr, 8);
  text_at(cr, lx + 22, ly + 3, "baseline SBP +/-10");
  cairo_restore(cr);
}

}  // namespace vigil::report
