#pragma once
// Saves the current OpenGL framebuffer (the dashboard as drawn) to a file.
//
// Threading: UI thread, with the GL context current, after rendering and before swapping.

#include <string>

namespace vigil::dashboard {

// PNG when `path` ends in ".png", else binary PPM (P6). False when the file cannot be
// written (the caller reports it).
bool save_framebuffer(const std::string& path, int width, int height);

}  // namespace vigil::dashboard
