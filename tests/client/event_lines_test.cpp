#include "client/event_lines.hpp"

#include <gtest/gtest.h>

namespace vigil::client {
namespace {

proto::Reading nibp(const std::string& bed, double value) {
  proto::Reading r;
  r.set_bed(bed);
  r.set_kind(proto::NIBP_SYS);
  r.set_value(value);
  r.set_unit("mmHg");
  r.set_measured_at_ms(1'795'256'100'000);  // 2026-11-21T10:15:00Z
  r.set_source("EFFICIA-1");
  r.set_valid(true);
  return r;
}

TEST(EventLines, LiveReadingIsTheContractShape) {
  proto::ServerMessage m;
  *m.mutable_reading() = nibp("CHAIR3", 142);
  const auto lines = event_lines(m, {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind(R"({"type":"reading","bed":"CHAIR3","kind":"NIBP_SYS","value":142,)"
                           R"("unit":"mmHg","measured_at":"2026-11-21T10:15:00Z","source":"EFFICIA-1")",
                           0),
            0u)
      << lines[0];
  EXPECT_EQ(lines[0].find("snapshot"), std::string::npos);
}

TEST(EventLines, BedStatePrintsEachReadingMarkedSnapshotWithAge) {
  proto::ServerMessage m;
  auto* state = m.mutable_bed_state();
  state->set_bed("CHAIR1");
  *state->add_latest() = nibp("CHAIR1", 120);
  auto* second = state->add_latest();
  *second = nibp("", 80);  // bed left empty: taken from the BedState
  second->set_kind(proto::NIBP_DIA);
  second->set_age_ms(2500);
  const auto lines = event_lines(m, {});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(R"("snapshot":true)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(R"("bed":"CHAIR1","kind":"NIBP_DIA")"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(R"("age_s":2.5)"), std::string::npos) << lines[1];
}

TEST(EventLines, BedFilterAndSilentMessages) {
  proto::ServerMessage m;
  *m.mutable_reading() = nibp("CHAIR3", 142);
  EXPECT_TRUE(event_lines(m, EventFilter{std::string("CHAIR4")}).empty());
  EXPECT_EQ(event_lines(m, EventFilter{std::string("CHAIR3")}).size(), 1u);
  proto::ServerMessage beat;
  beat.mutable_heartbeat()->set_seq(1);
  EXPECT_TRUE(event_lines(beat, {}).empty());
  proto::ServerMessage begin;
  begin.mutable_snapshot_begin()->set_bed_count(2);
  EXPECT_TRUE(event_lines(begin, {}).empty());
  EXPECT_TRUE(event_lines(proto::ServerMessage{}, {}).empty());
}

TEST(EventLines, HelloAndLinkLines) {
  proto::ServerHello hello;
  hello.set_protocol_version(1);
  hello.set_accepted(true);
  hello.set_daemon_version("0.1.0");
  hello.set_server_time_ms(1'795'256'100'000);
  EXPECT_EQ(
      hello_line(hello),
      R"({"type":"hello","protocol_version":1,"daemon_version":"0.1.0","server_time":"2026-11-21T10:15:00Z"})");
  EXPECT_EQ(link_line(LinkState::Lost, "no \"data\""),
            R"({"type":"link","state":"lost","detail":"no \"data\""})");
}

}  // namespace
}  // namespace vigil::client
