#pragma once
// Loads the dashboard's fonts: DejaVu Sans Bold (fonts-dejavu-core), with the glyphs for
// ≥ ≤ and dashes; falls back to ImGui's built-in font scaled up if missing.
//
// Two ladders of sizes: every glyph up to 72 px (labels, names, alarm texts), and digits
// only (with / - ( ) % .) from 90 to 300 px for the big numbers, so the atlas stays a few MB.
// A text is drawn with the smallest font at least its size, scaled down (never more than a
// quarter): what the layout measured is exactly what is drawn (layout/text_fit.hpp).
//
// No window or GL needed: the layout tests load the same fonts into a headless ImGui context.
//
// Threading: UI thread, before the first frame.

#include <string>
#include <string_view>

#include "layout/screen_layout.hpp"
#include "layout/text_fit.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

// The fonts for `screen` (normal = its label size, large = its title size). `font_path`
// empty: the Debian DejaVu path.
Fonts load_fonts(const layout::ScreenLayout& screen, const std::string& font_path = {});

// Measures text as the panels draw it (Fonts::at), for the layout.
layout::Measure font_measure(const Fonts& fonts);

}  // namespace vigil::dashboard
