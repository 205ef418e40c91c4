// The dashboard's path to a report: a NurseRequest with `report` over the stream, answered by
// vigild with the path of a file it wrote in its reports directory (0700, files 0600), and
// clear refusals for a bad format and a chair without a session.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include "net/asio.hpp"

#include <chrono>
#include <ctime>
#include <fstream>
#include <optional>
#include <thread>

#include "client/stream_client.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// Sends one request as `user` and waits (with a deadline) for its RequestResult.
std::optional<proto::RequestResult> ask(const Endpoint& at, proto::NurseRequest request,
                                        const std::string& user) {
  boost::asio::io_context io;
  client::StreamClient::Options o;
  o.host = at.host;
  o.port = at.port;
  o.user = user;
  o.client_name = "report-test";
  std::optional<proto::RequestResult> got;
  client::StreamClient* c = nullptr;
  bool sent = false;
  client::StreamClient::Handlers h;
  h.on_link = [&](client::LinkState s, net::LinkError, const std::string&) {
    if (s == client::LinkState::Connected && !sent) {
      sent = true;
      proto::ClientMessage m;
      *m.mutable_request() = request;
      c->send(m);
    } else if (s == client::LinkState::Lost) {
      io.stop();
    }
  };
  h.on_message = [&](const proto::ServerMessage& m) {
    if (m.body_case() != proto::ServerMessage::kResult || m.result().request_id() != request.request_id())
      return;
    got = m.result();
    io.stop();
  };
  client::StreamClient client(io, o, h);
  c = &client;
  client.start();
  io.run_for(60s);
  client.stop();
  io.stop();
  return got;
}

proto::NurseRequest report_request(std::uint64_t id, const std::string& bed, const std::string& format) {
  proto::NurseRequest r;
  r.set_request_id(id);
  r.set_bed(bed);
  r.mutable_report()->set_format(format);
  return r;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

TEST(ReportRequest, DaemonWritesTheReportOffTheIoThreadAndAnswersWithItsPath) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChairDriver chair(vigild, "CHAIR1");
  auto begin = chair.nurse({"session", "begin", "--patient", "PT-0077", "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.err;
  // HR and SpO2 carry no OBX-14: they get the message's time, in whole seconds. Wait for the
  // clock to pass the second the session began in, so they fall inside the session.
  const std::time_t begun = std::time(nullptr);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::time(nullptr) <= begun && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  for (double hr : {70.0, 74.0, 78.0}) ASSERT_EQ(chair.vitals(hr, 98), "");

  auto result = ask(vigild.stream, report_request(7, "CHAIR1", "pdf"), "viewer1");
  ASSERT_TRUE(result) << vigild.process().stderr_text();
  ASSERT_TRUE(result->ok()) << result->reason();
  const std::string path = result->report_path();
  EXPECT_EQ(path.rfind(dir.path(), 0), 0u) << path;  // under the database's directory
  EXPECT_NE(path.find("/reports/CHAIR1-"), std::string::npos) << path;
  EXPECT_EQ(path.substr(path.size() - 4), ".pdf");
  EXPECT_EQ(mode_of(path), 0600u) << path;
  EXPECT_EQ(mode_of(dir.file("reports")), 0700u);
  std::ifstream file(path, std::ios::binary);
  std::string magic(5, '\0');
  file.read(magic.data(), 5);
  EXPECT_EQ(magic, "%PDF-");
  EXPECT_EQ(vigild.process().stderr_text().find("PT-0077"), std::string::npos) << "patient label in the log";

  auto csv = ask(vigild.stream, report_request(8, "CHAIR1", "csv"), "viewer1");
  ASSERT_TRUE(csv && csv->ok()) << (csv ? csv->reason() : "no answer");
  EXPECT_EQ(mode_of(csv->report_path()), 0600u);

  auto bad = ask(vigild.stream, report_request(9, "CHAIR1", "docx"), "viewer1");
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->ok());
  EXPECT_NE(bad->reason().find("unknown report format"), std::string::npos) << bad->reason();
  EXPECT_TRUE(bad->report_path().empty());

  auto none = ask(vigild.stream, report_request(10, "CHAIR9", "pdf"), "viewer1");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->ok());
  EXPECT_NE(none->reason().find("no session for bed CHAIR9"), std::string::npos) << none->reason();
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
