// MSH-15/MSH-16 (enhanced acknowledgment) end to end: the commit ACK (CA) and the
// application ACK (AA) go out as the sender asked, both after the commit; IHE PCD-01's NE/AL
// gets the one AA it always got; NE/NE gets nothing and the connection goes on.
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "e2e/e2e_util.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// `message` with MSH-15 and MSH-16 set (the MSH's "|"-separated parts: [0] "MSH", [n] MSH-(n+1)).
std::string with_ack_modes(const std::string& message, const std::string& accept,
                           const std::string& application) {
  const std::size_t end = message.find('\r');
  std::vector<std::string> parts;
  std::stringstream msh(message.substr(0, end));
  for (std::string part; std::getline(msh, part, '|');) parts.push_back(part);
  if (parts.size() < 16) parts.resize(16);
  parts[14] = accept;
  parts[15] = application;
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "|" : "") + parts[i];
  return out + message.substr(end);
}

std::string oru(const std::string& control_id, int hr) {
  OruValues v;
  v.control_id = control_id;
  v.hr = hr;
  return make_oru(v);
}

// "MSA-1|MSA-2" of the next reply on the wire ("CA|C1"), or "no reply" within 10 s.
std::string next_msa(MllpClient& monitor) {
  const auto ack = monitor.read_reply(10s);
  if (!ack) return "no reply";
  return hl7_field(*ack, "MSA", 1) + "|" + hl7_field(*ack, "MSA", 2);
}

TEST(Hl7AckModes, CommitAndApplicationAcksAsMsh15And16Ask) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);

  // AL/NE: the commit ACK alone.
  ASSERT_TRUE(monitor.send_message(with_ack_modes(oru("C1", 61), "AL", "NE")));
  EXPECT_EQ(next_msa(monitor), "CA|C1");

  // AL/AL: the commit ACK, then the application ACK.
  ASSERT_TRUE(monitor.send_message(with_ack_modes(oru("C2", 62), "AL", "AL")));
  EXPECT_EQ(next_msa(monitor), "CA|C2");
  EXPECT_EQ(next_msa(monitor), "AA|C2");

  // IHE PCD-01 (NE/AL): one AA, as always.
  ASSERT_TRUE(monitor.send_message(with_ack_modes(oru("C3", 63), "NE", "AL")));
  EXPECT_EQ(next_msa(monitor), "AA|C3");

  // NE/NE: nothing; the next message's answer is the next thing on the wire.
  ASSERT_TRUE(monitor.send_message(with_ack_modes(oru("C4", 64), "NE", "NE")));
  ASSERT_TRUE(monitor.send_message(oru("C5", 65)));
  EXPECT_EQ(next_msa(monitor), "AA|C5");

  // ER/ER on a message that cannot be taken: CE and AE; on a good one: nothing.
  ASSERT_TRUE(monitor.send_message(with_ack_modes(oru("C6", 66), "ER", "ER")));
  std::string bad =
      with_ack_modes("MSH|^~\\&|ADM||||20261121101500||ADT^A01|C7|P|2.6\rPID|||1\r", "ER", "ER");
  ASSERT_TRUE(monitor.send_message(bad));
  EXPECT_EQ(next_msa(monitor), "CR|C7");
  EXPECT_EQ(next_msa(monitor), "AR|C7");

  // Every good message was stored, acknowledged or not.
  EXPECT_EQ(vigild.stop(), 0);
  auto readings =
      run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 30s);
  ASSERT_EQ(readings.exit_code, 0) << readings.err;
  for (const char* hr : {",61,", ",62,", ",63,", ",64,", ",65,", ",66,"})
    EXPECT_NE(readings.out.find(hr), std::string::npos) << hr;
}

}  // namespace
}  // namespace vigil::test
