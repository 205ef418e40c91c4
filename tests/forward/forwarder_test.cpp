// The forwarder against the scriptable MLLP receiver, in process: order, ACK codes, timeouts,
// a link that goes down and comes back, and the resend marker.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <mutex>
#include <thread>

#include "forward/forwarder.hpp"
#include "forward/outbox_filler.hpp"
#include "store/store_test_support.hpp"
#include "support/mllp_receiver.hpp"

namespace vigil::forward {
namespace {

using namespace std::chrono_literals;
using vigil::test::MllpReceiver;

constexpr WallMillis kT0 = 1'795'000'000'000;

class ForwarderTest : public ::testing::Test {
 protected:
  ForwarderTest()
      : path_(dir_.file("v.db")), store_({.path = path_, .faults = faults_}), filler_("clinic-a", 0, {}) {}
  ~ForwarderTest() override { stop(); }

  // Queues `n` readings of CHAIR1, one outbox row each, committed before returning.
  void queue_readings(int n) {
    for (int i = 0; i < n; ++i) {
      store::WriteBatch batch;
      batch.readings = {store::testing::make_reading("CHAIR1", VitalKind::HeartRate, 60 + i, kT0 + i * 1000)};
      filler_.fill(batch, kT0 + i * 1000);
      std::promise<bool> done;
      ASSERT_TRUE(store_.submit(batch, [&](store::WriteOutcome o) { done.set_value(o.ok); }));
      ASSERT_TRUE(done.get_future().get());
    }
  }

  void start(ForwardOptions o) {
    o.host = "127.0.0.1";
    o.port = receiver_.port();
    o.daemon_id = "clinic-a";
    // The rows are stamped from kT0 on; the forwarder's clock stands a minute after them, so
    // the outbox's age bound sees them as fresh whatever today's date is.
    auto wall = [] { return kT0 + 60'000; };
    forwarder_ = std::make_unique<Forwarder>(io_, store_, path_, o, wall, [this](const LinkWatch::View& v) {
      std::lock_guard lock(mu_);
      health_.push_back(v);
    });
    forwarder_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    std::promise<void> stopped;
    boost::asio::post(io_, [&] {
      forwarder_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    store_.flush();
    guard_.reset();
    io_.stop();
    thread_.join();
    forwarder_.reset();
  }

  // Whether the forwarder still marks rows it fetches as maybe sent (asked on its io thread).
  bool startup_window_open() {
    std::promise<bool> open;
    boost::asio::post(io_, [&] { open.set_value(forwarder_->startup_window_open()); });
    return open.get_future().get();
  }

  bool wait_health(const std::function<bool(const LinkWatch::View&)>& pred,
                   std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mu_);
        if (!health_.empty() && pred(health_.back())) return true;
      }
      std::this_thread::sleep_for(20ms);  // polling a condition with a deadline
    }
    return false;
  }

  // Waits until the store says `sent` rows are marked sent.
  bool wait_summary(const std::function<bool(const store::OutboxSummary&)>& pred,
                    std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred(store::outbox_summary(path_))) return true;
      std::this_thread::sleep_for(20ms);
    }
    return pred(store::outbox_summary(path_));
  }

  static std::vector<std::string> ids(const std::vector<MllpReceiver::Received>& got) {
    std::vector<std::string> out;
    for (const auto& r : got) out.push_back(r.control_id);
    return out;
  }
  static std::vector<std::string> expected_ids(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i <= to; ++i) out.push_back("clinic-a-" + std::to_string(i));
    return out;
  }
  static bool has_marker(const std::string& m) { return m.find("\rZRS|Y|") != std::string::npos; }

  store::testing::TempDir dir_;
  std::string path_;
  std::shared_ptr<store::StoreFaults> faults_ = std::make_shared<store::StoreFaults>();
  store::Store store_;
  OutboxFiller filler_;
  MllpReceiver receiver_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ =
      boost::asio::make_work_guard(io_);
  std::unique_ptr<Forwarder> forwarder_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<LinkWatch::View> health_;
};

TEST_F(ForwarderTest, SendsInOrderAndMarksEveryRowSent) {
  queue_readings(20);
  start({});
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= 20; }, 20s));
  EXPECT_EQ(ids(receiver_.received()), expected_ids(1, 20));
  ASSERT_TRUE(wait_summary([](const auto& s) { return s.sent == 20; }, 10s));
  EXPECT_EQ(store::outbox_summary(path_).pending, 0u);
  // The start-up window closes at the first fetch that finds nothing left; rows queued
  // before that are marked too (the test raced it under load: row 23 came marked).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (startup_window_open() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);  // polling a condition with a deadline
  ASSERT_FALSE(startup_window_open());

  // Rows added while running are noticed and sent after the others.
  queue_readings(3);
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= 23; }, 10s));
  EXPECT_EQ(ids(receiver_.received()), expected_ids(1, 23));
  // The first rows after a start may have reached the engine before a crash: marked.
  const auto got = receiver_.received();
  EXPECT_TRUE(has_marker(got[0].message));
  EXPECT_FALSE(has_marker(got[22].message));  // fetched after the start-up window closed
}

