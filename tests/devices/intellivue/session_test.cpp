// The client association state machine, driven by the monitor-side encoders and a fake
// clock (plain time points): association, MDS create answer, periodic polls and keep-alives,
// and every way back to reconnect-with-backoff.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "intellivue/monitor_side.hpp"
#include "intellivue/session.hpp"

namespace vigil::intellivue {
namespace {

using namespace std::chrono_literals;

ClientRequestKind kind_of(const std::string& bytes) {
  const auto r = decode_client_request(bytes);
  return r ? r->kind : ClientRequestKind::Other;
}

struct SessionFixture : ::testing::Test {
  Session session;
  SessionOutput out;
  SessionTime now{};  // the fake clock: only differences matter

  void advance(std::chrono::milliseconds d) {
    now += d;
    session.on_tick(now, out);
  }

  void associate() {
    session.start(now, out);
    ASSERT_EQ(out.send.size(), 1u);
    ASSERT_EQ(kind_of(out.send[0]), ClientRequestKind::Associate);
    session.on_message(encode_association_accept(), now, out);
    ASSERT_EQ(session.state(), SessionState::WaitingMdsCreate);
    session.on_message(encode_mds_create_event(7, make_absolute_time(2024, 3, 1, 10, 0, 0), 800000), now,
                       out);
    ASSERT_EQ(session.state(), SessionState::Associated);
  }

  std::string numerics_result(std::uint16_t invoke_id) {
    NumericValue hr;
    hr.physio_id = 0x4182;
    hr.unit_code = 0x0AA0;
    hr.value = decode_float(encode_float(72, 0));
    return encode_numerics_poll_result(invoke_id, 1, true, 800000, AbsoluteTime{}, {{1, {hr}, std::nullopt}});
  }
};

TEST_F(SessionFixture, AssociatesAnswersMdsCreateAndPolls) {
  session.start(now, out);
  EXPECT_EQ(session.state(), SessionState::Associating);
  EXPECT_TRUE(out.state_changed);
  session.on_message(encode_association_accept(), now, out);
  EXPECT_TRUE(out.send.empty());
  session.on_message(encode_mds_create_event(7, make_absolute_time(2024, 3, 1, 10, 0, 0), 800000), now, out);
  ASSERT_EQ(out.send.size(), 2u);
  const auto answer = decode_client_request(out.send[0]);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->kind, ClientRequestKind::MdsCreateResult);
  EXPECT_EQ(answer->invoke_id, 7);
  const auto poll = decode_client_request(out.send[1]);
  ASSERT_TRUE(poll);
  EXPECT_EQ(poll->kind, ClientRequestKind::Poll);
  EXPECT_TRUE(poll->extended);
  EXPECT_EQ(poll->object_class, kMocVmoMetricNu);
  ASSERT_TRUE(out.mds_create);
  EXPECT_EQ(out.mds_create->relative_time, 800000u);

  session.on_message(numerics_result(poll->invoke_id), now, out);
  ASSERT_EQ(out.results.size(), 1u);
  ASSERT_EQ(out.results[0].observations.size(), 1u);
  EXPECT_EQ(session.counters().results, 1u);

