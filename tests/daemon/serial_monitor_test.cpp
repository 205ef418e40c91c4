// SerialMonitor against a simulated S/5 monitor on a real pseudo-terminal: the start
// request, readings for the chair, NIBP once per result, unplug/replug, silence.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <future>
#include <mutex>
#include <thread>

#include "daemon/serial_monitor.hpp"
#include "datex/s5_encoder.hpp"
#include "support/child_process.hpp"
#include "support/s5_pty_monitor.hpp"

namespace vigil::daemon {
namespace {

using namespace std::chrono_literals;
using test::S5PtyMonitor;

constexpr auto kDeadline = 10s;

// One SerialMonitor on its own io thread, with everything it reports collected under a lock.
class Harness {
 public:
  explicit Harness(SerialMonitorOptions options = fast_options(), std::string device = "")
      : monitor_(dir_.path(), 50ms) {
    monitor_.set_nibp_time(nibp_time_);
    SerialSpec spec{"CHAIR5", device.empty() ? monitor_.path() : device};
    serial_ = std::make_unique<SerialMonitor>(
        io_, spec,
        [this](store::WriteBatch batch) {
          std::lock_guard lock(mu_);
          for (auto& r : batch.readings) readings_.push_back(std::move(r));
          changed_.notify_all();
        },
        [this](const std::string& bed, LinkState state, const std::string& detail) {
          std::lock_guard lock(mu_);
          links_.push_back({state, bed + ": " + detail});
          changed_.notify_all();
        },
        [this](const std::string&, const std::vector<datex::DeviceCondition>&) {
          std::lock_guard lock(mu_);
          ++condition_reports_;
        },
        std::move(options));
    serial_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Harness() {
    boost::asio::post(io_, [this] {
      serial_->stop();
      work_.reset();
    });
    thread_.join();
  }

  static SerialMonitorOptions fast_options() {
    SerialMonitorOptions o;
    o.initial_backoff = 50ms;
    o.max_backoff = 200ms;
    return o;
  }

  S5PtyMonitor& monitor() { return monitor_; }
  std::uint32_t nibp_time() const { return nibp_time_; }

  // Waits until `pred` (called with the lock held) holds; false at the deadline.
  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = kDeadline) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return pred(); });
  }

  std::size_t count(VitalKind kind) const {  // lock held by the caller (inside wait) or not needed
    return std::count_if(readings_.begin(), readings_.end(),
                         [&](const Reading& r) { return r.kind == kind; });
  }
  std::size_t count_locked(VitalKind kind) {
    std::lock_guard lock(mu_);
    return count(kind);
  }
  bool saw_state(LinkState state, std::size_t from = 0) const {
    for (std::size_t i = from; i < links_.size(); ++i)
      if (links_[i].first == state) return true;
    return false;
  }
  std::size_t link_count() {
    std::lock_guard lock(mu_);
    return links_.size();
  }
  std::vector<Reading> readings() {
    std::lock_guard lock(mu_);
    return readings_;
  }
  std::vector<std::pair<LinkState, std::string>> links() {
    std::lock_guard lock(mu_);
    return links_;
  }

  // Counters live on the io thread: read them there.
  SerialMonitorCounters counters() {
    std::promise<SerialMonitorCounters> p;
    auto f = p.get_future();
    boost::asio::post(io_, [&] { p.set_value(serial_->counters()); });
    EXPECT_EQ(f.wait_for(kDeadline), std::future_status::ready);
    return f.get();
  }

  transport::SerialPortCounters transport_counters() {
    std::promise<transport::SerialPortCounters> p;
    auto f = p.get_future();
    boost::asio::post(io_, [&] { p.set_value(serial_->transport_counters()); });
    EXPECT_EQ(f.wait_for(kDeadline), std::future_status::ready);
    return f.get();
  }

  std::vector<Reading> readings_;
  std::vector<std::pair<LinkState, std::string>> links_;

 private:
  test::TempDir dir_;
  S5PtyMonitor monitor_;
  std::uint32_t nibp_time_ = static_cast<std::uint32_t>(std::time(nullptr)) - 20;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::mutex mu_;
  std::condition_variable changed_;
  std::size_t condition_reports_ = 0;
  std::unique_ptr<SerialMonitor> serial_;
  std::thread thread_;
};

TEST(SerialMonitor, SendsStartRequestAndDeliversReadingsForTheChair) {
  Harness h;
  ASSERT_TRUE(h.monitor().wait_for_requests(1, kDeadline));
  const auto request = h.monitor().requests().at(0);
  EXPECT_EQ(request.record_type, static_cast<std::uint8_t>(datex::PhdbRecordType::Displayed));
  EXPECT_EQ(request.interval_s, 5);

  ASSERT_TRUE(h.wait([&] { return h.count(VitalKind::HeartRate) >= 1 && h.count(VitalKind::NibpSys) >= 1; }));
  const auto readings = h.readings();
  const auto hr = std::find_if(readings.begin(), readings.end(),
                               [](const Reading& r) { return r.kind == VitalKind::HeartRate; });
  ASSERT_NE(hr, readings.end());
  EXPECT_EQ(hr->bed, "CHAIR5");
  EXPECT_EQ(hr->value, 72);
  EXPECT_EQ(hr->source, "datex-s5:" + h.monitor().path());
  EXPECT_GT(hr->received_at_ms, 0);
  EXPECT_GT(hr->measured_at_ms, 0);
  const auto sys = std::find_if(readings.begin(), readings.end(),
                                [](const Reading& r) { return r.kind == VitalKind::NibpSys; });
  EXPECT_EQ(sys->value, 128);
  EXPECT_EQ(sys->measured_at_ms, WallMillis{h.nibp_time()} * 1000);

  const auto links = h.links();
  ASSERT_GE(links.size(), 2u);
  EXPECT_EQ(links[0].first, LinkState::Connected);
  EXPECT_EQ(links[1].first, LinkState::Receiving);
  const auto c = h.counters();
  EXPECT_GE(c.records, 1u);
  EXPECT_EQ(c.start_requests, 1u);
  EXPECT_EQ(c.reconnects, 0u);
}

