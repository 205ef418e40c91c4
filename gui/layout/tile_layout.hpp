#pragma once
// One chair's tile: its texts placed for a BP digit size (screen_layout.hpp explains the
// layout; this is its inside). Pure, no ImGui.

#include <string>
#include <vector>

#include "layout/screen_layout.hpp"
#include "layout/text_fit.hpp"

namespace vigil::dashboard::layout {

// The tile `tile` for `in` with BP digits of `p` px (0: the values as one wrapped text, for
// a tile with no room for digits); `ok` says whether everything fit.
TileLayout tile_at(const Measure& measure, const ScreenLayout& screen, Rect tile, const TileInput& in,
                   float p, bool& ok);

// The largest BP size at which the whole tile fits; 0 when none does.
float largest_bp(const Measure& measure, const ScreenLayout& screen, Rect tile, const TileInput& in);

// The chair the grid's BP size is chosen for: long names, a long clock, a two-line alarm.
client::ChairView template_chair();

// The abbreviations an alarm text may take ("MEDIUM" -> "MED").
const std::vector<Abbreviation>& alert_rules();

// `text` fitted at (x, y) in w x h (fit_text); the box then shrinks to the lines it took.
TextBlock place_text(const Measure& measure, const std::string& text, float x, float y, float w, float h,
                     float max_px, float min_px, int max_lines, const std::vector<Abbreviation>& rules = {},
                     std::vector<std::string> shorter = {});

}  // namespace vigil::dashboard::layout
