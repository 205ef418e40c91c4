#include "app/fonts.hpp"

#include <filesystem>

namespace vigil::dashboard {

namespace {
constexpr const char* kDejaVuBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
// Latin-1, general punctuation (dashes), ≤ ≥ and the arrows; zero-terminated for ImGui.
constexpr ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x2193, 0x2264, 0x2265, 0};
}  // namespace

Fonts load_fonts(float scale, const std::string& font_path) {
  ImGuiIO& io = ImGui::GetIO();
  const std::string path = font_path.empty() ? kDejaVuBold : font_path;
  Fonts f;
  const bool have_file = std::filesystem::exists(path);
  auto load = [&](float px) -> ImFont* {
    if (have_file) {
      if (ImFont* font = io.Fonts->AddFontFromFileTTF(path.c_str(), px * scale, nullptr, kRanges))
        return font;
    }
    // ImGui's own 13 px font, rasterised larger: blurrier, still readable.
    ImFontConfig config;
    config.SizePixels = px * scale;
    return io.Fonts->AddFontDefault(&config);
  };
  f.normal = load(20);  // first font added is ImGui's default for widgets
  f.large = load(30);
  f.big = load(52);
  f.huge = load(76);
  return f;
}

}  // namespace vigil::dashboard