TEST(SerialMonitor, RepeatedNibpIsAnnouncedOnceAndANewNibpTimeAgain) {
  Harness h;
  // Ten records all repeating the same NIBP result.
  ASSERT_TRUE(h.wait([&] { return h.count(VitalKind::HeartRate) >= 10; }));
  EXPECT_EQ(h.count_locked(VitalKind::NibpSys), 1u);
  EXPECT_EQ(h.count_locked(VitalKind::NibpDia), 1u);

  // A new measurement: values first, then its time, so no record pairs the new time with
  // the old numbers.
  auto physdata = S5PtyMonitor::typical_physdata();
  physdata.nibp_sys = datex::to_centi(141);
  h.monitor().set_physdata(physdata);
  h.monitor().set_nibp_time(h.nibp_time() + 60);
  ASSERT_TRUE(h.wait([&] { return h.count(VitalKind::NibpSys) >= 2; }));
  const std::size_t hr_then = h.count_locked(VitalKind::HeartRate);
  ASSERT_TRUE(h.wait([&] { return h.count(VitalKind::HeartRate) >= hr_then + 10; }));
  EXPECT_EQ(h.count_locked(VitalKind::NibpSys), 2u);

  std::vector<Reading> sys;
  for (const auto& r : h.readings())
    if (r.kind == VitalKind::NibpSys) sys.push_back(r);
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].value, 128);
  EXPECT_EQ(sys[1].value, 141);
  EXPECT_EQ(sys[1].measured_at_ms, WallMillis{h.nibp_time() + 60} * 1000);
}

TEST(SerialMonitor, UnplugReportsLostAndReplugRecovers) {
  Harness h;
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Receiving); }));
  const std::size_t before = h.link_count();
  h.monitor().unplug();
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Lost, before); })) << "no Lost after unplug";
  const std::size_t lost_at = h.link_count();

  auto physdata = S5PtyMonitor::typical_physdata();
  physdata.ecg_hr = 88;
  h.monitor().set_physdata(physdata);
  const std::size_t requests_before = h.monitor().requests().size();
  h.monitor().replug();
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Connected, lost_at); }))
      << "no Connected after replug";
  ASSERT_TRUE(h.monitor().wait_for_requests(requests_before + 1, kDeadline))
      << "no start request on the new port";
  ASSERT_TRUE(h.wait([&] {
    return std::any_of(h.readings_.begin(), h.readings_.end(),
                       [](const Reading& r) { return r.kind == VitalKind::HeartRate && r.value == 88; });
  })) << "no readings after replug";
  // The NIBP result the monitor repeats after the reconnect is still the one already stored.
  EXPECT_EQ(h.count_locked(VitalKind::NibpSys), 1u);
  const auto c = h.counters();
  EXPECT_EQ(c.reconnects, 1u);
  EXPECT_EQ(c.start_requests, 2u);
}

TEST(SerialMonitor, SilenceReportsSilentAndResendsTheStartRequest) {
  auto options = Harness::fast_options();
  options.silence_timeout = 300ms;
  Harness h(options);
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Receiving); }));
  const std::size_t requests_before = h.monitor().requests().size();
  const std::size_t links_before = h.link_count();
  h.monitor().set_sending(false);
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Silent, links_before); }));
  ASSERT_TRUE(h.monitor().wait_for_requests(requests_before + 1, kDeadline)) << "start request not re-sent";
  const auto again = h.monitor().requests().back();
  EXPECT_EQ(again.record_type, static_cast<std::uint8_t>(datex::PhdbRecordType::Displayed));
  EXPECT_EQ(again.interval_s, 5);

  const std::size_t silent_at = h.link_count();
  h.monitor().set_sending(true);
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Receiving, silent_at); }));
  EXPECT_FALSE(h.saw_state(LinkState::Lost)) << "silence is not a lost port";
}

TEST(SerialMonitor, JunkOnTheLineIsCountedAndReadingsContinue) {
  Harness h;
  ASSERT_TRUE(h.wait([&] { return h.count(VitalKind::HeartRate) >= 1; }));
  // A frame with a wrong checksum, then bytes that are no frame at all.
  std::string bad = datex::encode_start_displayed(5);
  bad[bad.size() - 2] = static_cast<char>(bad[bad.size() - 2] ^ 0x01);
  h.monitor().send_raw(bad + std::string("\x7e\x01\x02\x03\x7e", 5));
  const std::size_t hr_then = h.count_locked(VitalKind::HeartRate);
  ASSERT_TRUE(h.wait([&] { return h.count(VitalKind::HeartRate) >= hr_then + 3; }));
  EXPECT_GE(h.counters().bad_frames, 1u);
}

TEST(SerialMonitor, MissingDeviceIsLostOnceAndRetried) {
  test::TempDir other;
  Harness h(Harness::fast_options(), other.file("no-such-tty"));
  ASSERT_TRUE(h.wait([&] { return h.saw_state(LinkState::Lost); }));
  const auto links = h.links();
  EXPECT_NE(links[0].second.find("cannot open"), std::string::npos) << links[0].second;
  // Several retries later there is still only the one report.
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (h.transport_counters().open_failures < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);  // polling a counter, not waiting for an event
  }
  EXPECT_GE(h.transport_counters().open_failures, 4u);
  EXPECT_EQ(h.links().size(), 1u);
}

}  // namespace
}  // namespace vigil::daemon
