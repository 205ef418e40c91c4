// The table of IntelliVue monitors heard announcing: one row per (address, port), a hard
// bound with the least recently heard evicted, and the sender used when no address is
// announced.
#include <gtest/gtest.h>

#include "daemon/discovered_monitors.hpp"
#include "intellivue/monitor_side.hpp"

namespace vigil::daemon {
namespace {

intellivue::ConnectIndication announcement(std::uint8_t last_octet, std::uint16_t port = 24105) {
  intellivue::NetAddressInfo info;
  info.ip = {10, 1, 2, last_octet};
  info.mac = {0x00, 0x09, 0xFB, 0x00, 0x00, last_octet};
  const auto decoded = intellivue::decode_connect_indication(
      intellivue::encode_connect_indication(info, port, {"Philips", "MX450"}));
  EXPECT_TRUE(decoded.ok()) << intellivue::to_string(decoded.error);
  return decoded.indication;
}

TEST(DiscoveredMonitors, SameMonitorAgainIsOneRowCounted) {
  DiscoveredMonitors table;
  auto [first, fresh] = table.seen(announcement(7), "10.1.2.7", 24005, 1000);
  EXPECT_TRUE(fresh);
  EXPECT_EQ(first->address, "10.1.2.7");
  EXPECT_EQ(first->port, 24105);
  EXPECT_EQ(first->model, "Philips MX450");
  EXPECT_EQ(first->mac, "00:09:fb:00:00:07");
  auto [again, fresh_again] = table.seen(announcement(7), "10.1.2.7", 24005, 6000);
  EXPECT_FALSE(fresh_again);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(again->count, 2u);
  EXPECT_EQ(again->first_seen_ms, 1000);
  EXPECT_EQ(again->last_seen_ms, 6000);
  // Another port on the same address is another monitor (two simulated on one host).
  EXPECT_TRUE(table.seen(announcement(7, 24106), "10.1.2.7", 24005, 7000).second);
  EXPECT_EQ(table.size(), 2u);
}

TEST(DiscoveredMonitors, FullTableEvictsTheLeastRecentlyHeard) {
  DiscoveredMonitors table(3);
  table.seen(announcement(1), "10.1.2.1", 1, 100);
  table.seen(announcement(2), "10.1.2.2", 1, 200);
  table.seen(announcement(3), "10.1.2.3", 1, 300);
  table.seen(announcement(1), "10.1.2.1", 1, 400);  // .1 heard again: .2 is now the oldest
  table.seen(announcement(4), "10.1.2.4", 1, 500);
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table.evicted(), 1u);
  const auto rows = table.list();
  EXPECT_EQ(rows[0].address, "10.1.2.1");
  EXPECT_EQ(rows[1].address, "10.1.2.3");
  EXPECT_EQ(rows[2].address, "10.1.2.4");
  // A flood never grows it.
  for (std::uint8_t i = 10; i < 200; ++i) table.seen(announcement(i), "10.1.2.9", 1, 1000 + i);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.evicted(), 191u);
}

TEST(DiscoveredMonitors, NoAnnouncedAddressUsesTheSender) {
  DiscoveredMonitors table;
  intellivue::ConnectIndication bare;  // no address, no protocols: a monitor without DHCP yet
  auto [row, fresh] = table.seen(bare, "192.168.5.20", 24005, 1);
  EXPECT_TRUE(fresh);
  EXPECT_EQ(row->address, "192.168.5.20");
  EXPECT_EQ(row->port, 24105);  // the Data Export default
  EXPECT_EQ(row->sender, "192.168.5.20:24005");
  EXPECT_EQ(row->model, "");
}

}  // namespace
}  // namespace vigil::daemon
