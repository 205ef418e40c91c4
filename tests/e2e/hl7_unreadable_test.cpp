// End to end: what a monitor sends that Vigil cannot read. A real vigild answers AE with one
// ERR per unreadable observation when nothing could be used, AA with ERR severity W when
// some could; `vigilctl watch` shows the T8 "sends data Vigil cannot read" alert on the
// chair; `vigilctl unmapped` lists the codes; a site code_map makes the same code readable.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "e2e/e2e_util.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// A monitor on CHAIR12 with a local code Vigil does not know (9001^SYS^LOCAL), a number in it.
std::string unreadable_message(const std::string& control_id) {
  return "MSH|^~\\&|MONITOR-7||VIGIL||20260101120000||ORU^R01^ORU_R01|" + control_id +
         "|P|2.6\rPV1||I|CHAIR12\rOBR|1||||||20260101120000\r"
         "OBX|1|NM|9001^SYS^LOCAL||118|mmHg|||||F\r"
         "OBX|2|NM|9002^DIA^LOCAL||76|mmHg|||||F\r";
}

// The same monitor with a readable heart rate beside a value that is not a number.
std::string mixed_message(const std::string& control_id) {
  return "MSH|^~\\&|MONITOR-7||VIGIL||20260101120000||ORU^R01^ORU_R01|" + control_id +
         "|P|2.6\rPV1||I|CHAIR12\rOBR|1||||||20260101120000\r"
         "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|{beat}/min^{beat}/min^UCUM|||||F\r"
         "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||9O|%|||||F\r";
}

std::vector<std::string> segments_named(const std::string& message, const std::string& name) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find('\r', start);
    if (end == std::string::npos) end = message.size();
    std::string seg = message.substr(start, end - start);
    if (seg.rfind(name + "|", 0) == 0) out.push_back(seg);
    start = end + 1;
  }
  return out;
}

TEST(Hl7Unreadable, AllUnreadableIsAnsweredAeWithErrAndRaisesT8ThatWatchShows) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line([](auto& l) { return is_line_of_type(l, "hello"); }, 10s))
      << watch.stderr_text();

  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  ASSERT_TRUE(monitor.send_message(unreadable_message("U1")));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AE") << *ack;
  EXPECT_EQ(hl7_field(*ack, "MSA", 2), "U1");
  const auto errs = segments_named(*ack, "ERR");
  ASSERT_EQ(errs.size(), 2u) << *ack;
  EXPECT_EQ(errs[0].rfind("ERR||OBX^1^3|103^Table value not found^HL70357|E|||", 0), 0u) << errs[0];
  EXPECT_EQ(errs[1].rfind("ERR||OBX^2^3|103^Table value not found^HL70357|E|||", 0), 0u) << errs[1];

  auto alert = watch.wait_for_line(
      [](auto& l) {
        return is_line_of_type(l, "alert") && l.find("sends data Vigil cannot read") != std::string::npos;
      },
      10s);
  ASSERT_TRUE(alert) << watch.stderr_text();
  EXPECT_NE(alert->find("\"bed\":\"CHAIR12\""), std::string::npos) << *alert;
  EXPECT_NE(alert->find("\"rule\":\"T8\""), std::string::npos) << *alert;
  EXPECT_NE(alert->find("\"subject\":\"unreadable:MONITOR-7\""), std::string::npos) << *alert;
  EXPECT_NE(alert->find("monitor on CHAIR12 sends data Vigil cannot read: OBX-3 9001^SYS^LOCAL"),
            std::string::npos)
      << *alert;

  auto listed = run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db")}, 20s);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("MONITOR-7  CHAIR12  9001^SYS^LOCAL  count 1  sample \"118\" \"mmHg\""),
            std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("is not a code Vigil knows"), std::string::npos) << listed.out;
  auto jsonl =
      run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db"), "--format", "jsonl"}, 20s);
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_NE(jsonl.out.find("\"code\":\"9002^DIA^LOCAL\",\"count\":1,\"sample_value\":\"76\""),
            std::string::npos)
      << jsonl.out;
}

TEST(Hl7Unreadable, MixedMessageStoresTheReadableAndSaysWhichWereNot) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  ASSERT_TRUE(monitor.send_message(mixed_message("M1")));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
  const auto errs = segments_named(*ack, "ERR");
  ASSERT_EQ(errs.size(), 1u) << *ack;
  EXPECT_EQ(errs[0].rfind("ERR||OBX^2^5|102^Data type error^HL70357|W|||OBX-5 '9O' is not a number", 0), 0u)
      << errs[0];

  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("HR,72"), std::string::npos) << csv.out;
  EXPECT_EQ(csv.out.find("SPO2"), std::string::npos) << csv.out;
  auto listed = run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db")}, 20s);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("150456^MDC_PULS_OXIM_SAT_O2^MDC  count 1  sample \"9O\""), std::string::npos)
      << listed.out;
}

// The one line of `text` that holds `needle`, or "" (none, or more than one).
std::string line_with(const std::string& text, const std::string& needle) {
  std::string found;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find(needle) != std::string::npos) {
      if (!found.empty()) return "";
      found = line;
    }
    start = end + 1;
  }
  return found;
}

