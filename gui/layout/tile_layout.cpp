#include "layout/tile_layout.hpp"

#include <algorithm>
#include <cmath>

#include "layout/value_text.hpp"

namespace vigil::dashboard::layout {

namespace {

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
}  // namespace

const std::vector<Abbreviation>& alert_rules() {
  static const std::vector<Abbreviation> rules{{"MEDIUM", "MED"}, {"ADVISORY", "ADV"}};
  return rules;
}

TextBlock place_text(const Measure& m, const std::string& text, float x, float y, float w, float h,
                     float max_px, float min_px, int max_lines, const std::vector<Abbreviation>& rules,
                     std::vector<std::string> shorter) {
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

namespace {

struct TileSizes {
  float label = 20, head = 26, alert = 23, pad = 8, gap = 10;
};

TileSizes tile_sizes(const ScreenLayout& s, const Rect& tile) {
  TileSizes t;
  // Labels follow the tile as well as the screen: a 16-chair tile has less room than a
  // 4-chair one, and its label lines must leave room for the digits.
  t.label = std::round(std::clamp(tile.h * 0.075f, std::min(14.0f, s.label_px), s.label_px));
  t.head = std::round(std::clamp(tile.h * 0.1f, t.label, t.label * 1.4f));
  // The alarm text a little larger than labels: the band's colour says the priority from
  // across the room, the words are read closer (and again, larger, in the alert list).
  t.alert = std::round(t.label * 1.2f);
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
  // The HR column may be labelled "PR" (a pulse rate standing in for HR): room for either.
  const float hr_w = std::max({m(p, kWideValue), m(t.label, "HR /min"), m(t.label, "PR /min")});
  const float sp_w = std::max(m(p, kWideValue), m(t.label, "SpO2 %"));
  const float one_h = t.label + p + t.label;
  if (bp_w + hr_w + sp_w + 2 * t.gap <= w && one_h <= h) return {true, true, one_h};
  const float q = std::round(p * kHrShare);
  const float row_b = std::max(side_column_w(m, t, "HR"), side_column_w(m, t, "PR")) + m(q, kWideValue) +
                      t.gap + side_column_w(m, t, "SpO2") + m(q, kWideValue);
  const float two_h = p + t.label + std::max(q, 2 * t.label);
  if (bp_w <= w && row_b <= w && two_h <= h) return {true, false, two_h};
  return {};
}

}  // namespace

// Lays the tile out with BP digits of `p` px; `ok` says whether everything fit.
TileLayout tile_at(const Measure& m, const ScreenLayout& s, Rect tile, const TileInput& in, float p,
                   bool& ok) {
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
  out.name = place_text(m, c.bed, x0, y, w, t.head, t.head, t.label * 0.8f, 1);
  check(out.name);
  out.header_h = t.head + t.pad;
  if (!c.patient.empty()) {
    const float room = w - out.name.width - t.gap;
    out.patient =
        place_text(m, c.patient, tile.right() - t.pad - room, y, room, t.head, t.label, t.label * 0.85f, 1);
    out.patient.align_right = true;
    if (room > 0 && out.patient.fits) {
      out.patient.box.y = y + (t.head - out.patient.px) / 2;
    } else {
      out.patient =
          place_text(m, c.patient, x0, y + t.head + t.pad * 0.5f, w, 2 * t.label, t.label, t.label * 0.8f, 2);
      out.header_h += out.patient.height() + t.pad * 0.5f;
      check(out.patient);
    }
  }
  y = tile.y + out.header_h + t.pad * 0.5f;

  // Clock, and the next NIBP beside it or below.
  out.clock = place_text(m, clock_line(c), x0, y, w, t.label, t.label, t.label * 0.85f, 1, clock_rules());
  check(out.clock);
  // A lost monitor takes the next-NIBP place: no NIBP is coming, and no row is added.
  const bool lost = c.device_lost && in.data_valid;
  const std::string nibp = lost ? "MONITOR LOST" : next_nibp_line(c, in.data_valid);
  if (!nibp.empty()) {
    float room = w - out.clock.width - t.gap;
    out.nibp = place_text(m, nibp, tile.right() - t.pad - room, y, room, t.label, t.label, t.label * 0.85f, 1,
                          nibp_rules());
    if (!out.nibp.fits || room <= 0) {
      // Both on one row if the clock takes its short form ("INF 37:05 / 40 m").
      const float nibp_w = m(t.label * 0.85f, abbreviate(nibp, nibp_rules()));
      const TextBlock short_clock = place_text(m, clock_line(c), x0, y, w - nibp_w - t.gap, t.label, t.label,
                                               t.label * 0.85f, 1, clock_rules());
      if (short_clock.fits) {
        out.clock = short_clock;
        room = w - out.clock.width - t.gap;
        out.nibp = place_text(m, nibp, tile.right() - t.pad - room, y, room, t.label, t.label,
                              t.label * 0.85f, 1, nibp_rules());
      }
    }
    if (!out.nibp.fits || room <= 0) {
      y += out.clock.height() + 2;
      out.nibp = place_text(m, nibp, x0, y, w, t.label, t.label, t.label * 0.8f, 1, nibp_rules());
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
  // The tile has room for one alarm's words; the others are in the alert list, and the tile
  // says they exist, so one alarm never hides another.
  if (c.alerts.size() > 1) {
    const std::size_t others = c.alerts.size() - 1;
    more = "+" + std::to_string(others) + (others == 1 ? " more alert" : " more alerts") +
           (more.empty() ? "" : "  ") + more;
  }
  if (c.audio_paused) more += (more.empty() ? "" : "  ") + std::string("AUDIO PAUSED");
  if (top) {
    const float ip = std::round(t.pad * 0.6f), tw = w - 2 * ip;
    // First within the room every tile keeps for it (two lines), smaller if need be, so one
    // chair's long message does not shrink its digits; else as many lines as it takes.
    const float budget = 2 * t.alert;
    bool in_budget = false;
    for (float px = t.alert; px >= std::floor(t.label * 0.75f) && !in_budget; px -= 1) {
      out.alert = place_text(m, alert_line(*top), x0 + ip, 0, tw, budget, px, px, 2, alert_rules());
      out.alert_more = place_text(m, more, x0 + ip, 0, tw, budget, px, px, 1);
      in_budget =
          out.alert.fits && out.alert_more.fits && out.alert.height() + out.alert_more.height() <= budget;
    }
    if (!in_budget) {
      out.alert = place_text(m, alert_line(*top), x0 + ip, 0, tw, 3 * t.alert, t.alert, t.label * 0.8f, 3,
                             alert_rules());
      out.alert_more = place_text(m, more, x0 + ip, 0, tw, 3 * t.label, t.label, t.label * 0.8f, 3);
    }
    const float box_h = out.alert.height() + out.alert_more.height() + 2 * ip;
    out.alert_box = Rect{x0 - ip * 0.5f, bottom - box_h, w + ip, box_h};
    out.alert.box.y = out.alert_box.y + ip;
    out.alert_more.box.y = out.alert.box.y + out.alert.height();
    check(out.alert);
    check(out.alert_more);
    bottom = out.alert_box.y - t.pad * 0.5f;
  } else if (c.audio_paused) {
    out.audio = place_text(m, "AUDIO PAUSED", x0, 0, w, t.label, t.label, t.label * 0.8f, 1);
    out.audio.box.y = bottom - out.audio.height();
    check(out.audio);
    bottom = out.audio.box.y - 2;
  }

  // Values: what is left.
  const std::string bp = number_text(c.sys) + "/" + number_text(c.dia);
  if (p <= 0) {
    // No room for digits of any useful size (a small screen, a crowded grid, a tile with a
    // long alarm): the values as one text, wrapped, rather than clipped.
    const std::string line = bp + " (" + number_text(c.map) + ")  " + (c.hr.from_pulse ? "PR " : "HR ") +
                             number_text(c.hr) + "  SpO2 " + number_text(c.spo2);
    const float room = bottom - y;
    out.bp = place_text(m, line, x0, y, w, room, std::min(room, 2 * t.label), t.label * 0.7f, 3);
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
    out.bp_label = place_text(m, "SBP/DIA (MAP) mmHg", x0, y, bp_w + t.gap, t.label, t.label, t.label * 0.8f,
                              1, {{"mmHg", ""}}, {"SBP/DIA (MAP)", "BP (MAP)", "BP"});
    y += t.label;
  }
  out.bp = place_text(m, bp, x0, y, std::max(bp_w, w * (vf.one_row ? 0.0f : 1.0f)), p, p, p * 0.6f, 1);
  const float sub_w = vf.one_row ? bp_w + t.gap : w;
  out.bp_sub = place_text(m, join({map, base, age}), x0, y + p, sub_w, t.label, t.label, t.label * 0.8f, 1,
                          {{"base", "b"}}, {join({map, age}), map});
  check(out.bp);
  check(out.bp_sub);
  if (vf.one_row) {
    float hx = x0 + bp_w + t.gap;
    const float hy = y - t.label;
    auto column = [&](const char* label, const client::VitalView& v, TextBlock& lb, TextBlock& num,
                      TextBlock& ag) {
      const float cw = std::max(m(p, kWideValue), m(t.label, label));
      lb = place_text(m, label, hx, hy, cw + t.gap, t.label, t.label, t.label * 0.8f, 1);
      num = place_text(m, number_text(v), hx, hy + t.label, cw + t.gap, p, p, p * 0.6f, 1);
      ag = place_text(m, age_label(v), hx, hy + t.label + p, cw + t.gap, t.label, t.label, t.label * 0.8f, 1,
                      {{"min", "m"}, {"ago", ""}});
      check(lb);
      check(num);
      check(ag);
      hx += cw + t.gap;
    };
    column(c.hr.from_pulse ? "PR /min" : "HR /min", c.hr, out.hr_label, out.hr, out.hr_age);
    column("SpO2 %", c.spo2, out.spo2_label, out.spo2, out.spo2_age);
  } else {
    // Row B: for each of HR and SpO2, a small column (label over age) and the number.
    const float q = std::round(p * kHrShare);
    float hx = x0;
    const float hy = y + p + t.label;
    auto column = [&](const char* label, const client::VitalView& v, TextBlock& lb, TextBlock& num,
                      TextBlock& ag) {
      const float lw = side_column_w(m, t, label);
      lb = place_text(m, label, hx, hy, lw, t.label, t.label, t.label * 0.8f, 1);
      ag = place_text(m, age_label(v), hx, hy + t.label, lw, t.label, t.label, t.label * 0.7f, 1,
                      {{"min", "m"}, {"ago", ""}});
      const float nw = m(q, kWideValue);
      num = place_text(m, number_text(v), hx + lw, hy, nw + t.gap, q, q, q * 0.6f, 1);
      check(lb);
      check(num);
      check(ag);
      hx += lw + nw + t.gap;
    };
    column(c.hr.from_pulse ? "PR" : "HR", c.hr, out.hr_label, out.hr, out.hr_age);
    column("SpO2", c.spo2, out.spo2_label, out.spo2, out.spo2_age);
  }
  return out;
}

// The template chair: a long name and patient, a long clock, a two-line alarm. Real tiles with less text have
// room to spare; one with more (an escalation line, MONITOR LOST) gets its own smaller digits rather than
// clipped text.
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

}  // namespace vigil::dashboard::layout
