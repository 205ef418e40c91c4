#pragma once
// Fitting text into boxes without clipping it: the rule every panel of the dashboard obeys.
// Pure: no ImGui, no window. The app measures with ImGui's font atlas; the tests measure
// with the same font loaded headless, so what is checked is what is drawn.
//
//   text, box, size range ──► one line at the largest size?  ──► done
//                             an abbreviation (by rule) fits? ──► done
//                             wrapped at spaces, <= max_lines? ──► done
//                             ... each again at a smaller size, down to min_px
//   nothing fits at min_px: the smallest wrapping, marked fits = false (the tests fail on
//   it; the screen still shows whole words, one above the other, rather than a cut word).
//
// A line is never cut inside a word. The only place a word is split is a hyphen or a
// slash ("SIM-CHAIR-0042" may wrap after "SIM-"), which a reader sees as a joint.

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::dashboard::layout {

// Width in pixels of `text` drawn at `px` pixels (line height = px, as ImGui draws).
using Measure = std::function<float(float px, std::string_view text)>;

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  float right() const { return x + w; }
  float bottom() const { return y + h; }
};

// Text placed in a box: whole lines at one size, top-left aligned unless the panel aligns.
struct TextBlock {
  Rect box;                        // the room the text was given
  float px = 0;                    // drawn size (line height)
  std::vector<std::string> lines;  // empty: nothing to draw
  bool fits = true;                // false: even the smallest size overflowed `box`
  float width = 0;                 // widest line at `px`
  bool align_right = false;        // lines end at box.right() instead of starting at box.x
  float height() const { return px * static_cast<float>(lines.size()); }
};

// An abbreviation rule: every occurrence of `from` as whole words is replaced by `to`.
// Applied one after another, each result is tried before wrapping.
using Abbreviation = std::pair<std::string, std::string>;

struct FitRequest {
  float max_px = 20;
  float min_px = 12;
  int max_lines = 1;
  std::vector<Abbreviation> abbreviations;
  // Shorter forms to try after the abbreviations, each as a whole ("(93) 12 s" for
  // "(93)  base 120/80  12 s"): what a rule drops, it drops whole.
  std::vector<std::string> shorter;
};

// Greedy word wrap of `text` at `px` into lines no wider than `width`; a word wider than
// `width` on its own is split at '-' or '/' if that helps, else left whole (overflows).
std::vector<std::string> wrap_words(const Measure& measure, std::string_view text, float px, float width);

// `text` in `box` by the rules above. Empty text gives an empty block that fits.
TextBlock fit_text(const Measure& measure, std::string_view text, Rect box, const FitRequest& request);

// The largest size in [min_px, max_px] at which `text` is one line no wider than `width`;
// min_px when none.
float largest_single_line(const Measure& measure, std::string_view text, float width, float min_px,
                          float max_px);

// Every replacement of `rules` applied to whole words of `text`, in order.
std::string abbreviate(std::string_view text, const std::vector<Abbreviation>& rules);

}  // namespace vigil::dashboard::layout
