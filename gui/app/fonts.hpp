#pragma once
// Loads the dashboard's fonts: DejaVu Sans Bold (fonts-dejavu-core) at four sizes, with the
// glyphs for ≥ ≤ and dashes; falls back to ImGui's built-in font scaled up if missing.
//
// Threading: UI thread, before the first frame.

#include <string>

#include "panels/panels.hpp"

namespace vigil::dashboard {

// `scale` multiplies every size (1.0 for 1280x800, ~1.3 for 1080p). `font_path` empty:
// the Debian DejaVu path.
Fonts load_fonts(float scale, const std::string& font_path = {});

}  // namespace vigil::dashboard
