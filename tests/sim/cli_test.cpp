// The vigil-sim program itself: --list, one-line errors, and a whole chair session against
// the fake receiver (served from a background thread while the child process runs).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <thread>

#include "fake_mllp_server.hpp"
#include "sim/named_scenarios.hpp"

namespace vigil::sim {
namespace {

struct ProgramRun {
  int exit_code = -1;
  std::string output;
};

ProgramRun run(const std::string& args) {
  ProgramRun r;
  const std::string cmd = std::string(VIGIL_BIN_DIR) + "/vigil-sim " + args;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    out.push_back(text.substr(pos, nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

TEST(Cli, ListPrintsTheScenarioNames) {
  const ProgramRun r = run("--list 2>&1");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(lines(r.output), scenario_names());
}

TEST(Cli, BadArgumentsGiveOneLineAndNonZeroExit) {
  const char* cases[] = {
      "--hl7 127.0.0.1:9 --scenario no-such --bed C1",
      "--hl7 127.0.0.1:9 --bed C1=no-such",
      "--hl7 127.0.0.1:9 --bed C1",
      "--hl7 127.0.0.1:9 --scenario normal-responder",
      "--hl7 127.0.0.1 --scenario normal-responder --bed C1",
      "--hl7 127.0.0.1:9 --scenario normal-responder --bed C1 --time-scale 0",
      "--hl7 127.0.0.1:9 --scenario normal-responder --bed C1 --style hl8",
      "--hl7 127.0.0.1:9 --scenario normal-responder --bed C1 --fault gremlins",
      "--hl7 127.0.0.1:9 --bed C1 --scenario-file /nonexistent/file",
      "--scenario normal-responder --bed C1",
      "--no-such-flag",
  };
  for (const char* args : cases) {
    const ProgramRun r = run(std::string(args) + " 2>&1");
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_EQ(lines(r.output).size(), 1u) << args << "\n" << r.output;
  }
  EXPECT_NE(run("--hl7 127.0.0.1:9 --scenario no-such --bed C1 2>&1").output.find("--list"),
            std::string::npos);
}

TEST(Cli, PlaysOneChairToTheEndAndExitsZero) {
  boost::asio::io_context io;
  test::FakeMllpServer server(io);
  auto guard = boost::asio::make_work_guard(io);
  std::thread t([&] { io.run(); });
  const ProgramRun r = run("--hl7 127.0.0.1:" + std::to_string(server.port()) +
                           " --scenario normal-responder --bed CHAIR3 --seed 11 --time-scale 5000"
                           " --numerics-interval 60 2>&1 >/dev/null");
  guard.reset();
  io.stop();
  t.join();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  int nibp_lines = 0;
  for (const auto& l : lines(r.output))
    nibp_lines += l.rfind("CHAIR3 t=", 0) == 0 && l.find(" NIBP ") != std::string::npos;
  EXPECT_EQ(nibp_lines, 16);
  int nibp_messages = 0;
  for (const auto& m : server.messages()) {
    EXPECT_NE(m.find("PV1||I|^^CHAIR3\r"), std::string::npos);
    nibp_messages += m.find("MDC_PRESS_BLD_NONINV_SYS") != std::string::npos;
  }
  EXPECT_EQ(nibp_messages, 16);
  EXPECT_NE(r.output.find("CHAIR3: sent="), std::string::npos);
}

}  // namespace
}  // namespace vigil::sim