  // One poll per second; a keep-alive (alert monitor poll) every 5 s.
  int polls = 0, keep_alives = 0;
  for (int i = 0; i < 10; ++i) {
    advance(1s);
    const std::vector<std::string> sent = out.send;  // on_message() clears `out`
    for (const auto& m : sent) {
      const auto r = decode_client_request(m);
      ASSERT_TRUE(r && r->kind == ClientRequestKind::Poll);
      if (r->object_class == kMocVmoMetricNu) {
        ++polls;
        session.on_message(numerics_result(r->invoke_id), now, out);
      } else {
        EXPECT_EQ(r->object_class, kMocVmoAlMon);
        ++keep_alives;
        session.on_message(
            encode_empty_poll_result(r->invoke_id, r->poll_number, false, kMocVmoAlMon, kAttrGroupVmoStatic),
            now, out);
        EXPECT_TRUE(out.results.empty());  // liveness only, never numerics
      }
    }
  }
  EXPECT_EQ(polls, 10);
  EXPECT_EQ(keep_alives, 2);
  EXPECT_EQ(session.state(), SessionState::Associated);
  EXPECT_EQ(session.end_reason(), SessionEndReason::None);
}

TEST_F(SessionFixture, RefusalNamesTheLikelyCausesAndBacksOffLonger) {
  session.start(now, out);
  session.on_message(encode_refuse(), now, out);
  EXPECT_EQ(session.state(), SessionState::Backoff);
  EXPECT_EQ(session.end_reason(), SessionEndReason::Refused);
  EXPECT_NE(session.end_detail().find("Data Export may be disabled"), std::string::npos);
  EXPECT_NE(session.end_detail().find("another client"), std::string::npos);
  ASSERT_TRUE(session.next_deadline());
  EXPECT_EQ(*session.next_deadline() - now, 1s);
  advance(999ms);
  EXPECT_TRUE(out.send.empty());
  advance(1ms);
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(kind_of(out.send[0]), ClientRequestKind::Associate);
  session.on_message(encode_refuse(), now, out);
  EXPECT_EQ(*session.next_deadline() - now, 2s);  // doubles
  for (int i = 0; i < 10; ++i) {
    now = *session.next_deadline();
    session.on_tick(now, out);
    session.on_message(encode_refuse(), now, out);
  }
  EXPECT_EQ(*session.next_deadline() - now, 30s);  // capped
  EXPECT_EQ(session.counters().refused, 12u);
}

TEST_F(SessionFixture, NoAnswerTimesOutWithAHint) {
  session.start(now, out);
  advance(4999ms);
  EXPECT_EQ(session.state(), SessionState::Associating);
  advance(1ms);
  EXPECT_EQ(session.state(), SessionState::Backoff);
  EXPECT_EQ(session.end_reason(), SessionEndReason::NoAssociationAnswer);
  EXPECT_NE(session.end_detail().find("24105"), std::string::npos);
  EXPECT_TRUE(out.send.empty());  // nothing to abort
}

TEST_F(SessionFixture, AcceptWithoutMdsCreateIsAbortedAfterTimeout) {
  session.start(now, out);
  session.on_message(encode_association_accept(), now, out);
  advance(5s);
  EXPECT_EQ(session.end_reason(), SessionEndReason::NoMdsCreate);
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(kind_of(out.send[0]), ClientRequestKind::Abort);
}

TEST_F(SessionFixture, SilentMonitorIsAbortedAndReassociated) {
  associate();
  session.on_message(numerics_result(1), now, out);
  for (int i = 0; i < 7; ++i) advance(1s);
  EXPECT_EQ(session.state(), SessionState::Associated);
  advance(1s);  // 8 s without a poll result
  EXPECT_EQ(session.state(), SessionState::Backoff);
  EXPECT_EQ(session.end_reason(), SessionEndReason::PollTimeout);
  ASSERT_FALSE(out.send.empty());
  EXPECT_EQ(kind_of(out.send.back()), ClientRequestKind::Abort);
  // Data had flowed: the backoff starts over at its initial value.
  EXPECT_EQ(*session.next_deadline() - now, 1s);
  advance(1s);
  EXPECT_EQ(session.state(), SessionState::Associating);
}

TEST_F(SessionFixture, MonitorRebootAbortsThenRefusesThenAccepts) {
  associate();
  session.on_message(numerics_result(1), now, out);
  session.on_message(encode_abort(), now, out);
  EXPECT_EQ(session.end_reason(), SessionEndReason::Aborted);
  EXPECT_EQ(session.counters().aborted, 1u);
  advance(1s);
  session.on_message(encode_refuse(), now, out);
  EXPECT_EQ(session.end_reason(), SessionEndReason::Refused);
  advance(session.current_backoff());
  ASSERT_EQ(session.state(), SessionState::Associating);
  session.on_message(encode_association_accept(), now, out);
  session.on_message(encode_mds_create_event(9, AbsoluteTime{}, 10), now, out);
  ASSERT_EQ(session.state(), SessionState::Associated);
  EXPECT_EQ(session.end_reason(), SessionEndReason::Refused);  // until data flows again
  session.on_message(numerics_result(1), now, out);
  EXPECT_EQ(session.end_reason(), SessionEndReason::None);
  EXPECT_TRUE(out.state_changed);
  EXPECT_EQ(session.counters().associations, 2u);
}

TEST_F(SessionFixture, RepeatedMdsCreateIsAnsweredEveryTime) {
  associate();
  session.on_message(encode_mds_create_event(8, AbsoluteTime{}, 10), now, out);
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(decode_client_request(out.send[0])->invoke_id, 8);
  EXPECT_FALSE(out.mds_create);  // the anchor is taken once per association
}

TEST_F(SessionFixture, GarbageAndLateMessagesChangeNothing) {
  session.start(now, out);
  session.on_message("\x42\x00 garbage", now, out);
  session.on_message(numerics_result(1), now, out);  // no association yet
  EXPECT_EQ(session.state(), SessionState::Associating);
  EXPECT_TRUE(out.results.empty());
  EXPECT_EQ(session.counters().decode_errors, 1u);
}

TEST_F(SessionFixture, TransportLossAndStop) {
  associate();
  session.on_transport_lost(now, out);
  EXPECT_EQ(session.state(), SessionState::Idle);
  EXPECT_EQ(session.end_reason(), SessionEndReason::TransportLost);
  EXPECT_FALSE(session.next_deadline());
  associate();
  session.stop(out);
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(kind_of(out.send[0]), ClientRequestKind::Release);
}

TEST(MonitorSide, AcceptAndRefuseDecodeAsTheMonitorsAnswers) {
  const MessageResult accept = decode_message(encode_association_accept());
  ASSERT_TRUE(accept.ok()) << to_string(accept.error);
  EXPECT_EQ(std::get<AssociationAccept>(accept.message).info.system_type, kSystemTypeServer);
  EXPECT_TRUE(std::holds_alternative<AssociationRefuse>(decode_message(encode_refuse()).message));
  EXPECT_TRUE(std::holds_alternative<ReleaseResult>(decode_message(encode_release_result()).message));
  EXPECT_FALSE(decode_client_request(""));
  EXPECT_FALSE(decode_client_request("\xE1\x00\x00\x02\x00\x01\x00\x50"));  // length past the end
}

}  // namespace
}  // namespace vigil::intellivue
