#include "app/bench_mode.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <vector>

#include "app/dashboard_app.hpp"
#include "app/screenshot.hpp"
#include "common/wall_time.hpp"
#include "model/dashboard_client.hpp"
#include "model/synthetic_ward.hpp"

namespace vigil::dashboard {

namespace {

// Frames before measuring: the first ones upload the font atlas and grow ImGui's buffers.
constexpr int kWarmupFrames = 20;

std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Figures {
  std::size_t count = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
};

// Nearest-rank percentiles.
Figures figures(std::vector<std::int64_t> ns) {
  Figures f;
  if (ns.empty()) return f;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double p) {
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(ns.size())));
    return static_cast<double>(ns[std::clamp<std::size_t>(rank, 1, ns.size()) - 1]) / 1e6;
  };
  f.count = ns.size();
  f.p50_ms = at(50);
  f.p99_ms = at(99);
  f.max_ms = static_cast<double>(ns.back()) / 1e6;
  double sum = 0;
  for (auto v : ns) sum += static_cast<double>(v);
  f.mean_ms = sum / static_cast<double>(ns.size()) / 1e6;
  return f;
}

std::string json(const Figures& f) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "{\"count\":%zu,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"max_ms\":%.4f,\"mean_ms\":%.4f}", f.count,
                f.p50_ms, f.p99_ms, f.max_ms, f.mean_ms);
  return buf;
}

// One frame as the normal loop draws it, minus the wait for events; returns its CPU time.
// With --screenshot, the first frame that meets --screenshot-when is saved (outside the
// measured time), to see what was measured.
std::int64_t frame(GLFWwindow* window, DashboardApp& app, int& vertices) {
  static bool saved = false;
  glfwPollEvents();
  const std::int64_t start = thread_cpu_ns();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window, &fb_w, &fb_h);
  app.frame(wall_now_ms(), ImGui::GetIO().DisplaySize);
  ImGui::Render();
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0, 0, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  const std::int64_t spent = thread_cpu_ns() - start;
  vertices = ImGui::GetDrawData()->TotalVtxCount;
  if (app.screenshot_due() && !saved) {
    saved = true;
    const bool ok = save_framebuffer(app.screenshot_path(), fb_w, fb_h);
    std::printf("%s %s\n", ok ? "screenshot" : "screenshot-failed", app.screenshot_path().c_str());
  }
  glfwSwapBuffers(window);
  return spent;
}

}  // namespace

void fill_bench_ward(DashboardClient& client, const FrameBenchOptions& options) {
  SyntheticWardOptions w;
  w.chairs = options.chairs;
  const std::int64_t now = wall_now_ms();
  client.replay(synthetic_ward(w, now), now);
}

int run_frame_bench(GLFWwindow* window, DashboardApp& app, const FrameBenchOptions& o) {
  glfwSwapInterval(0);  // no vsync: a frame costs what it costs
  const int grid_frames = o.frames / 2;
  std::vector<std::int64_t> grid, detail;
  int grid_vtx = 0, detail_vtx = 0, vtx = 0;
  for (int i = 0; i < kWarmupFrames; ++i) frame(window, app, vtx);
  for (int i = 0; i < grid_frames; ++i) {
    grid.push_back(frame(window, app, vtx));
    grid_vtx = std::max(grid_vtx, vtx);
  }
  app.key_pressed(GLFW_KEY_ENTER);  // the selected chair's detail, with its trend
  for (int i = 0; i < kWarmupFrames / 2; ++i) frame(window, app, vtx);
  for (int i = grid_frames; i < o.frames; ++i) {
    app.key_pressed(GLFW_KEY_TAB);  // next chair: every trend gets drawn
    detail.push_back(frame(window, app, vtx));
    detail_vtx = std::max(detail_vtx, vtx);
  }
  std::vector<std::int64_t> all = grid;
  all.insert(all.end(), detail.begin(), detail.end());
  const Figures g = figures(grid), d = figures(detail), a = figures(all);
  std::printf(
      "dashboard frame CPU, %d chairs with %d-minute trends: grid p50 %.3f ms p99 %.3f ms (%d vertices); "
      "detail p50 %.3f ms p99 %.3f ms (%d vertices); all p50 %.3f ms p99 %.3f ms max %.3f ms over %zu "
      "frames\n",
      o.chairs, 90, g.p50_ms, g.p99_ms, grid_vtx, d.p50_ms, d.p99_ms, detail_vtx, a.p50_ms, a.p99_ms,
      a.max_ms, a.count);
  std::fflush(stdout);
  if (o.json.empty()) return 0;
  std::ofstream out(o.json);
  out << "{\"label\":\"dashboard-frames\",\"chairs\":" << o.chairs << ",\"frames\":" << a.count
      << ",\"p50_ms\":" << a.p50_ms << ",\"p99_ms\":" << a.p99_ms << ",\"max_ms\":" << a.max_ms
      << ",\"grid\":" << json(g) << ",\"detail\":" << json(d) << ",\"grid_vertices\":" << grid_vtx
      << ",\"detail_vertices\":" << detail_vtx << "}\n";
  if (!out) {
    std::fprintf(stderr, "vigil-dashboard: cannot write %s\n", o.json.c_str());
    return 1;
  }
  return 0;
}

}  // namespace vigil::dashboard
