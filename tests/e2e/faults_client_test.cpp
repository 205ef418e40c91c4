// Fault injection on the stream port: garbage senders, clients coming and going, and a
// snapshot larger than the client queue, while a good watcher keeps receiving.
#include "e2e/faults_support.hpp"

namespace vigil::test::faults {
namespace {

bool is_reading_of(const std::string& line, const std::string& bed, double* hr) {
  auto r = parse_reading(line);
  if (!r || r->bed() != bed || r->kind() != "HR" || r->snapshot().value()) return false;
  *hr = r->value();
  return true;
}

TEST(FaultsClient, GarbageSendersAreClosedWhileAWatcherKeepsReceiving) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "GOOD"});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver good(vigild, "GOOD");
  std::mt19937 rng(99);
  std::string random(64 * 1024, '\0');
  for (char& ch : random) ch = static_cast<char>(rng());
  const std::vector<std::pair<std::string, std::string>> garbage = {
      {"a varint longer than 10 bytes", std::string(32, '\xff')},
      {"a frame that is not a ClientMessage", "\x05\xff\xff\xff\xff\xff"},
      {"an HTTP request", "GET / HTTP/1.1\r\nHost: vigil\r\n\r\n"},
      {"64 KiB of random bytes", random},
      {"a request before any hello", "\x04\x1a\x02\x08\x01"},
  };
  const long rss_before = vm_rss_kb(vigild.process().pid());
  int hr = 60;
  for (const auto& [what, bytes] : garbage) {
    MllpClient bad(vigild.stream.host, vigild.stream.port);  // plain TCP is all we need
    ASSERT_TRUE(bad.connected());
    bad.send_raw(bytes);  // may fail half way once vigild has closed: that is the point
    EXPECT_TRUE(bad.wait_closed(20s)) << what << " was not closed";
    ASSERT_EQ(good.vitals(++hr, 97), "") << "after " << what;
    double got = 0;
    ASSERT_TRUE(
        watch.wait_for_line([&](auto& l) { return is_reading_of(l, "GOOD", &got) && got == hr; }, 20s))
        << "watcher missed HR " << hr << " after " << what << "\n"
        << watch.stderr_text();
  }
  const long rss_after = vm_rss_kb(vigild.process().pid());
  EXPECT_LT(rss_after, kRssBoundKb);
  EXPECT_TRUE(watch.running());
  report("stream client sending garbage", rss_before, rss_after,
         std::to_string(garbage.size()) + " kinds of garbage each closed; watcher got every reading");
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(FaultsClient, HundredClientsComingAndGoingDoNotCostAWatcherAnyReading) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "FEED"});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  const long rss_before = vm_rss_kb(vigild.process().pid());
  constexpr int kFeed = 150;  // HR 40..189, one value per message
  std::atomic<bool> feeding{true};
  std::string feed_error;
  std::thread feed([&] {
    ChairDriver monitor(vigild, "FEED");
    for (int i = 0; i < kFeed && feed_error.empty(); ++i) {
      feed_error = monitor.vitals(40 + i, 97);
      std::this_thread::sleep_for(10ms);  // a monitor's pace, so the churn overlaps the feed
    }
    feeding = false;
  });
  int churned = 0, greeted = 0;
  const std::string hello = hello_frame("churn");
  // At least 100, for as long as the feed runs, at most 3,000 (our side keeps half of them
  // in TIME_WAIT; more could run this host out of ephemeral ports on a slow run).
  while (churned < 100 || (feeding && churned < 3000)) {
    MllpClient c(vigild.stream.host, vigild.stream.port);
    ++churned;
    if (!c.connected() || !c.send_raw(hello)) continue;
    pollfd p{c.fd(), POLLIN, 0};
    char buf[256];
    if (::poll(&p, 1, 20000) == 1 && ::recv(c.fd(), buf, sizeof buf, 0) > 0) ++greeted;
    if (churned % 2) {
      linger hard{1, 0};  // every other one leaves with a reset
      setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
  }
  feed.join();
  ASSERT_EQ(feed_error, "");
  EXPECT_EQ(greeted, churned) << "some churning clients never got a ServerHello";
  std::set<int> seen;
  int duplicates = 0;
  while (static_cast<int>(seen.size()) < kFeed) {
    double hr = 0;
    auto line = watch.wait_for_line([&](auto& l) { return is_reading_of(l, "FEED", &hr); }, 20s);
    ASSERT_TRUE(line) << "watcher got " << seen.size() << " of " << kFeed << " HR readings\n"
                      << watch.stderr_text();
    if (!seen.insert(static_cast<int>(hr)).second) ++duplicates;
  }
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(*seen.begin(), 40);
  EXPECT_EQ(*seen.rbegin(), 40 + kFeed - 1);
  const long rss_after = vm_rss_kb(vigild.process().pid());
  EXPECT_LT(rss_after, kRssBoundKb);
  report("100+ stream clients connecting and leaving", rss_before, rss_after,
         std::to_string(churned) + " clients came and went (half with RST), all greeted; watcher got " +
             std::to_string(seen.size()) + "/" + std::to_string(kFeed) + " readings");
  EXPECT_EQ(vigild.stop(), 0);
}

// Many chairs (here: 400 bed ids, as a monitor inventing ids would create) make the
// connect-time snapshot larger than a client's live-event queue (64 KiB here). A new client
// must still get the whole snapshot and then live events, not be dropped as a slow reader
// on every attempt (found by the long kill loop, whose database gathers thousands of chairs).
TEST(FaultsClient, SnapshotLargerThanTheClientQueueStillArrives) {
  TempDir dir;
  std::ofstream(dir.file("vigild.conf")) << "client_queue_bytes: 65536\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", dir.file("vigild.conf")});
  const long rss_before = vm_rss_kb(vigild.process().pid());
  constexpr int kBeds = 400;  // 2,000 readings, several hundred KiB of snapshot
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  for (int i = 0; i < kBeds; ++i) {
    OruValues v;
    v.bed = "MANY" + std::to_string(i);
    v.control_id = v.bed;
    ASSERT_TRUE(monitor.send_message(make_oru(v)));
    auto ack = monitor.read_reply(20s);
    ASSERT_TRUE(ack && hl7_field(*ack, "MSA", 1) == "AA") << v.bed;
  }
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  int snapshot_readings = 0;
  auto last = watch.wait_for_line(
      [&](const std::string& l) {
        auto r = parse_reading(l);
        if (r && r->snapshot().value()) ++snapshot_readings;
        return snapshot_readings == kBeds * 5 || l.find("\"type\":\"link\"") != std::string::npos;
      },
      60s);
  ASSERT_TRUE(last) << "snapshot incomplete: " << snapshot_readings << " readings\n" << watch.stderr_text();
  ASSERT_EQ(snapshot_readings, kBeds * 5) << "the watcher was dropped during its snapshot: " << *last;
  ChairDriver after(vigild, "MANY0");
  ASSERT_EQ(after.vitals(111, 95), "");
  double hr = 0;
  EXPECT_TRUE(watch.wait_for_line([&](auto& l) { return is_reading_of(l, "MANY0", &hr) && hr == 111; }, 20s))
      << "no live reading after the large snapshot";
  const long rss_after = vm_rss_kb(vigild.process().pid());
  EXPECT_LT(rss_after, kRssBoundKb);
  report("snapshot larger than the client queue", rss_before, rss_after,
         std::to_string(kBeds) + " chairs, " + std::to_string(snapshot_readings) +
             " snapshot readings through a 64 KiB client queue, then live readings");
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test::faults
