#pragma once
// Small drawing helpers shared by the panels (UI thread only).

#include <cfloat>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "layout/text_fit.hpp"
#include "layout/value_text.hpp"
#include "model/model_views.hpp"
#include "panels/palette.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

inline ImVec2 text_size(ImFont* font, const std::string& s) {
  return font->CalcTextSizeA(font->FontSize, 1e9f, 0.0f, s.c_str());
}

inline void text_at(ImDrawList* d, ImFont* font, ImVec2 pos, ImU32 col, const std::string& s) {
  d->AddText(font, font->FontSize, pos, col, s.c_str());
}

// A block the layout computed, line by line at its size (left or right aligned in its box).
inline void draw_block(ImDrawList* d, const Fonts& f, const layout::TextBlock& b, ImU32 col,
                       ImVec2 origin = ImVec2(0, 0)) {
  float y = origin.y + b.box.y;
  for (const std::string& line : b.lines) {
    ImFont* font = f.at(b.px, line);
    float x = origin.x + b.box.x;
    if (b.align_right)
      x = origin.x + b.box.right() - font->CalcTextSizeA(b.px, FLT_MAX, 0.0f, line.c_str()).x;
    d->AddText(font, b.px, ImVec2(x, y), col, line.c_str());
    y += b.px;
  }
}

// White when fresh, grey when older than its cycle.
inline ImU32 vital_colour(const VitalView& v) {
  return v.freshness == Freshness::Stale ? palette::kStale : palette::kText;
}

}  // namespace vigil::dashboard