// A gateway feeding two chairs (one MSH-3, a PV1-3 per chair) with the same local code: a
// number under it on CHAIR12, text on CHAIR14. Each chair is its own row with its own reason.
TEST(Hl7Unreadable, UnmappedListsEachChairOfAGatewayApart) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient gateway(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(gateway.connected());
  ASSERT_TRUE(gateway.send_message(unreadable_message("G1")));
  ASSERT_TRUE(gateway.read_reply(10s)) << vigild.process().stderr_text();
  ASSERT_TRUE(gateway.send_message(
      "MSH|^~\\&|MONITOR-7||VIGIL||20260101120100||ORU^R01^ORU_R01|G2|P|2.6\rPV1||I|CHAIR14\r"
      "OBR|1||||||20260101120100\rOBX|1|ST|9001^SYS^LOCAL||CUFF ERR||||||F\r"));
  ASSERT_TRUE(gateway.read_reply(10s)) << vigild.process().stderr_text();

  auto listed = run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db")}, 20s);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string chair12 =
      line_with(listed.out, "MONITOR-7  CHAIR12  9001^SYS^LOCAL  count 1  sample \"118\"");
  EXPECT_NE(chair12.find("is not a code Vigil knows"), std::string::npos) << listed.out;
  const std::string chair14 =
      line_with(listed.out, "MONITOR-7  CHAIR14  9001^SYS^LOCAL  count 1  sample \"CUFF ERR\"");
  EXPECT_NE(chair14.find("text under an unknown code, not tracked"), std::string::npos) << listed.out;

  auto jsonl =
      run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db"), "--format", "jsonl"}, 20s);
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_NE(line_with(jsonl.out, "\"bed\":\"CHAIR12\",\"code\":\"9001^SYS^LOCAL\",\"count\":1,")
                .find("is not a code Vigil knows"),
            std::string::npos)
      << jsonl.out;
  EXPECT_NE(line_with(jsonl.out, "\"bed\":\"CHAIR14\",\"code\":\"9001^SYS^LOCAL\",\"count\":1,")
                .find("\"reason\":\"text under an unknown code, not tracked\""),
            std::string::npos)
      << jsonl.out;
}

TEST(Hl7Unreadable, SiteCodeMapMakesTheLocalCodeReadable) {
  TempDir dir;
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config)
      << "code_map { source: \"MONITOR-7\" code: \"9001\" label: \"SYS\" kind: NIBP_SYS unit: \"mmHg\" }\n"
         "code_map { source: \"MONITOR-7\" code: \"9002\" kind: NIBP_DIA unit: \"mmHg\" }\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", config});
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  ASSERT_TRUE(monitor.send_message(unreadable_message("S1")));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
  EXPECT_TRUE(segments_named(*ack, "ERR").empty()) << *ack;
  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("NIBP_SYS,118"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("NIBP_DIA,76"), std::string::npos) << csv.out;
}

// An EHR flowsheet on CHAIR12: a LOINC heart rate and the EHR's own pain score (a number
// under a code no table can know).
std::string flowsheet_message(const std::string& control_id) {
  return "MSH|^~\\&|EHR||VIGIL||20260101120000||ORU^R01^ORU_R01|" + control_id +
         "|P|2.5\rPV1||I|CHAIR12\rOBR|1||||||20260101120000\r"
         "OBX|1|NM|8867-4^Heart rate^LN||78|/min|||||F\r"
         "OBX|2|NM|PAIN^Pain score^LOCAL||4||||||F\r";
}

TEST(Hl7Unreadable, IgnoredCodeIsPlainAaWithoutT8AndStillListed) {
  TempDir dir;
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config) << "code_map { source: \"EHR\" code: \"PAIN\" ignore: true }\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", config});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line([](auto& l) { return is_line_of_type(l, "hello"); }, 10s))
      << watch.stderr_text();

  MllpClient ehr(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(ehr.connected());
  ASSERT_TRUE(ehr.send_message(flowsheet_message("P1")));
  auto ack = ehr.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
  EXPECT_TRUE(segments_named(*ack, "ERR").empty()) << *ack;

  // Proof of absence without waiting on a clock: a monitor on another chair then sends a
  // code nobody knows. Its T8 comes after anything the flowsheet raised, so every line up to
  // it is every alert the flowsheet could have caused.
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  std::string other = unreadable_message("U9");
  other.replace(other.find("CHAIR12"), 7, "CHAIR13");
  ASSERT_TRUE(monitor.send_message(other));
  ASSERT_TRUE(monitor.read_reply(10s));
  std::vector<std::string> seen;
  auto sentinel = watch.wait_for_line(
      [&seen](const std::string& l) {
        seen.push_back(l);
        return is_line_of_type(l, "alert") &&
               l.find("\"subject\":\"unreadable:MONITOR-7\"") != std::string::npos;
      },
      10s);
  ASSERT_TRUE(sentinel) << watch.stderr_text();
  for (const std::string& l : seen) {
    EXPECT_EQ(l.find("unreadable:EHR"), std::string::npos) << l;
  }

  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("HR,78"), std::string::npos) << csv.out;
  auto listed = run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db")}, 20s);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("EHR  CHAIR12  PAIN^Pain score^LOCAL  count 1  sample \"4\""), std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("ignored: the site's code_map says it is not a vital sign"), std::string::npos)
      << listed.out;
}

TEST(Hl7Unreadable, BadIgnoreEntryStopsStartWithOneLine) {
  TempDir dir;
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config) << "code_map { source: \"EHR\" code: \"PAIN\" ignore: true kind: HR }\n";
  auto run = run_command({bin("vigild"), "--config", config, "--db", dir.file("vigil.db")}, 20s);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("code_map[0]: ignore: true takes no kind (an ignored code is not a vital sign)"),
            std::string::npos)
      << run.err;
}

TEST(Hl7Unreadable, BadCodeMapEntryStopsStartWithOneLine) {
  TempDir dir;
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config) << "code_map { code: \"9001\" kind: NIBP_SYS unit: \"%\" }\n";
  auto run = run_command({bin("vigild"), "--config", config, "--db", dir.file("vigil.db")}, 20s);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("code_map[0]: unit '%' does not fit kind NIBP_SYS"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace vigil::test
