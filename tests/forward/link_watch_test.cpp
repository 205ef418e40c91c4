// LinkWatch (when a broken hospital link becomes an alarm) and the ACK reader.
#include <gtest/gtest.h>

#include "forward/ack_reader.hpp"
#include "forward/link_watch.hpp"

namespace vigil::forward {
namespace {

using namespace std::chrono_literals;
using Clock = LinkWatch::Clock;

TEST(LinkWatch, AlarmsOnlyAfterTheConfiguredTimeAndResolvesOnDelivery) {
  LinkWatch w(60s, 300s);
  const Clock::time_point t0{};
  EXPECT_FALSE(w.view(t0).down);
  w.failed(t0, "cannot connect: Connection refused");
  w.failed(t0 + 30s, "cannot connect: Connection refused");  // the clock keeps its start
  EXPECT_FALSE(w.view(t0 + 59s).down);
  const auto v = w.view(t0 + 60s);
  EXPECT_TRUE(v.down);
  EXPECT_EQ(v.down_detail, "nothing delivered for over 60 s: cannot connect: Connection refused");
  EXPECT_EQ(w.view(t0 + 61s), v);  // no change while the cause stays the same
  w.delivered();
  EXPECT_FALSE(w.view(t0 + 62s).down);
  w.failed(t0 + 70s, "no ACK within 10 s");
  EXPECT_FALSE(w.view(t0 + 129s).down);  // a new failure starts a new clock
  EXPECT_TRUE(w.view(t0 + 130s).down);
}

TEST(LinkWatch, WarningHoldsThenClears) {
  LinkWatch w(60s, 300s);
  const Clock::time_point t0{};
  w.warn(t0, "message d-4 refused: AE: bad PID");
  EXPECT_TRUE(w.view(t0 + 299s).warning);
  EXPECT_EQ(w.view(t0).warning_detail, "message d-4 refused: AE: bad PID");
  w.warn(t0 + 200s, "dropped 7 readings");
  EXPECT_TRUE(w.view(t0 + 499s).warning);
  EXPECT_FALSE(w.view(t0 + 500s).warning);
  EXPECT_FALSE(w.view(t0 + 500s).down);
}

TEST(AckReader, ReadsCodesControlIdAndReason) {
  auto aa = read_ack("MSH|^~\\&|E|H|VIGIL||20261122||ACK^R01^ACK|1|P|2.6\rMSA|AA|d-7\r");
  ASSERT_TRUE(aa);
  EXPECT_EQ(aa->verdict, AckVerdict::Accepted);
  EXPECT_EQ(aa->control_id, "d-7");
  auto ae =
      read_ack("MSH|^~\\&|E|H|VIGIL||20261122||ACK|1|P|2.6\rMSA|AE|d-8\rERR|||101|E|||PID\\F\\3 missing\r");
  ASSERT_TRUE(ae);
  EXPECT_EQ(ae->verdict, AckVerdict::Error);
  EXPECT_EQ(ae->text, "PID|3 missing");
  auto cr = read_ack("MSH|^~\\&|E|H|VIGIL||20261122||ACK|1|P|2.6\rMSA|CR|d-9|busy\r");
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->verdict, AckVerdict::Reject);
  EXPECT_EQ(cr->text, "busy");
  auto ca = read_ack("MSH|^~\\&|E|H|VIGIL||20261122||ACK|1|P|2.6\rMSA|CA|d-10\r");
  ASSERT_TRUE(ca);
  EXPECT_EQ(ca->verdict, AckVerdict::Accepted);
  EXPECT_FALSE(read_ack("MSH|^~\\&|E|H|VIGIL||20261122||ACK|1|P|2.6\rMSA|XX|d-1\r"));
  EXPECT_FALSE(read_ack("MSH|^~\\&|E|H|VIGIL||20261122||ACK|1|P|2.6\r"));
  EXPECT_FALSE(read_ack("not hl7"));
}

}  // namespace
}  // namespace vigil::forward
