// SourceLimits: allow-list matching (v4, v6, v4-mapped), connections per source, the token
// bucket and warning throttling, all on a fake clock.
#include <gtest/gtest.h>

#include <memory>

#include "daemon/config_error.hpp"
#include "daemon/settings.hpp"
#include "daemon/source_limits.hpp"

namespace vigil::daemon {
namespace {

using namespace std::chrono_literals;
namespace ip = boost::asio::ip;

ip::address addr(const char* text) { return ip::make_address(text); }

struct FakeClock {
  std::chrono::steady_clock::time_point t{std::chrono::hours(1000)};
  SourceLimits::Clock fn() {
    return [this] { return t; };
  }
};

TEST(AddressPrefix, ParsesV4AndV6AndSingleAddresses) {
  EXPECT_EQ(to_string(parse_address_prefix("10.1.2.0/24")), "10.1.2.0/24");
  EXPECT_EQ(to_string(parse_address_prefix("10.1.2.7")), "10.1.2.7/32");
  EXPECT_EQ(to_string(parse_address_prefix("fd00:12::/64")), "fd00:12::/64");
  EXPECT_EQ(to_string(parse_address_prefix("::1")), "::1/128");
  EXPECT_EQ(to_string(parse_address_prefix("0.0.0.0/0")), "0.0.0.0/0");
  // A v4-mapped entry means the v4 address.
  EXPECT_EQ(to_string(parse_address_prefix("::ffff:10.0.0.1")), "10.0.0.1/32");
}

TEST(AddressPrefix, RejectsNonsenseLengthsAndHostBits) {
  for (const char* bad : {"", "monitor-7", "10.1.2.0/", "10.1.2.0/33", "10.1.2.0/-1", "10.1.2.0/2a",
                          "fd00::/129", "10.1.2.7/24", "fd00::1/64", "10.1.2.0/0024"}) {
    EXPECT_THROW(parse_address_prefix(bad), std::invalid_argument) << bad;
  }
}

TEST(AddressPrefix, V4Matching) {
  auto p = parse_address_prefix("10.1.2.0/24");
  EXPECT_TRUE(p.contains(addr("10.1.2.0")));
  EXPECT_TRUE(p.contains(addr("10.1.2.255")));
  EXPECT_FALSE(p.contains(addr("10.1.3.0")));
  EXPECT_FALSE(p.contains(addr("10.1.1.255")));
  EXPECT_TRUE(p.contains(addr("::ffff:10.1.2.9")));  // a dual-stack listener's view of it
  EXPECT_FALSE(p.contains(addr("fd00::1")));
  auto odd = parse_address_prefix("192.168.4.0/22");  // a length that splits an octet
  EXPECT_TRUE(odd.contains(addr("192.168.7.200")));
  EXPECT_FALSE(odd.contains(addr("192.168.8.1")));
  EXPECT_FALSE(odd.contains(addr("192.168.3.255")));
  EXPECT_TRUE(parse_address_prefix("0.0.0.0/0").contains(addr("203.0.113.5")));
  EXPECT_FALSE(parse_address_prefix("0.0.0.0/0").contains(addr("2001:db8::5")));
}

TEST(AddressPrefix, V6Matching) {
  auto p = parse_address_prefix("fd00:12:34::/48");
  EXPECT_TRUE(p.contains(addr("fd00:12:34::1")));
  EXPECT_TRUE(p.contains(addr("fd00:12:34:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_FALSE(p.contains(addr("fd00:12:35::1")));
  EXPECT_FALSE(p.contains(addr("10.0.0.1")));
  auto odd = parse_address_prefix("2001:db8:8000::/33");
  EXPECT_TRUE(odd.contains(addr("2001:db8:ffff::1")));
  EXPECT_FALSE(odd.contains(addr("2001:db8:7fff::1")));
  EXPECT_TRUE(parse_address_prefix("::1").contains(addr("::1")));
  EXPECT_FALSE(parse_address_prefix("::1").contains(addr("::2")));
}

TEST(SourceAddress, LoopbackAndMapped) {
  EXPECT_TRUE(is_loopback(addr("127.0.0.1")));
  EXPECT_TRUE(is_loopback(addr("127.8.9.10")));
  EXPECT_TRUE(is_loopback(addr("::1")));
  EXPECT_TRUE(is_loopback(addr("::ffff:127.0.0.1")));
  EXPECT_FALSE(is_loopback(addr("0.0.0.0")));
  EXPECT_FALSE(is_loopback(addr("::")));
  EXPECT_FALSE(is_loopback(addr("10.0.0.1")));
  EXPECT_EQ(source_address(addr("::ffff:10.1.2.3")), addr("10.1.2.3"));
}

TEST(SourceLimits, AllowListRefusesOthersAndCounts) {
  FakeClock clock;
  SourceLimitOptions o;
  o.allow = {parse_address_prefix("10.1.2.0/24"), parse_address_prefix("fd00::/8")};
  SourceLimits limits(o, clock.fn());
  EXPECT_EQ(limits.admit(addr("10.1.2.3")), Admission::Admitted);
  EXPECT_EQ(limits.admit(addr("::ffff:10.1.2.4")), Admission::Admitted);
  EXPECT_EQ(limits.admit(addr("fd12::7")), Admission::Admitted);
  EXPECT_EQ(limits.admit(addr("10.1.3.3")), Admission::NotAllowed);
  // Configured explicitly, the list applies to this host too.
  EXPECT_EQ(limits.admit(addr("127.0.0.1")), Admission::NotAllowed);
  EXPECT_EQ(limits.counters().not_allowed, 2u);
  EXPECT_EQ(limits.connections(addr("10.1.3.3")), 0u);
}

TEST(SourceLimits, EmptyAllowListAdmitsAnyone) {
  FakeClock clock;
  SourceLimits limits({}, clock.fn());
  EXPECT_EQ(limits.admit(addr("203.0.113.9")), Admission::Admitted);
  EXPECT_EQ(limits.admit(addr("::1")), Admission::Admitted);
  EXPECT_EQ(limits.counters().not_allowed, 0u);
}

TEST(SourceLimits, ConnectionsPerSourceAreCountedAndReleased) {
  FakeClock clock;
  SourceLimitOptions o;
  o.remote.max_connections = 2;
  SourceLimits limits(o, clock.fn());
  EXPECT_EQ(limits.admit(addr("10.0.0.1")), Admission::Admitted);
  EXPECT_EQ(limits.admit(addr("::ffff:10.0.0.1")), Admission::Admitted);  // same source
  EXPECT_EQ(limits.admit(addr("10.0.0.1")), Admission::TooManyConnections);
  EXPECT_EQ(limits.admit(addr("10.0.0.2")), Admission::Admitted);  // another source
  EXPECT_EQ(limits.connections(addr("10.0.0.1")), 2u);
  limits.release(addr("10.0.0.1"));
  EXPECT_EQ(limits.admit(addr("10.0.0.1")), Admission::Admitted);
  EXPECT_EQ(limits.counters().too_many_connections, 1u);
  // Loopback has its own (here unlimited) limit.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limits.admit(addr("127.0.0.1")), Admission::Admitted);
}

TEST(SourceLimits, LeaseReleasesOnDestruction) {
  FakeClock clock;
  SourceLimitOptions o;
  o.remote.max_connections = 1;
  auto limits = std::make_shared<SourceLimits>(o, clock.fn());
  ASSERT_EQ(limits->admit(addr("10.0.0.1")), Admission::Admitted);
  {
    SourceLease lease(limits, addr("10.0.0.1"));
    SourceLease moved(std::move(lease));  // only one release for the pair
    EXPECT_EQ(limits->admit(addr("10.0.0.1")), Admission::TooManyConnections);
  }
  EXPECT_EQ(limits->connections(addr("10.0.0.1")), 0u);
  EXPECT_EQ(limits->admit(addr("10.0.0.1")), Admission::Admitted);
}

TEST(SourceLimits, TokenBucketAllowsOneSecondBurstThenTheRate) {
  FakeClock clock;
  SourceLimitOptions o;
  o.remote.max_messages_per_second = 5;
  SourceLimits limits(o, clock.fn());
  const auto a = addr("10.0.0.1");
  ASSERT_EQ(limits.admit(a), Admission::Admitted);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limits.take_message(a).ok) << i;
  EXPECT_FALSE(limits.take_message(a).ok);
  clock.t += 100ms;  // half a token
  EXPECT_FALSE(limits.take_message(a).ok);
  clock.t += 100ms;  // a whole token now (0.2 s at 5/s)
  EXPECT_TRUE(limits.take_message(a).ok);
  EXPECT_FALSE(limits.take_message(a).ok);
  clock.t += 1h;  // refills to the burst, not beyond
  int ok = 0;
  for (int i = 0; i < 20; ++i) ok += limits.take_message(a).ok;
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(limits.counters().rate_limited, 3u + 15u);
  // Another source has its own bucket.
  EXPECT_TRUE(limits.take_message(addr("10.0.0.2")).ok);
}

TEST(SourceLimits, BucketSurvivesReconnecting) {
  FakeClock clock;
  SourceLimitOptions o;
  o.remote.max_messages_per_second = 2;
  SourceLimits limits(o, clock.fn());
  const auto a = addr("10.0.0.1");
  ASSERT_EQ(limits.admit(a), Admission::Admitted);
  EXPECT_TRUE(limits.take_message(a).ok);
  EXPECT_TRUE(limits.take_message(a).ok);
  limits.release(a);
  ASSERT_EQ(limits.admit(a), Admission::Admitted);
  EXPECT_FALSE(limits.take_message(a).ok);  // a new connection does not get a new bucket
}

TEST(SourceLimits, UnlimitedRateNeverRefuses) {
  FakeClock clock;
  SourceLimits limits({}, clock.fn());
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(limits.take_message(addr("10.0.0.1")).ok);
  EXPECT_EQ(limits.counters().rate_limited, 0u);
}

TEST(SourceLimits, WarnsAtMostOncePerSourcePerInterval) {
  FakeClock clock;
  SourceLimitOptions o;
  o.remote.max_messages_per_second = 1;
  SourceLimits limits(o, clock.fn());
  const auto a = addr("10.0.0.1"), b = addr("10.0.0.2");
  EXPECT_TRUE(limits.take_message(a).ok);
  EXPECT_TRUE(limits.take_message(b).ok);
  Verdict first = limits.take_message(a);
  EXPECT_FALSE(first.ok);
  EXPECT_TRUE(first.warn);
  EXPECT_FALSE(limits.take_message(a).warn);
  EXPECT_FALSE(limits.take_message(a).warn);
  EXPECT_TRUE(limits.take_message(b).warn);  // per source
  clock.t += 9s;
  limits.take_message(a);  // consumes the refilled token
  Verdict quiet = limits.take_message(a);
  EXPECT_FALSE(quiet.ok);
  EXPECT_FALSE(quiet.warn);
  clock.t += 1s;
  limits.take_message(a);
  Verdict again = limits.take_message(a);
  EXPECT_FALSE(again.ok);
  EXPECT_TRUE(again.warn);
  EXPECT_EQ(again.suppressed, 3u);
}

TEST(SourceLimits, TrackedSourcesAreBounded) {
  FakeClock clock;
  SourceLimitOptions o;
  o.max_tracked_sources = 100;
  o.allow = {parse_address_prefix("10.0.0.0/8")};
  SourceLimits limits(o, clock.fn());
  ASSERT_EQ(limits.admit(addr("10.0.0.1")), Admission::Admitted);  // stays connected
  for (int i = 0; i < 5000; ++i) {
    auto x = ip::address_v4(0xC0000000u + static_cast<unsigned>(i));  // outside the list
    EXPECT_EQ(limits.admit(x), Admission::NotAllowed);
  }
  EXPECT_LE(limits.tracked_sources(), 100u);
  EXPECT_EQ(limits.connections(addr("10.0.0.1")), 1u);  // a connected source is never forgotten
  EXPECT_EQ(limits.counters().not_allowed, 5000u);
}

TEST(Hl7SourceLimitSettings, DefaultsApplyBeyondLoopbackExplicitEverywhere) {
  Settings s;
  SourceLimitOptions d = hl7_source_limits(s);
  EXPECT_EQ(d.remote.max_connections, kDefaultHl7MaxConnectionsPerSource);
  EXPECT_EQ(d.remote.max_messages_per_second, kDefaultHl7MaxMessagesPerSecondPerSource);
  EXPECT_EQ(d.loopback.max_connections, 0u);
  EXPECT_EQ(d.loopback.max_messages_per_second, 0u);
  apply_config_text(
      "hl7_allow: \"10.1.2.0/24\" hl7_allow: \"fd00::/8\" hl7_max_connections_per_source: 3 "
      "hl7_max_messages_per_second_per_source: 7",
      "test", s);
  SourceLimitOptions e = hl7_source_limits(s);
  ASSERT_EQ(e.allow.size(), 2u);
  EXPECT_EQ(to_string(e.allow[1]), "fd00::/8");
  EXPECT_EQ(e.remote.max_connections, 3u);
  EXPECT_EQ(e.loopback.max_connections, 3u);
  EXPECT_EQ(e.remote.max_messages_per_second, 7u);
  EXPECT_EQ(e.loopback.max_messages_per_second, 7u);
}

TEST(Hl7SourceLimitSettings, BadValuesNameTheField) {
  EXPECT_NE(
      test::config_error_of("hl7_allow: \"10.1.2.0/24\" hl7_allow: \"10.1.2.7/24\"").find("hl7_allow[1]"),
      std::string::npos);
  EXPECT_NE(test::config_error_of("hl7_max_connections_per_source: 0").find("hl7_max_connections_per_source"),
            std::string::npos);
  EXPECT_NE(test::config_error_of("hl7_max_messages_per_second_per_source: 0")
                .find("hl7_max_messages_per_second_per_source"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::daemon
