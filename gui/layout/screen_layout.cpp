#include "layout/screen_layout.hpp"

#include <algorithm>
#include <cmath>

#include "layout/value_text.hpp"

namespace vigil::dashboard::layout {

namespace {

constexpr int kMaxTiles = 16;
// Worst-case strings: the BP size is chosen for these, so a value changing from "98/60" to
// "214/112" never changes the size of every number on the screen.
constexpr const char* kWideBp = "888/888";
constexpr const char* kWideValue = "888";
// The largest digits drawn (app/fonts.cpp: the biggest digit font): never scaled up.
constexpr float kMaxDigitPx = 300;
// HR and SpO2 under the BP (crowded tiles) at three quarters of its size: the BP is what
// the rules are about, and the row must leave it room.
constexpr float kHrShare = 0.75f;

// Rules the tile texts may use when a line is too long (the examples: the clock
// "INFUSION 0:02 / 40 min" becomes "INF 0:02 / 40 m").
const std::vector<Abbreviation>& clock_rules() {
  static const std::vector<Abbreviation> rules{
      {"min", "m"}, {"INFUSION", "INF"}, {"RECOVERY", "REC"}, {"PAUSED", "PAUSE"}};
  return rules;
}
const std::vector<Abbreviation>& nibp_rules() {
  static const std::vector<Abbreviation> rules{{"min", "m"}, {"next NIBP", "NIBP in"}, {"overdue", "late"}};
  return rules;
}
const std::vector<Abbreviation>& alert_rules() {
  static const std::vector<Abbreviation> rules{{"MEDIUM", "MED"}, {"ADVISORY", "ADV"}};
  return rules;
}

// A block placed at (x, y) with room w x h; its box shrinks to the lines it took.
TextBlock place(const Measure& m, const std::string& text, float x, float y, float w, float h, float max_px,
                float min_px, int max_lines, const std::vector<Abbreviation>& rules = {},
                std::vector<std::string> shorter = {}) {
  FitRequest r;
  r.max_px = max_px;
  r.min_px = min_px;
  r.max_lines = max_lines;
  r.abbreviations = rules;
  r.shorter = std::move(shorter);
  TextBlock b = fit_text(m, text, Rect{x, y, w, h}, r);
  b.box.h = std::min(b.box.h, std::max(b.height(), 0.0f));
  return b;
}

struct TileSizes {
  float label = 20, head = 26, alert = 23, pad = 8, gap = 10;
};

TileSizes tile_sizes(const ScreenLayout& s, const Rect& tile) {
  TileSizes t;
  // Labels follow the tile as well as the screen: a 16-chair tile has less room than a
  // 4-chair one, and its label lines must leave room for the digits.
  t.label = std::round(std::clamp(tile.h * 0.075f, std::min(14.0f, s.label_px), s.label_px));
  t.head = std::round(std::clamp(tile.h * 0.1f, t.label, t.label * 1.4f));
  // The alarm text at label size: the band's colour says the priority from across the room,
  // the words are read close up (and again, larger, in the alert list).
  t.alert = t.label;
  t.pad = std::round(std::max(4.0f, t.label * 0.4f));
  t.gap = std::round(t.label * 0.6f);
  return t;
}

struct ValuesFit {
  bool fits = false;
  bool one_row = false;
  float height = 0;
};

// The small column left of an HR or SpO2 number in a crowded tile: the label over the age.
float side_column_w(const Measure& m, const TileSizes& t, const char* label) {
  return std::max(m(t.label, label), m(t.label, "59 s")) + t.gap * 0.5f;
}

// Whether BP digits of `p` px (HR and SpO2 at the same or kHrShare) fit a w x h values area.
ValuesFit values_fit(const Measure& m, const TileSizes& t, float p, float w, float h) {
  const float bp_w = m(p, kWideBp);
  const float hr_w = std::max(m(p, kWideValue), m(t.label, "HR /min"));
  const float sp_w = std::max(m(p, kWideValue), m(t.label, "SpO2 %"));
  const float one_h = t.label + p + t.label;
  if (bp_w + hr_w + sp_w + 2 * t.gap <= w && one_h <= h) return {true, true, one_h};
  const float q = std::round(p * kHrShare);
  const float row_b = side_column_w(m, t, "HR") + m(q, kWideValue) + t.gap + side_column_w(m, t, "SpO2") +
                      m(q, kWideValue);
  const float two_h = p + t.label + std::max(q, 2 * t.label);
  if (bp_w <= w && row_b <= w && two_h <= h) return {true, false, two_h};
  return {};
}

// Lays the tile out with BP digits of `p` px; `ok` says whether everything fit.
TileLayout tile_at(const Measure& m, const ScreenLayout& s, Rect tile, const TileInput& in, float p, bool& ok) {
  const client::ChairView& c = *in.chair;
  const TileSizes t = tile_sizes(s, tile);
  TileLayout out;
  out.tile = tile;
  const float x0 = tile.x + t.pad, w = tile.w - 2 * t.pad;
  ok = true;
  auto check = [&](const TextBlock& b) { ok = ok && b.fits; };

  // Header band: the chair's name, the patient label at the right (or on its own line when
  // both do not fit). The phase is the clock row's first word ("INFUSION 12:30", "baseline").
  float y = tile.y + t.pad * 0.5f;
  out.name = place(m, c.bed, x0, y, w, t.head, t.head, t.label * 0.8f, 1);
  check(out.name);
  out.header_h = t.head + t.pad;
  if (!c.patient.empty()) {
    const float room = w - out.name.width - t.gap;
    out.patient = place(m, c.patient, tile.right() - t.pad - room, y, room, t.head, t.label, t.label * 0.85f, 1);
    out.patient.align_right = true;
    if (room > 0 && out.patient.fits) {
      out.patient.box.y = y + (t.head - out.patient.px) / 2;
    } else {
      out.patient = place(m, c.patient, x0, y + t.head + t.pad * 0.5f, w, 2 * t.label, t.label, t.label * 0.8f, 2);
      out.header_h += out.patient.height() + t.pad * 0.5f;
      check(out.patient);
    }
  }
  y = tile.y + out.header_h + t.pad * 0.5f;

  // Clock, and the next NIBP beside it or below.
  out.clock = place(m, clock_line(c), x0, y, w, t.label, t.label, t.label * 0.85f, 1, clock_rules());
  check(out.clock);
  // A lost monitor takes the next-NIBP place: no NIBP is coming, and no row is added.
  const bool lost = c.device_lost && in.data_valid;
  const std::string nibp = lost ? "MONITOR LOST" : next_nibp_line(c, in.data_valid);
  if (!nibp.empty()) {
    float room = w - out.clock.width - t.gap;
    out.nibp = place(m, nibp, tile.right() - t.pad - room, y, room, t.label, t.label, t.label * 0.85f, 1,
                     nibp_rules());
    if (!out.nibp.fits || room <= 0) {
      // Both on one row if the clock takes its short form ("INF 37:05 / 40 m").
      const float nibp_w = m(t.label * 0.85f, abbreviate(nibp, nibp_rules()));
      const TextBlock short_clock = place(m, clock_line(c), x0, y, w - nibp_w - t.gap, t.label, t.label,
                                          t.label * 0.85f, 1, clock_rules());
      if (short_clock.fits) {
        out.clock = short_clock;
        room = w - out.clock.width - t.gap;
        out.nibp = place(m, nibp, tile.right() - t.pad - room, y, room, t.label, t.label, t.label * 0.85f, 1,
                         nibp_rules());
      }
    }
    if (!out.nibp.fits || room <= 0) {
      y += out.clock.height() + 2;
      out.nibp = place(m, nibp, x0, y, w, t.label, t.label, t.label * 0.8f, 1, nibp_rules());
    } else {
      out.nibp.box.x = tile.right() - t.pad - out.nibp.box.w;
    }
    out.nibp.align_right = true;
    check(out.nibp);
  }
  y += std::max(out.clock.height(), t.label) + t.pad * 0.5f;
  if (lost) std::swap(out.lost, out.nibp);

  // The alarm line at the bottom: whole message, wrapped, never cut; under it the optional
  // second line (escalation) and a paused audio.
  float bottom = tile.bottom() - t.pad * 0.5f;
  const client::AlertView* top = c.alerts.empty() ? nullptr : &c.alerts.front();
  std::string more = in.alert_second;
  if (c.audio_paused) more += (more.empty() ? "" : "  ") + std::string("AUDIO PAUSED");
  if (top) {
    const float ip = std::round(t.pad * 0.6f), tw = w - 2 * ip;
    // First within the room every tile keeps for it (two lines), smaller if need be, so one
    // chair's long message does not shrink its digits; else as many lines as it takes.
    const float budget = 2 * t.alert;
    bool in_budget = false;
    for (float px = t.alert; px >= std::floor(t.label * 0.75f) && !in_budget; px -= 1) {
      out.alert = place(m, alert_line(*top), x0 + ip, 0, tw, budget, px, px, 2, alert_rules());
      out.alert_more = place(m, more, x0 + ip, 0, tw, budget, px, px, 1);
      in_budget = out.alert.fits && out.alert_more.fits && out.alert.height() + out.alert_more.height() <= budget;
    }
    if (!in_budget) {
      out.alert = place(m, alert_line(*top), x0 + ip, 0, tw, 3 * t.alert, t.alert, t.label * 0.8f, 3,
                        alert_rules());
      out.alert_more = place(m, more, x0 + ip, 0, tw, 3 * t.label, t.label, t.label * 0.8f, 3);
    }
    const float box_h = out.alert.height() + out.alert_more.height() + 2 * ip;
    out.alert_box = Rect{x0 - ip * 0.5f, bottom - box_h, w + ip, box_h};
    out.alert.box.y = out.alert_box.y + ip;
    out.alert_more.box.y = out.alert.box.y + out.alert.height();
    check(out.alert);
    check(out.alert_more);
    bottom = out.alert_box.y - t.pad * 0.5f;
  } else if (c.audio_paused) {
    out.audio = place(m, "AUDIO PAUSED", x0, 0, w, t.label, t.label, t.label * 0.8f, 1);
    out.audio.box.y = bottom - out.audio.height();
    check(out.audio);
    bottom = out.audio.box.y - 2;
  }

  // Values: what is left.
  const std::string bp = number_text(c.sys) + "/" + number_text(c.dia);
  if (p <= 0) {
    // No room for digits of any useful size (a small screen, a crowded grid, a tile with a
    // long alarm): the values as one text, wrapped, rather than clipped.
    const std::string line = bp + " (" + number_text(c.map) + ")  HR " + number_text(c.hr) + "  SpO2 " +
                             number_text(c.spo2);
    const float room = bottom - y;
    out.bp = place(m, line, x0, y, w, room, std::min(room, 2 * t.label), t.label * 0.7f, 3);
    check(out.bp);
    return out;
  }
  const ValuesFit vf = values_fit(m, t, p, w, bottom - y);
  if (!vf.fits) ok = false;
  const std::string map = "(" + number_text(c.map) + ")";
  std::string base;
  if (c.baseline_sys && c.baseline_dia) {
    base = "base " + std::to_string(static_cast<int>(std::lround(*c.baseline_sys))) + "/" +
           std::to_string(static_cast<int>(std::lround(*c.baseline_dia)));
  }
  const std::string age = age_label(c.sys);
  auto join = [](std::initializer_list<std::string> parts) {
    std::string s;
    for (const auto& part : parts)
      if (!part.empty()) s += (s.empty() ? "" : "  ") + part;
    return s;
  };
  const float bp_w = m(p, kWideBp);
  if (vf.one_row) {
    out.bp_label = place(m, "SBP/DIA (MAP) mmHg", x0, y, bp_w + t.gap, t.label, t.label, t.label * 0.8f, 1,
                         {{"mmHg", ""}}, {"SBP/DIA (MAP)", "BP (MAP)", "BP"});
    y += t.label;
  }
  out.bp = place(m, bp, x0, y, std::max(bp_w, w * (vf.one_row ? 0.0f : 1.0f)), p, p, p * 0.6f, 1);
  const float sub_w = vf.one_row ? bp_w + t.gap : w;
  out.bp_sub = place(m, join({map, base, age}), x0, y + p, sub_w, t.label, t.label, t.label * 0.8f, 1,
                     {{"base", "b"}}, {join({map, age}), map});
  check(out.bp);
  check(out.bp_sub);
  if (vf.one_row) {
    float hx = x0 + bp_w + t.gap;
    const float hy = y - t.label;
    auto column = [&](const char* label, const client::VitalView& v, TextBlock& lb, TextBlock& num,
                      TextBlock& ag) {
      const float cw = std::max(m(p, kWideValue), m(t.label, label));
      lb = place(m, label, hx, hy, cw + t.gap, t.label, t.label, t.label * 0.8f, 1);
      num = place(m, number_text(v), hx, hy + t.label, cw + t.gap, p, p, p * 0.6f, 1);
      ag = place(m, age_label(v), hx, hy + t.label + p, cw + t.gap, t.label, t.label, t.label * 0.8f, 1,
                 {{"min", "m"}, {"ago", ""}});
      check(lb);
      check(num);
      check(ag);
      hx += cw + t.gap;
    };
    column("HR /min", c.hr, out.hr_label, out.hr, out.hr_age);
    column("SpO2 %", c.spo2, out.spo2_label, out.spo2, out.spo2_age);
  } else {
    // Row B: for each of HR and SpO2, a small column (label over age) and the number.
    const float q = std::round(p * kHrShare);
    float hx = x0;
    const float hy = y + p + t.label;
    auto column = [&](const char* label, const client::VitalView& v, TextBlock& lb, TextBlock& num,
                      TextBlock& ag) {
      const float lw = side_column_w(m, t, label);
      lb = place(m, label, hx, hy, lw, t.label, t.label, t.label * 0.8f, 1);
      ag = place(m, age_label(v), hx, hy + t.label, lw, t.label, t.label, t.label * 0.7f, 1,
                 {{"min", "m"}, {"ago", ""}});
      const float nw = m(q, kWideValue);
      num = place(m, number_text(v), hx + lw, hy, nw + t.gap, q, q, q * 0.6f, 1);
      check(lb);
      check(num);
      check(ag);
      hx += lw + nw + t.gap;
    };
    column("HR", c.hr, out.hr_label, out.hr, out.hr_age);
    column("SpO2", c.spo2, out.spo2_label, out.spo2, out.spo2_age);
  }
  return out;
}

// The chair the BP size is chosen for: a long name and patient, a long clock, a two-line
// alarm. Real tiles with less text have room to spare; one with more (an escalation line,
// MONITOR LOST) gets its own smaller digits rather than clipped text.
client::ChairView template_chair() {
  client::ChairView c;
  c.bed = "CHAIR16";
  c.patient = "SIM-CHAIR16";
  c.phase = proto::recovery;
  c.recovery_ms = 88 * 60'000;
  client::AlertView a;
  a.priority = client::Priority::Medium;
  a.text = "NIBP measurement failed (cuff) 88";
  c.alerts.push_back(a);
  return c;
}

// The largest BP size at which the whole tile fits; 0 when none does (compact values).
float largest_bp(const Measure& m, const ScreenLayout& s, Rect tile, const TileInput& in) {
  const float p_max = std::min({tile.h * 0.5f, 240 * s.scale, kMaxDigitPx});
  const float p_min = 12;
  for (float p = std::round(p_max); p > p_min; p = std::min(p - 1, std::floor(p * 0.95f))) {
    bool ok = false;
    tile_at(m, s, tile, in, p, ok);
    if (ok) return p;
  }
  return 0;
}

}  // namespace

std::vector<const TextBlock*> TileLayout::blocks() const {
  return {&name,   &patient, &clock, &nibp,       &lost, &bp_label, &bp,    &bp_sub, &hr_label,
          &hr,     &hr_age,  &spo2_label, &spo2, &spo2_age, &audio,    &alert, &alert_more};
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

GridLayout layout_grid(const Measure& m, const ScreenLayout& s, Rect area, const std::vector<TileInput>& chairs) {
  GridLayout g;
  const int n = std::min<int>(static_cast<int>(chairs.size()), kMaxTiles);
  if (n == 0) return g;
  const float gap = std::round(8 * s.scale);
  const client::ChairView sample = template_chair();
  const TileInput probe{&sample, true, {}};
  auto tile_rect = [&](int cols, int rows, int i) {
    const float tw = (area.w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float th = (area.h - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
    return Rect{area.x + static_cast<float>(i % cols) * (tw + gap), area.y + static_cast<float>(i / cols) * (th + gap),
                tw, th};
  };
  // The column count that gives the biggest digits (ties: fewer empty cells).
  for (int cols = 1; cols <= std::min(n, 6); ++cols) {
    const int rows = (n + cols - 1) / cols;
    const float p = largest_bp(m, s, tile_rect(cols, rows, 0), probe);
    if (p > g.bp_px) {
      g.bp_px = p;
      g.cols = cols;
      g.rows = rows;
    }
  }
  for (int i = 0; i < n; ++i) {
    const Rect r = tile_rect(g.cols, g.rows, i);
    bool ok = false;
    TileLayout t = tile_at(m, s, r, chairs[static_cast<std::size_t>(i)], g.bp_px, ok);
    if (!ok) t = tile_at(m, s, r, chairs[static_cast<std::size_t>(i)],
                         largest_bp(m, s, r, chairs[static_cast<std::size_t>(i)]), ok);
    g.tiles.push_back(std::move(t));
  }
  return g;
}

AlertRowLayout layout_alert_row(const Measure& m, const ScreenLayout& s, float width, const std::string& head,
                                const std::string& text, const std::string& state, const std::string& more,
                                int buttons) {
  AlertRowLayout r;
  const float l = s.label_px, ip = std::round(l * 0.3f);
  r.button_w = std::round(l * 3.6f);
  const float tw = width - static_cast<float>(buttons) * (r.button_w + ip) - 2 * ip;
  float y = ip;
  auto row = [&](const std::string& t, float px, int lines) {
    TextBlock b = place(m, t, ip, y, tw, px * static_cast<float>(lines), px, l * 0.8f, lines, alert_rules());
    y += b.height();
    return b;
  };
  r.head = row(head, l, 2);
  r.text = row(text, std::round(l * 1.3f), 3);
  r.state = row(state, l, 2);
  r.more = row(more, l, 2);
  r.height = std::max(y + ip, 2 * l + 2 * ip);
  return r;
}

}  // namespace vigil::dashboard::layout
