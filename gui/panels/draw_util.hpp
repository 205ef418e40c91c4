#pragma once
// Small drawing helpers shared by the panels (UI thread only).

#include <charconv>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "model/model_views.hpp"
#include "panels/palette.hpp"

namespace vigil::dashboard {

inline ImVec2 text_size(ImFont* font, const std::string& s) {
  return font->CalcTextSizeA(font->FontSize, 1e9f, 0.0f, s.c_str());
}

inline void text_at(ImDrawList* d, ImFont* font, ImVec2 pos, ImU32 col, const std::string& s) {
  d->AddText(font, font->FontSize, pos, col, s.c_str());
}

// A number for the screen: "120", or "---" when blank. Rounded as printf's "%.0f" does;
// std::to_chars because the grid formats ~100 numbers a frame and printf's float path was
// a tenth of the frame's CPU (callgrind, docs/performance.md).
inline std::string number_text(const VitalView& v) {
  if (!v.value) return "---";
  char buf[400];  // the longest fixed-notation double
  const auto r = std::to_chars(buf, buf + sizeof buf, *v.value, std::chars_format::fixed, 0);
  return std::string(buf, r.ec == std::errc() ? r.ptr : buf);
}

// White when fresh, grey when older than its cycle.
inline ImU32 vital_colour(const VitalView& v) {
  return v.freshness == Freshness::Stale ? palette::kStale : palette::kText;
}

// "age 12 s" in white, "5 min ago" greyed, "" when blank.
inline std::string age_label(const VitalView& v) {
  if (!v.value) return "";
  return v.freshness == Freshness::Stale ? v.age_text + " ago" : v.age_text;
}

}  // namespace vigil::dashboard
