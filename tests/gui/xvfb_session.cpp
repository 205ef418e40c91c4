#include "gui/xvfb_session.hpp"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace vigil::test {

using namespace std::chrono_literals;

bool xvfb_installed() { return ::access("/usr/bin/Xvfb", X_OK) == 0; }

XvfbSession::XvfbSession(int width, int height) {
  std::mt19937 rng(static_cast<unsigned>(::getpid()) ^ static_cast<unsigned>(std::random_device{}()));
  for (int attempt = 0; attempt < 20 && !server_; ++attempt) {
    const int n = 50 + static_cast<int>(rng() % 200);
    const std::string socket = "/tmp/.X11-unix/X" + std::to_string(n);
    if (std::filesystem::exists(socket) || std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock"))
      continue;
    auto server = std::make_unique<ChildProcess>(std::vector<std::string>{
        "/usr/bin/Xvfb", ":" + std::to_string(n), "-screen", "0",
        std::to_string(width) + "x" + std::to_string(height) + "x24", "-nolisten", "tcp"});
    // Up when its socket exists; a server that exits lost a race for the number: try another.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline && server->running() &&
           !std::filesystem::exists(socket))
      std::this_thread::sleep_for(50ms);
    if (server->running() && std::filesystem::exists(socket)) {
      display_ = ":" + std::to_string(n);
      server_ = std::move(server);
    }
  }
  if (!server_) throw std::runtime_error("Xvfb did not start on any display");
}

XvfbSession::~XvfbSession() {
  server_->signal(SIGTERM);
  server_->wait(10s);
}

int Picture::count(float x0, float y0, float x1, float y1,
                   const std::function<bool(int, int, int)>& match) const {
  int n = 0;
  const int xa = static_cast<int>(x0 * static_cast<float>(width)),
            xb = static_cast<int>(x1 * static_cast<float>(width));
  const int ya = static_cast<int>(y0 * static_cast<float>(height)),
            yb = static_cast<int>(y1 * static_cast<float>(height));
  for (int y = ya; y < yb; ++y) {
    for (int x = xa; x < xb; ++x) {
      const std::size_t i =
          (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
      if (match(rgb[i], rgb[i + 1], rgb[i + 2])) ++n;
    }
  }
  return n;
}

std::optional<Picture> read_ppm(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string magic;
  int maxval = 0;
  Picture p;
  if (!(in >> magic >> p.width >> p.height >> maxval) || magic != "P6" || maxval != 255) return std::nullopt;
  if (p.width <= 0 || p.height <= 0 || p.width > 10000 || p.height > 10000) return std::nullopt;
  in.get();  // the single whitespace after the header
  p.rgb.resize(static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * 3);
  if (!in.read(reinterpret_cast<char*>(p.rgb.data()), static_cast<std::streamsize>(p.rgb.size())))
    return std::nullopt;
  return p;
}

std::optional<Picture> screenshot(const std::string& display, const std::string& ppm_path,
                                  const std::string& png_path) {
  auto shot =
      run_command({"/usr/bin/import", "-display", display, "-window", "root", "-depth", "8", ppm_path}, 30s);
  if (shot.exit_code != 0) return std::nullopt;
  // The PNG is for people looking at the artifacts; its failure does not fail the check.
  run_command({"/usr/bin/convert", ppm_path, png_path}, 30s);
  return read_ppm(ppm_path);
}

}  // namespace vigil::test
