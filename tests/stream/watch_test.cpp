// vigilctl watch as a process against an in-process StreamServer (its io_context runs on a
// background thread here, so the test thread can block reading the child's output).
// Skipped when vigilctl has not been built.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "loopback_harness.hpp"

namespace vigil::stream::testing {
namespace {

const std::string kVigilctl = std::string(VIGIL_BIN_DIR) + "/vigilctl";

// Reads one line from the child (without the newline); "" at EOF. Every command runs under
// `timeout`, so EOF always comes eventually.
std::string read_line(FILE* f) {
  std::string line;
  int c;
  while ((c = std::fgetc(f)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  return line;
}

int exit_status(int pclose_status) { return WIFEXITED(pclose_status) ? WEXITSTATUS(pclose_status) : -1; }

class Watch : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kVigilctl)) GTEST_SKIP() << kVigilctl << " not built";
    server = make_server();
    at = server->listen(loopback_any());
    work = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(io.get_executor());
    thread = std::thread([this] { io.run(); });
  }
  std::unique_ptr<StreamServer> make_server() {
    return std::make_unique<StreamServer>(io, StreamServer::Options{}, [] {
      std::vector<proto::BedState> beds(1);
      beds[0].set_bed("CHAIR1");
      *beds[0].add_latest() = reading_message("CHAIR1", 61).reading();
      return beds;
    });
  }
  void TearDown() override {
    if (!thread.joinable()) return;
    on_io([this] { server->stop(); });
    work.reset();
    thread.join();
  }
  // Runs `fn` on the server's io thread and waits for it.
  void on_io(std::function<void()> fn) {
    std::promise<void> done;
    asio::post(io, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
  std::string connect_arg() const { return "127.0.0.1:" + std::to_string(at.port()); }

  asio::io_context io;
  std::unique_ptr<StreamServer> server;
  tcp::endpoint at;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
};

TEST_F(Watch, PrintsHelloSnapshotAndFilteredLiveReadingsThenLinkLost) {
  const std::string cmd = "timeout 20 " + kVigilctl + " watch --connect " + connect_arg() + " --bed CHAIR1";
  FILE* child = popen(cmd.c_str(), "r");
  ASSERT_NE(child, nullptr);
  const std::string hello = read_line(child);
  EXPECT_EQ(hello.rfind(R"({"type":"hello","protocol_version":1,"daemon_version":"0.1.0")", 0), 0u) << hello;
  const std::string snap = read_line(child);
  EXPECT_EQ(snap.rfind(R"({"type":"reading","bed":"CHAIR1","kind":"HR","value":61)", 0), 0u) << snap;
  EXPECT_NE(snap.find(R"("snapshot":true)"), std::string::npos) << snap;
  // The CHAIR2 reading goes first; if the filter failed it would be the next line.
  on_io([this] {
    server->publish(reading_message("CHAIR2", 99));
    server->publish(reading_message("CHAIR1", 62));
  });
  const std::string live = read_line(child);
  EXPECT_EQ(live.rfind(R"({"type":"reading","bed":"CHAIR1","kind":"HR","value":62)", 0), 0u) << live;
  EXPECT_EQ(live.find("snapshot"), std::string::npos) << live;
  on_io([this] { server->stop(); });
  const std::string lost = read_line(child);
  EXPECT_EQ(lost.rfind(R"({"type":"link","state":"lost")", 0), 0u) << lost;
  EXPECT_EQ(read_line(child), "");
  EXPECT_EQ(exit_status(pclose(child)), 1);
}

// A server message that does not decode (a bed name that is not UTF-8, as an older vigild
// that stored Latin-1 text sends it) is skipped and said once on stderr, in vigilctl's words
// only: protobuf used to add its own "String field ... contains invalid UTF-8" line for every
// such message, so a bad chair flooded the terminal. The link and the later readings stay.
TEST_F(Watch, UndecodableMessagesAreOneStderrLineAndTheLinkStays) {
  const std::string err_file =
      (std::filesystem::temp_directory_path() / ("vigil-watch-skip-" + std::to_string(::getpid()) + ".err"))
          .string();
  const std::string cmd =
      "timeout 20 " + kVigilctl + " watch --connect " + connect_arg() + " --bed CHAIR1 2>" + err_file;
  FILE* child = popen(cmd.c_str(), "r");
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(read_line(child).rfind(R"({"type":"hello")", 0), 0u);
  EXPECT_NE(read_line(child).find(R"("snapshot":true)"), std::string::npos);
  on_io([this] {
    server->publish(reading_message("FAUTEUIL-\xE9", 70));
    server->publish(reading_message("FAUTEUIL-\xE8", 71));
    server->publish(reading_message("CHAIR1", 62));
  });
  const std::string live = read_line(child);
  EXPECT_EQ(live.rfind(R"({"type":"reading","bed":"CHAIR1","kind":"HR","value":62)", 0), 0u) << live;
  on_io([this] { server->stop(); });
  EXPECT_EQ(read_line(child).rfind(R"({"type":"link","state":"lost")", 0), 0u);
  EXPECT_EQ(read_line(child), "");
  pclose(child);

  FILE* err = std::fopen(err_file.c_str(), "r");
  ASSERT_NE(err, nullptr);
  const std::string first = read_line(err);
  const std::string rest = read_line(err);
  std::fclose(err);
  std::filesystem::remove(err_file);
  EXPECT_EQ(first.rfind("vigilctl: skipped a server message of ", 0), 0u) << first;
  EXPECT_NE(first.find("could not be decoded; the link stays up"), std::string::npos) << first;
  EXPECT_EQ(rest, "") << "more than one line on stderr for two skipped messages";
}

TEST_F(Watch, UnreachableDaemonIsOneStderrLineAndExit1) {
  tcp::endpoint closed_port;
  {
    asio::io_context scratch;
    tcp::acceptor probe(scratch, loopback_any());
    closed_port = probe.local_endpoint();
  }
  const std::string address = "127.0.0.1:" + std::to_string(closed_port.port());
  const std::string cmd = "timeout 20 " + kVigilctl + " watch --connect " + address + " 2>&1";
  FILE* child = popen(cmd.c_str(), "r");
  ASSERT_NE(child, nullptr);
  const std::string line = read_line(child);
  EXPECT_EQ(line.rfind("vigilctl: cannot connect to " + address + ": ", 0), 0u) << line;
  EXPECT_NE(line.find("(is vigild running? check --connect)"), std::string::npos) << line;
  EXPECT_EQ(read_line(child), "");
  EXPECT_EQ(exit_status(pclose(child)), 1);
}

TEST_F(Watch, BadConnectSyntaxExits2) {
  const std::string cmd = "timeout 20 " + kVigilctl + " watch --connect nonsense 2>&1";
  FILE* child = popen(cmd.c_str(), "r");
  ASSERT_NE(child, nullptr);
  EXPECT_NE(read_line(child).find("bad --connect"), std::string::npos);
  EXPECT_EQ(exit_status(pclose(child)), 2);
}

TEST_F(Watch, SigintExitsZero) {
  // The shell prints the child's pid first, then its output, then its exit status.
  const std::string cmd = "timeout --foreground 20 " + kVigilctl + " watch --connect " + connect_arg() +
                          " & echo $!; wait $!; echo exit=$?";
  FILE* child = popen(cmd.c_str(), "r");
  ASSERT_NE(child, nullptr);
  const pid_t pid = static_cast<pid_t>(std::stol(read_line(child)));
  // The pid is `timeout`'s, which passes SIGINT on to vigilctl and exits with its status.
  // (--foreground: otherwise timeout also signals its process group, vigilctl gets SIGINT
  // twice, and the second can land after its handler is gone.)
  EXPECT_EQ(read_line(child).rfind(R"({"type":"hello")", 0), 0u);
  ::kill(pid, SIGINT);
  std::string line;
  do {
    line = read_line(child);
  } while (!line.empty() && line.rfind("exit=", 0) != 0);
  EXPECT_EQ(line, "exit=0");
  pclose(child);
}

TEST_F(Watch, ReconnectPrintsLostThenConnectedAgain) {
  const std::string cmd = "timeout --foreground 20 " + kVigilctl + " watch --reconnect --connect " +
                          connect_arg() + " & echo $!; wait $!; echo exit=$?";
  FILE* child = popen(cmd.c_str(), "r");
  ASSERT_NE(child, nullptr);
  const pid_t pid = static_cast<pid_t>(std::stol(read_line(child)));
  EXPECT_EQ(read_line(child).rfind(R"({"type":"hello")", 0), 0u);
  EXPECT_NE(read_line(child).find(R"("snapshot":true)"), std::string::npos);
  on_io([this] { server->stop(); });
  const std::string lost = read_line(child);
  EXPECT_EQ(lost.rfind(R"({"type":"link","state":"lost")", 0), 0u) << lost;
  // The daemon comes back on the same port; vigilctl retries every second until it does.
  on_io([this] {
    server = make_server();
    server->listen(at);
  });
  // A new hello line (the daemon may have been upgraded), then the link line, then the snapshot.
  EXPECT_EQ(read_line(child).rfind(R"({"type":"hello")", 0), 0u);
  const std::string connected = read_line(child);
  EXPECT_EQ(connected.rfind(R"({"type":"link","state":"connected")", 0), 0u) << connected;
  EXPECT_NE(read_line(child).find(R"("snapshot":true)"), std::string::npos);
  ::kill(pid, SIGINT);
  std::string line;
  do {
    line = read_line(child);
  } while (!line.empty() && line.rfind("exit=", 0) != 0);
  EXPECT_EQ(line, "exit=0");
  pclose(child);
}

}  // namespace
}  // namespace vigil::stream::testing
