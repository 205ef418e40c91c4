// IntelliVue discovery end to end: vigil-sim announces its simulated monitor (a Connect
// Indication every few seconds, --iv-announce) to vigild's --intellivue-discover port on
// loopback; `vigilctl devices` lists it with its address and the --intellivue line; junk
// datagrams on the port are counted and logged once, and break nothing. Every wait is on a
// condition with a deadline.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <thread>

#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

void send_junk_datagram(std::uint16_t port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to),
            static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

bool discovery_wait_stderr(ChildProcess& process, const std::string& text,
                           std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (process.stderr_text().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);  // polling a file for a condition, with a deadline
  }
  return true;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(DiscoveryE2E, SimulatedMonitorIsListedAndJunkIgnored) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"), {"--intellivue-discover", "127.0.0.1:0"});
  ASSERT_NE(vigild.discover.port, 0) << "no discover= on the listening line";
  const std::string connect = vigild.stream.str();

  // Nothing heard yet: an empty list, exit 0.
  auto empty = run_command({bin("vigilctl"), "devices", "--connect", connect, "--format", "jsonl"}, 20s);
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(empty.out, "");

  // Junk first: not a Connect Indication, one too long, a Data Export header.
  send_junk_datagram(vigild.discover.port, "hello");
  send_junk_datagram(vigild.discover.port, std::string(3000, 'x'));
  send_junk_datagram(vigild.discover.port, std::string("\xE1\x00\x00\x02\x00\x01\x00\x00", 8));
  ASSERT_TRUE(discovery_wait_stderr(vigild.process(), "intellivue discovery: ignored a datagram", 10s))
      << vigild.process().stderr_text();

  ChildProcess sim({bin("vigil-sim"), "--bed", "CHAIR3=hypertensive-responder,protocol=intellivue",
                    "--iv-announce", vigild.discover.str()});
  const auto line =
      sim.wait_for_line([](const std::string& l) { return l.rfind("intellivue ", 0) == 0; }, 20s);
  ASSERT_TRUE(line) << sim.stderr_text();
  const std::string where = line->substr(line->find('=') + 1);  // 127.0.0.1:PORT
  const std::string port = where.substr(where.rfind(':') + 1);

  // Logged once, with the line to use.
  ASSERT_TRUE(discovery_wait_stderr(vigild.process(), "--intellivue BED=" + where, 20s))
      << vigild.process().stderr_text();

  auto listed = run_command({bin("vigilctl"), "devices", "--connect", connect, "--format", "jsonl"}, 20s);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(occurrences(listed.out, "\n"), 1u) << listed.out;
  EXPECT_NE(listed.out.find("\"address\":\"127.0.0.1\""), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\"port\":" + port), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("vigil-sim"), std::string::npos) << listed.out;  // the model

  auto table = run_command({bin("vigilctl"), "devices", "--connect", connect}, 20s);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("--intellivue BED=" + where), std::string::npos) << table.out;

  // More junk after: still one monitor listed, and the junk line is not repeated within a minute.
  send_junk_datagram(vigild.discover.port, "more junk");
  auto again = run_command({bin("vigilctl"), "devices", "--connect", connect, "--format", "jsonl"}, 20s);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(occurrences(again.out, "\n"), 1u) << again.out;
  const std::string err = vigild.process().stderr_text();
  EXPECT_EQ(occurrences(err, "intellivue discovery: ignored a datagram"), 1u) << err;
  EXPECT_EQ(occurrences(err, "intellivue discovery: monitor "), 1u) << err;
  sim.signal(SIGTERM);
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(DiscoveryE2E, OffSaysHowToTurnItOn) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  EXPECT_EQ(vigild.discover.port, 0);
  auto r = run_command({bin("vigilctl"), "devices", "--connect", vigild.stream.str()}, 20s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--intellivue-discover"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vigil::test
