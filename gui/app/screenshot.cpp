#include "app/screenshot.hpp"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace vigil::dashboard {

bool save_framebuffer(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return false;
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  std::vector<unsigned char> pixels(row * static_cast<std::size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  // OpenGL's rows start at the bottom; image files start at the top.
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y)
    std::copy_n(&pixels[static_cast<std::size_t>(height - 1 - y) * row], row,
                &flipped[static_cast<std::size_t>(y) * row]);
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".png") == 0)
    return stbi_write_png(path.c_str(), width, height, 3, flipped.data(), static_cast<int>(row)) != 0;
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return false;
  std::fprintf(out, "P6\n%d %d\n255\n", width, height);
  const bool ok = std::fwrite(flipped.data(), 1, flipped.size(), out) == flipped.size();
  return std::fclose(out) == 0 && ok;
}

}  // namespace vigil::dashboard
