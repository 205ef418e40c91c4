// `vigilctl history` through a real vigild: what a late-connecting screen is sent about a
// chair. HL7 readings go in first; the history answer carries them (as text and JSON lines),
// a viewer login may ask (read-only, like a report), an unknown chair is refused with why.
#include <gtest/gtest.h>

#include <fstream>

#include "station_users.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

inline const std::string kViewerToken = "viewer-token-5b2e9d1f77";

RunResult history(const Vigild& vigild, const std::vector<std::string>& args, const std::string& token = {}) {
  std::vector<std::string> argv{"/usr/bin/env"};
  if (!token.empty()) argv.push_back("VIGIL_TOKEN=" + token);
  argv.push_back(bin("vigilctl"));
  argv.push_back("history");
  for (const auto& a : args) argv.push_back(a);
  argv.push_back("--connect");
  argv.push_back(vigild.stream.str());
  return run_command(argv, 30s);
}

TEST(HistoryE2e, StoredReadingsComeBackOverTheStream) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChairDriver chair(vigild, "CHAIR5");
  ASSERT_EQ(chair.nibp(0, 131, 84), "");
  ASSERT_EQ(chair.nibp(5, 142, 88), "");
  ASSERT_EQ(chair.vitals(75, 97), "");

  auto text = history(vigild, {"--bed", "CHAIR5"});
  ASSERT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("NIBP_SYS 131"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("NIBP_SYS 142"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("history CHAIR5 session (none)"), std::string::npos) << text.out;

  auto jsonl = history(vigild, {"--bed", "CHAIR5", "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_NE(jsonl.out.find("\"type\":\"reading\""), std::string::npos) << jsonl.out;
  EXPECT_NE(jsonl.out.find("\"type\":\"history\",\"bed\":\"CHAIR5\""), std::string::npos) << jsonl.out;
  EXPECT_NE(jsonl.out.find("\"truncated\":false"), std::string::npos) << jsonl.out;

  auto unknown = history(vigild, {"--bed", "CHAIR77"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.out;
  EXPECT_NE(unknown.err.find("no history for chair CHAIR77"), std::string::npos) << unknown.err;
  auto bad_format = history(vigild, {"--bed", "CHAIR5", "--format", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2) << bad_format.err;
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(HistoryE2e, AViewerMayAskASessionOfAnotherChairIsRefused) {
  TempDir dir;
  const std::string conf = dir.file("vigild.conf");
  std::ofstream(conf) << "stream_user { name: \"kim\" role: \"nurse\" token_sha256: \"" +
                             hash_secret(kKimToken) + "\" }\n"
                      << "stream_user { name: \"visitor\" role: \"viewer\" token_sha256: \"" +
                             hash_secret(kViewerToken) + "\" }\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", conf});
  ChairDriver chair(vigild, "CHAIR2");
  ASSERT_EQ(chair.nibp(0, 128, 80), "");

  auto viewer = history(vigild, {"--bed", "CHAIR2", "--user", "visitor"}, kViewerToken);
  ASSERT_EQ(viewer.exit_code, 0) << viewer.out << viewer.err;
  EXPECT_NE(viewer.out.find("NIBP_SYS 128"), std::string::npos) << viewer.out;
  auto foreign =
      history(vigild, {"--bed", "CHAIR2", "--session", "CHAIR9-1", "--user", "visitor"}, kViewerToken);
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("no session CHAIR9-1 for chair CHAIR2"), std::string::npos) << foreign.err;
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
