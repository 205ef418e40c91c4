#pragma once
// vigil-dashboard --bench-frames N: the frame benchmark (does a full ward still draw within a frame?). Fills
// the model with a synthetic ward (model/synthetic_ward.hpp: no daemon), renders N frames with vsync off, and
// measures the CPU time of each frame on the UI thread (CLOCK_THREAD_CPUTIME_ID around building the UI and
// submitting it to OpenGL; the buffer swap, where a software rasterizer does its work on its own threads, is
// outside). The first half of the frames show the chair grid, the second half the chair detail with its
// trend, a different chair each frame. Prints p50/p99 per view and overall; `--json FILE` writes them.
//
// Threading: UI thread only.

#include <string>

struct GLFWwindow;

namespace vigil::dashboard {

class DashboardApp;
class DashboardClient;

struct FrameBenchOptions {
  int frames = 0;  // 0: not in bench mode
  int chairs = 16;
  std::string json;  // write the figures here too
};

/// Puts a synthetic ward of `options.chairs` chairs into `client`'s model.
void fill_bench_ward(DashboardClient& client, const FrameBenchOptions& options);

/// Runs the frames in `window` and reports; returns the exit code (1: JSON not written).
int run_frame_bench(GLFWwindow* window, DashboardApp& app, const FrameBenchOptions& options);

}  // namespace vigil::dashboard
