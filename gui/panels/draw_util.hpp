#pragma once
// Small drawing helpers shared by the panels (UI thread only).

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

// A number for the screen: "120", or "---" when blank.
inline std::string number_text(const VitalView& v) {
  if (!v.value) return "---";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", *v.value);
  return buf;
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
