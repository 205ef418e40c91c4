#include "report/cairo_text.hpp"

#include <sstream>

namespace vigil::report {

void set_font(cairo_t* cr, double size_pt, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size_pt);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

void text_at(cairo_t* cr, double x, double y, const std::string& text) {
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

void text_right(cairo_t* cr, double x, double y, const std::string& text) {
  text_at(cr, x - text_width(cr, text), y, text);
}

std::string ellipsize(cairo_t* cr, const std::string& text, double width) {
  if (text_width(cr, text) <= width) return text;
  std::string cut = text;
  // Drop whole UTF-8 characters (never leave half of one) until it fits with the dots.
  while (!cut.empty()) {
    do {
      cut.pop_back();
    } while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);
    if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0) cut.pop_back();
    if (text_width(cr, cut + "...") <= width) break;
  }
  return cut + "...";
}

std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double width, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word, line;
  bool more = false;
  while (words >> word) {
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (text_width(cr, candidate) <= width || line.empty()) {
      line = candidate;
      continue;
    }
    if (lines.size() + 1 == max_lines) {
      more = true;
      line = candidate;
      break;
    }
    lines.push_back(ellipsize(cr, line, width));
    line = word;
  }
  if (!line.empty() || lines.empty()) {
    if (more || words >> word) line += " ...";
    lines.push_back(ellipsize(cr, line, width));
  }
  return lines;
}

}  // namespace vigil::report