TEST_F(ForwarderTest, ErrorAckSkipsTheMessageWarnsAndTheNextOnesContinue) {
  receiver_.set_policy([](const std::string&, std::size_t index) {
    return index == 2 ? MllpReceiver::Reply::AE : MllpReceiver::Reply::AA;
  });
  queue_readings(5);
  start({});
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= 5; }, 20s));
  EXPECT_EQ(ids(receiver_.received()), expected_ids(1, 5));  // each exactly once, in order
  ASSERT_TRUE(wait_summary([](const auto& s) { return s.sent == 4 && s.skipped == 1; }, 10s));
  EXPECT_NE(store::outbox_summary(path_).last_error.find("AE"), std::string::npos);
  ASSERT_TRUE(wait_health([](const auto& v) { return v.warning; }, 5s));
  std::lock_guard lock(mu_);
  EXPECT_NE(health_.back().warning_detail.find("clinic-a-3 refused"), std::string::npos);
  EXPECT_FALSE(health_.back().down);
}

TEST_F(ForwarderTest, LinkDownAlarmsAfterTheConfiguredTimeAndResolvesWhenItDelivers) {
  receiver_.stop_listening();
  queue_readings(4);
  ForwardOptions o;
  o.link_alert = 1s;
  o.max_backoff = 1s;
  const auto started = std::chrono::steady_clock::now();
  start(o);
  ASSERT_TRUE(wait_health([](const auto& v) { return v.down; }, 10s));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 1s);
  {
    std::lock_guard lock(mu_);
    EXPECT_NE(health_.back().down_detail.find("cannot connect"), std::string::npos)
        << health_.back().down_detail;
  }
  EXPECT_TRUE(receiver_.received().empty());
  queue_readings(2);  // the queue grows while the link is down
  receiver_.listen_again();
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= 6; }, 20s));
  EXPECT_EQ(ids(receiver_.received()), expected_ids(1, 6));
  ASSERT_TRUE(wait_health([](const auto& v) { return !v.down; }, 10s));
}

TEST_F(ForwarderTest, NoAckInTimeReconnectsAndResendsWithTheSameControlIdAndAMarker) {
  receiver_.set_policy([](const std::string&, std::size_t index) {
    return index == 0 ? MllpReceiver::Reply::Silent : MllpReceiver::Reply::AA;
  });
  queue_readings(2);
  ForwardOptions o;
  o.ack_timeout = 1s;
  o.max_backoff = 1s;
  start(o);
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= 3; }, 20s));
  const auto got = receiver_.received();
  EXPECT_EQ(got[0].control_id, "clinic-a-1");
  EXPECT_EQ(got[1].control_id, "clinic-a-1");  // the same MSH-10 ...
  EXPECT_TRUE(has_marker(got[1].message));     // ... marked as a possible duplicate
  EXPECT_EQ(got[2].control_id, "clinic-a-2");
  EXPECT_GE(receiver_.connections(), 2u);  // the silent connection was dropped
  ASSERT_TRUE(wait_summary([](const auto& s) { return s.sent == 2; }, 10s));
}

TEST_F(ForwarderTest, RejectIsRetriedUntilAccepted) {
  receiver_.set_policy([](const std::string&, std::size_t index) {
    return index < 2 ? MllpReceiver::Reply::AR : MllpReceiver::Reply::AA;
  });
  queue_readings(2);
  start({});
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= 4; }, 20s));
  EXPECT_EQ(ids(receiver_.received()),
            (std::vector<std::string>{"clinic-a-1", "clinic-a-1", "clinic-a-1", "clinic-a-2"}));
  ASSERT_TRUE(wait_summary([](const auto& s) { return s.sent == 2; }, 10s));
}

TEST_F(ForwarderTest, StopsSendingWhileItsMarksCannotBeStoredAndCatchesUpAfter) {
  queue_readings(Forwarder::kMaxUnmarked + 6);
  faults_->set_read_only(true);  // every 'sent' mark now fails to commit
  start({});
  ASSERT_TRUE(receiver_.wait_for([](const auto& got) { return got.size() >= Forwarder::kMaxUnmarked; }, 20s));
  // No more than the window goes out while nothing can be recorded (a crash now would
  // resend at most that many, all inside the start-up resend window).
  EXPECT_FALSE(
      receiver_.wait_for([](const auto& got) { return got.size() > Forwarder::kMaxUnmarked; }, 1500ms));
  faults_->set_read_only(false);
  const std::size_t total = Forwarder::kMaxUnmarked + 6;
  ASSERT_TRUE(receiver_.wait_for([&](const auto& got) { return got.size() >= total; }, 20s));
  EXPECT_EQ(ids(receiver_.received()), expected_ids(1, static_cast<int>(total)));  // each once, in order
  ASSERT_TRUE(wait_summary([&](const auto& s) { return s.sent == total; }, 10s));
}

}  // namespace
}  // namespace vigil::forward
