#include "app/fonts.hpp"

#include <algorithm>
#include <cfloat>
#include <filesystem>

namespace vigil::dashboard {

namespace {
constexpr const char* kDejaVuBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
// Latin-1, general punctuation (dashes), ≤ ≥ and the arrows; zero-terminated for ImGui.
constexpr ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x2193, 0x2264, 0x2265, 0};
// The big numbers: "214/112", "(146)", "---", "98 %", "36.5".
constexpr ImWchar kDigitRanges[] = {0x0020, 0x0020, 0x0025, 0x0025, 0x0028, 0x0029, 0x002D, 0x0039, 0};
constexpr float kTextSizes[] = {13, 16, 20, 25, 32, 40, 50, 60, 72};
constexpr float kDigitSizes[] = {90, 115, 145, 185, 235, 300};

bool digits_only(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= '-' && c <= '9') || c == ' ' || c == '%' || c == '(' || c == ')';
    if (!ok) return false;
  }
  return true;
}

ImFont* smallest_at_least(const std::vector<ImFont*>& ladder, float px) {
  for (ImFont* f : ladder)
    if (f->FontSize >= px - 0.5f) return f;
  return ladder.empty() ? nullptr : ladder.back();
}
}  // namespace

ImFont* Fonts::at(float px, std::string_view text) const {
  if (px > text_ladder.back()->FontSize && !digit_ladder.empty() && digits_only(text))
    return smallest_at_least(digit_ladder, px);
  return smallest_at_least(text_ladder, px);
}

Fonts load_fonts(const layout::ScreenLayout& screen, const std::string& font_path) {
  ImGuiIO& io = ImGui::GetIO();
  const std::string path = font_path.empty() ? kDejaVuBold : font_path;
  Fonts f;
  const bool have_file = std::filesystem::exists(path);
  auto load = [&](float px, const ImWchar* ranges) -> ImFont* {
    if (have_file) {
      if (ImFont* font = io.Fonts->AddFontFromFileTTF(path.c_str(), px, nullptr, ranges)) return font;
    }
    // ImGui's own 13 px font, rasterised larger: blurrier, still readable.
    ImFontConfig config;
    config.SizePixels = px;
    return io.Fonts->AddFontDefault(&config);
  };
  f.normal = load(screen.label_px, kRanges);  // first font added is ImGui's default for widgets
  f.large = load(screen.title_px, kRanges);
  f.text_ladder.push_back(f.normal);
  f.text_ladder.push_back(f.large);
  for (float px : kTextSizes) f.text_ladder.push_back(load(px, kRanges));
  for (float px : kDigitSizes) f.digit_ladder.push_back(load(px, kDigitRanges));
  std::sort(f.text_ladder.begin(), f.text_ladder.end(),
            [](const ImFont* a, const ImFont* b) { return a->FontSize < b->FontSize; });
  // The detail view's numbers: about 2.6 and 3.8 times the label size.
  f.big = smallest_at_least(f.text_ladder, screen.label_px * 2.6f);
  f.huge = smallest_at_least(f.text_ladder, screen.label_px * 3.8f);
  return f;
}

layout::Measure font_measure(const Fonts& fonts) {
  return [&fonts](float px, std::string_view text) {
    ImFont* f = fonts.at(px, text);
    return f->CalcTextSizeA(px, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
  };
}

}  // namespace vigil::dashboard
