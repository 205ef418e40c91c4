#pragma once
// Text on a cairo context with the toy font API and DejaVu Sans (Debian fonts-dejavu-core):
// no pango needed. Sizes are in points (1/72 inch) on an A4 page.

#include <cairo.h>

#include <string>
#include <vector>

namespace vigil::report {

void set_font(cairo_t* cr, double size_pt, bool bold = false);
double text_width(cairo_t* cr, const std::string& text);
// Draws `text` with its baseline at y.
void text_at(cairo_t* cr, double x, double y, const std::string& text);
// Draws `text` right-aligned to x.
void text_right(cairo_t* cr, double x, double y, const std::string& text);
// `text` cut to `width` with "..." when it does not fit.
std::string ellipsize(cairo_t* cr, const std::string& text, double width);
// `text` broken at spaces into lines no wider than `width` (a longer word is ellipsized);
// at most `max_lines` lines, the last one ellipsized when more would be needed.
std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double width, std::size_t max_lines = 6);

}  // namespace vigil::report
