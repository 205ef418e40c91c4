// vigil-dashboard: the nurse's screen. Connects to vigild's stream, shows every chair, sounds
// IEC 60601-1-8 tones, sends acknowledgements and session actions with the user's name.
//
//   vigil-dashboard [--connect HOST:PORT] [--user NAME] [--identify fixed|pick|pin] [--fullscreen]
//                   [--tls [--ca FILE] [--cert FILE --key FILE] [--tls-server-name NAME]] [--token T]
//                   [--screenshot FILE [--screenshot-when connected|high-alert|link-lost|detail|trend]]
//   vigil-dashboard --bench-frames N [--bench-chairs 16] [--json FILE]   (frame benchmark:
//   app/bench_mode.hpp)
//
// Threads: main (GLFW, ImGui, OpenGL), the network thread (DashboardClient), the audio
// player (AlarmSound). Shutdown: window closed -> client stopped (joins) -> sound stopped.

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "app/bench_mode.hpp"
#include "app/dashboard_app.hpp"
#include "app/fonts.hpp"
#include "app/screenshot.hpp"
#include "common/build_version.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"
#include "model/chair_order.hpp"
#include "model/model_views.hpp"
#include "net/host_port.hpp"
#include "tone/tone_pattern.hpp"

namespace {

void glfw_error(int code, const char* text) {
  std::cerr << "vigil-dashboard: GLFW error " << code << ": " << text << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil::dashboard;
  CLI::App cli{"vigil-dashboard: the nurse's screen for vigild"};
  // --help and --version need no display: the window opens only after the flags are parsed.
  cli.set_version_flag("--version", vigil::version_line("vigil-dashboard"));
  std::string connect = "127.0.0.1:7420";
  std::string user;
  std::string identify;
  bool fullscreen = false;
  int width = 0, height = 0;  // 0: the monitor's work area
  std::string audio_device = "default";
  DashboardApp::Options app_options;
  int test_ack = -1;
  cli.add_option("--connect", connect, "vigild's stream address HOST:PORT")->capture_default_str();
  cli.add_option("--user", user,
                 "who is at the screen: acknowledgements and actions are logged with it (optional: "
                 "without it, vigild's login names the screen and each acknowledgement asks who)");
  cli.add_option(
         "--identify", identify,
         "who acknowledges: fixed (--user, or the login) | pick (a quick pick of the nurses vigild "
         "knows, each time) | pin (the pick, then the nurse's PIN); default fixed with --user, else pick")
      ->check(CLI::IsMember({"fixed", "pick", "pin"}));
  std::string order_file = ChairOrder::default_path();
  cli.add_option("--chair-order-file", order_file, "where the chair order is kept (\"\": not kept)")
      ->capture_default_str();
  cli.add_flag("--fullscreen", fullscreen, "fill the primary monitor");
  vigil::net::LinkSecurity security;
  cli.add_flag("--tls", security.tls, "connect over TLS (vigild with stream_tls)");
  cli.add_option("--ca", security.ca_file,
                 "CA that signed vigild's certificate (default: the system's trusted CAs)");
  cli.add_option("--cert", security.cert_file, "client certificate (PEM) to log in with");
  cli.add_option("--key", security.key_file, "private key of --cert (PEM)");
  cli.add_option("--tls-server-name", security.server_name,
                 "name vigild's certificate must carry (default: the --connect host)");
  cli.add_option("--token", security.token,
                 "login token; prefer the VIGIL_TOKEN environment variable (not shown by ps)")
      ->envname("VIGIL_TOKEN");
  cli.add_option("--width", width, "window width in pixels (default: the monitor's work area)");
  cli.add_option("--height", height, "window height in pixels (default: the monitor's work area)");
  cli.add_option("--audio-device", audio_device, "ALSA device for the alarm tones")->capture_default_str();
  cli.add_option("--screenshot", app_options.screenshot,
                 "save the screen to FILE (.png, else PPM) once --screenshot-when holds, then exit");
  cli.add_option("--screenshot-when", app_options.screenshot_when,
                 "connected | high-alert | link-lost | detail | trend")
      ->check(CLI::IsMember({"connected", "high-alert", "link-lost", "detail", "trend"}))
      ->capture_default_str();
  cli.add_flag("--detail", app_options.start_in_detail, "start with the first chair's detail view");
  cli.add_option("--test-ack-top-after-ms", test_ack,
                 "test hook: acknowledge the top alert (as the A key does) once it has shown for N ms");
  cli.add_option("--test-pick-user", app_options.test_pick_user,
                 "test hook (pick/pin): the picker answers with this nurse at once");
  cli.add_option("--test-pick-pin", app_options.test_pick_pin, "test hook (pin): ... and this PIN");
  std::string tone_wav, tone_priority = "HIGH";
  cli.add_option("--tone-wav", tone_wav,
                 "write one burst + pause of --tone-priority to this WAV file and exit");
  cli.add_option("--tone-priority", tone_priority, "HIGH | MEDIUM | LOW")
      ->check(CLI::IsMember({"HIGH", "MEDIUM", "LOW"}))
      ->capture_default_str();
  FrameBenchOptions bench;
  cli.add_option(
         "--bench-frames", bench.frames,
         "benchmark: render N frames of a synthetic ward (no daemon, no vsync), print CPU ms per frame, exit")
      ->check(CLI::Range(0, 1000000));
  cli.add_option("--bench-chairs", bench.chairs, "benchmark: chairs in the synthetic ward")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cli.add_option("--json", bench.json, "benchmark: also write the figures to FILE");
  CLI11_PARSE(cli, argc, argv);
  if (!tone_wav.empty()) {
    // Listen to the pattern without a running daemon (or a sound card on this machine).
    const auto priority = vigil::from_word<vigil::proto::Priority>(tone_priority);  // CLI11 checked the word
    const auto samples =
        render_tone(tone_pattern(to_view(priority.value_or(vigil::proto::HIGH))), 44100, true);
    std::ofstream out(tone_wav, std::ios::binary);
    out << wav_file(samples, 44100);
    if (!out) {
      std::cerr << "vigil-dashboard: cannot write " << tone_wav << "\n";
      return 1;
    }
    return 0;
  }
  if (test_ack >= 0) app_options.test_ack_top_after_ms = test_ack;

  const auto address = vigil::net::parse_host_port(connect);
  if (!address) {
    std::cerr << "vigil-dashboard: bad --connect '" << connect
              << "': expected HOST:PORT, e.g. 127.0.0.1:7420\n";
    return 2;
  }
  if (auto problem = vigil::net::check_link_security(security)) {
    std::cerr << "vigil-dashboard: " << *problem << "\n";
    return 2;
  }
  // A fixed user acknowledges everything (one nurse's screen); a shared screen asks each time.
  app_options.identify = identify == "pin"                      ? IdentifyMode::Pin
                         : identify == "pick"                   ? IdentifyMode::Pick
                         : identify == "fixed" || !user.empty() ? IdentifyMode::Fixed
                                                                : IdentifyMode::Pick;
  app_options.order_file = order_file;
  if ((width != 0 || height != 0) && (width < 320 || height < 240 || width > 8192 || height > 8192)) {
    std::cerr << "vigil-dashboard: window size out of range\n";
    return 2;
  }

  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "vigil-dashboard: cannot open the display (is DISPLAY set?)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  GLFWmonitor* monitor = fullscreen ? glfwGetPrimaryMonitor() : nullptr;
  if (monitor) {
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    width = mode->width;
    height = mode->height;
  } else if (width == 0 || height == 0) {
    // Fill the screen it is given: the primary monitor's work area (without panels), and
    // maximized where a window manager does that.
    int x = 0, y = 0, w = 1280, h = 800;
    if (GLFWmonitor* primary = glfwGetPrimaryMonitor()) glfwGetMonitorWorkarea(primary, &x, &y, &w, &h);
    if (width == 0) width = std::max(w, 320);
    if (height == 0) height = std::max(h, 240);
    glfwWindowHint(GLFW_MAXIMIZED, GLFW_TRUE);
  }
  GLFWwindow* window = glfwCreateWindow(width, height, "Vigil", monitor, nullptr);
  if (!window) {
    std::cerr << "vigil-dashboard: cannot create an OpenGL 3.0 window\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini: the layout is fixed
  ImGui::StyleColorsDark();
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 1);
  ImGui::GetStyle().FrameRounding = 4;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");
  // Text sizes follow the screen (gui/layout/screen_layout.hpp): labels ~20 px per 1000 rows.
  int win_w = width, win_h = height;
  glfwGetWindowSize(window, &win_w, &win_h);
  const Fonts fonts = load_fonts(layout::screen_layout(static_cast<float>(win_w), static_cast<float>(win_h)));

  AlarmSound sound;
  if (bench.frames == 0 && !sound.start(audio_device))
    std::cout << "audio unavailable: " << sound.error() << std::endl;
  DashboardClient client({address->first, address->second, user, security});
  if (bench.frames > 0)
    fill_bench_ward(client, bench);  // the model from a made-up ward, no network
  else
    client.start();
  DashboardApp app(client, sound, fonts, app_options);
  // Our key callback first hands the event to ImGui's (installed by InitForOpenGL), then
  // records presses for the dashboard's own keys.
  glfwSetWindowUserPointer(window, &app);
  glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int scancode, int action, int mods) {
    ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
    // Presses only: holding A must not acknowledge one alert after another.
    if (action == GLFW_PRESS) static_cast<DashboardApp*>(glfwGetWindowUserPointer(w))->key_pressed(key);
  });

  int exit_code = 0;
  if (bench.frames > 0) {
    exit_code = run_frame_bench(window, app, bench);
    glfwSetWindowShouldClose(window, GLFW_TRUE);
  }
  while (!glfwWindowShouldClose(window)) {
    // ~30 frames per second without vsync (Xvfb): enough for a 2 Hz flash, cheap on CPU.
    glfwWaitEventsTimeout(1.0 / 30.0);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    app.frame(vigil::wall_now_ms(), ImGui::GetIO().DisplaySize);
    ImGui::Render();
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (app.screenshot_due()) {
      const bool ok = save_framebuffer(app.screenshot_path(), fb_w, fb_h);
      std::cout << (ok ? "screenshot " : "screenshot-failed ") << app.screenshot_path() << std::endl;
      exit_code = ok ? 0 : 1;
      break;
    }
    glfwSwapBuffers(window);
  }
  client.stop();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
