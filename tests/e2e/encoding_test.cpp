// End to end: an ORU^R01 in ISO 8859-1 (no MSH-18, as clinic feeds send it) through a real
// vigild. Before the HL7 codec transcoded, the Latin-1 bed name went into a protobuf string
// and every stream client was cut off ("protocol error: unparsable message"), again after
// each restart because the snapshot replayed it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "e2e/e2e_util.hpp"
#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"
#include "text/utf8.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

const std::string kBedUtf8 = "FAUTEUIL-\xC3\xA9";

bool is_reading_of(const std::string& line, const std::string& bed) {
  return line.find("\"type\":\"reading\"") != std::string::npos &&
         line.find("\"bed\":\"" + bed + "\"") != std::string::npos;
}

// The sample with MSH-7/OBR-7/OBX-14 replaced by a time relative to now (the clock under
// test): a fixed date would age out of "current".
std::string latin1_message() {
  std::string text = read_file(std::string(VIGIL_TEST_DATA_DIR) + "/hl7/latin1-pv1-msh3.hl7");
  const std::string fixed = "20240102030405";
  const std::string now = hl7_time_ago(5);
  for (std::size_t at; (at = text.find(fixed)) != std::string::npos;) text.replace(at, fixed.size(), now);
  return text;
}

TEST(Encoding, Latin1BedIsShownAsUtf8AndEveryClientKeepsItsLink) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  {
    Vigild vigild(db);
    ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
    ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();

    MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
    ASSERT_TRUE(monitor.send_message(latin1_message()));
    auto ack = monitor.read_reply(10s);
    ASSERT_TRUE(ack) << vigild.process().stderr_text();
    EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
    EXPECT_EQ(hl7_field(*ack, "MSA", 2), "LATIN1-1");

    auto line = watch.wait_for_line(
        [](auto& l) {
          return is_reading_of(l, kBedUtf8) || l.find("\"type\":\"link\"") != std::string::npos;
        },
        10s);
    ASSERT_TRUE(line) << watch.stderr_text();
    ASSERT_TRUE(is_reading_of(*line, kBedUtf8)) << *line;
    auto reading = parse_reading_line(*line);
    ASSERT_TRUE(reading) << *line;
    EXPECT_EQ(reading->bed(), kBedUtf8);

    // The link is still up: a later message on another chair arrives too.
    OruValues v;
    v.bed = "CHAIR2";
    v.control_id = "ASCII-1";
    ASSERT_TRUE(monitor.send_message(make_oru(v)));
    ASSERT_TRUE(monitor.read_reply(10s));
    ASSERT_TRUE(watch.wait_for_line([](auto& l) { return is_reading_of(l, "CHAIR2"); }, 10s))
        << watch.stderr_text();
    EXPECT_EQ(vigild.stop(), 0);
  }

  // A restart on the same database: the snapshot replays the name, and it decodes.
  Vigild again(db);
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", again.stream.str(), "--bed", kBedUtf8});
  auto line = watch.wait_for_line(
      [](auto& l) { return is_reading_of(l, kBedUtf8) || l.find("\"type\":\"link\"") != std::string::npos; },
      10s);
  ASSERT_TRUE(line) << watch.stderr_text();
  ASSERT_TRUE(is_reading_of(*line, kBedUtf8)) << *line;
  EXPECT_NE(line->find("\"snapshot\":true"), std::string::npos) << *line;

  auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", again.stream.str()}, 20s);
  EXPECT_EQ(board.exit_code, 0) << board.err;
  // The whole name, then a space: the chair column fits the longest name. It used to be cut
  // to 9 characters and run into the phase ("FAUTEUIL-monitoring"), so FAUTEUIL-é and
  // FAUTEUIL-è showed as the same chair.
  EXPECT_NE(board.out.find("\n" + kBedUtf8 + " "), std::string::npos) << board.out;
  EXPECT_TRUE(is_valid_utf8(board.out)) << board.out;

  auto csv = run_command({bin("vigilctl"), "readings", "--db", db, "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find(kBedUtf8 + ",SPO2,97"), std::string::npos) << csv.out;
  EXPECT_EQ(again.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
