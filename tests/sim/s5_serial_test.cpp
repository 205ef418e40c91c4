// The simulated S/5 monitor: its displayed-values records decode with vigild's own codec
// (S5Deframer + decode_record + S5ReadingMapper) into the values it was given, and on a
// pseudo-terminal it stays quiet until asked, then streams records.

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>

#include "datex/s5_decoder.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_encoder.hpp"
#include "datex/s5_reading_mapper.hpp"
#include "sim/s5_display.hpp"
#include "sim/s5_serial_monitor.hpp"

namespace vigil::sim {
namespace {

using namespace std::chrono_literals;

constexpr WallMillis kT0 = 1'763'720'100'000;  // 2025-11-21T10:15:00Z

// Runs framed bytes through vigild's S/5 path; one MappedRecord per record.
struct VigildSide {
  datex::S5Deframer deframer;
  datex::S5ReadingMapper mapper{"datex-s5:test"};
  std::vector<datex::MappedRecord> feed(const std::string& bytes) {
    std::vector<std::string> records;
    deframer.feed(bytes, records);
    std::vector<datex::MappedRecord> out;
    for (const auto& r : records) {
      auto decoded = datex::decode_record(r);
      EXPECT_TRUE(decoded.ok()) << datex::to_string(decoded.error);
      out.push_back(mapper.map(decoded.record));
    }
    return out;
  }
};

std::map<VitalKind, Reading> by_kind(const datex::MappedRecord& m) {
  std::map<VitalKind, Reading> out;
  for (const auto& r : m.readings) out[r.kind] = r;
  return out;
}

NibpSample nibp(int sys, int dia, int mean) {
  NibpSample s;
  s.sys_mmhg = sys;
  s.dia_mmhg = dia;
  s.mean_mmhg = mean;
  s.pulse_bpm = 77;
  return s;
}

TEST(S5Display, RecordDecodesIntoTheDisplayedValues) {
  S5Display d;
  d.numerics = NumericSample{0, 84, 96};
  d.nibp_started = true;
  d.last_nibp = nibp(168, 104, 125);
  d.last_nibp_at_ms = kT0 - 20'000;
  VigildSide vigild;
  auto mapped = vigild.feed(s5_displayed_record(d, kT0, 1));
  ASSERT_EQ(mapped.size(), 1u);
  ASSERT_TRUE(mapped[0].had_basic_values);
  auto r = by_kind(mapped[0]);
  ASSERT_TRUE(r.count(VitalKind::HeartRate) && r.count(VitalKind::SpO2) && r.count(VitalKind::NibpSys));
  EXPECT_EQ(r[VitalKind::HeartRate].value, 84);
  EXPECT_EQ(r[VitalKind::HeartRate].measured_at_ms, kT0);
  EXPECT_EQ(r[VitalKind::SpO2].value, 96);
  EXPECT_EQ(r[VitalKind::NibpSys].value, 168);
  EXPECT_EQ(r[VitalKind::NibpDia].value, 104);
  EXPECT_EQ(r[VitalKind::NibpMean].value, 125);
  EXPECT_EQ(r[VitalKind::NibpSys].measured_at_ms, kT0 - 20'000);  // the measurement's completion
  EXPECT_TRUE(mapped[0].conditions.empty());

  // The same result repeated in the next record is not a new measurement.
  mapped = vigild.feed(s5_displayed_record(d, kT0 + 5'000, 2));
  ASSERT_EQ(mapped.size(), 1u);
  EXPECT_EQ(by_kind(mapped[0]).count(VitalKind::NibpSys), 0u);
  EXPECT_EQ(by_kind(mapped[0]).count(VitalKind::HeartRate), 1u);
}

TEST(S5Display, MeasuringFailedAndStaleResults) {
  VigildSide vigild;
  S5Display d;
  d.numerics = NumericSample{0, 70, 98};
  // Nothing measured yet: no NIBP, no condition.
  auto mapped = vigild.feed(s5_displayed_record(d, kT0, 0));
  EXPECT_EQ(by_kind(mapped.at(0)).count(VitalKind::NibpSys), 0u);

  d.nibp_started = d.nibp_measuring = true;  // cuff inflating: numbers are not a result
  mapped = vigild.feed(s5_displayed_record(d, kT0 + 1'000, 1));
  EXPECT_EQ(by_kind(mapped.at(0)).count(VitalKind::NibpSys), 0u);

  d.nibp_measuring = false;
  d.last_nibp = nibp(0, 0, 0);
  d.last_nibp->outcome = NibpOutcome::Failed;
  d.last_nibp_at_ms = kT0 + 35'000;
  mapped = vigild.feed(s5_displayed_record(d, kT0 + 36'000, 2));
  EXPECT_EQ(by_kind(mapped.at(0)).count(VitalKind::NibpSys), 0u);
  ASSERT_FALSE(mapped.at(0).conditions.empty());
  EXPECT_EQ(mapped.at(0).conditions[0].code, "NIBP_INVALID");

  // A result first seen more than 60 s after it completed is flagged old and not announced.
  VigildSide late;
  d.last_nibp = nibp(130, 80, 97);
  EXPECT_NE(s5_physdata(d, kT0 + 200'000).nibp.label & datex::nibp_label::kOlderThan60s, 0);
  mapped = late.feed(s5_displayed_record(d, kT0 + 200'000, 3));
  EXPECT_EQ(by_kind(mapped.at(0)).count(VitalKind::NibpSys), 0u);
}

// Reads from `fd` until `done` says enough or the deadline passes.
bool read_until(int fd, std::string& into, const std::function<bool()>& done,
                std::chrono::milliseconds timeout, boost::asio::io_context& io) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.run_for(10ms);  // the monitor's timers and reads run here
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10) > 0 && (p.revents & POLLIN)) {
      char buf[4096];
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) into.append(buf, static_cast<std::size_t>(n));
    }
  }
  return true;
}

TEST(S5SerialMonitor, QuietUntilAskedThenStreamsDecodableRecords) {
  boost::asio::io_context io;
  S5SerialOptions o;
  o.chair = "CHAIR5";
  o.time_scale = 100;  // 5 s interval -> 50 ms
  WallMillis wall = kT0;
  auto monitor = std::make_shared<S5SerialMonitor>(io, o, [&] { return wall; });
  ASSERT_EQ(monitor->path().rfind("/dev/pts/", 0), 0u) << monitor->path();
  monitor->start();
  monitor->numerics(NumericSample{0, 91, 95}, kT0);

  const int fd = ::open(monitor->path().c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  std::string bytes;
  // Nothing before a request.
  read_until(
      fd, bytes, [] { return false; }, 200ms, io);
  EXPECT_TRUE(bytes.empty());
  EXPECT_EQ(monitor->counters().records, 0u);

  const std::string start = datex::encode_start_displayed(5);
  ASSERT_EQ(::write(fd, start.data(), start.size()), static_cast<ssize_t>(start.size()));
  VigildSide vigild;
  std::vector<datex::MappedRecord> mapped;
  ASSERT_TRUE(read_until(
      fd, bytes,
      [&] {
        for (auto& m : vigild.feed(bytes)) mapped.push_back(std::move(m));
        bytes.clear();
        return mapped.size() >= 3;
      },
      10s, io));
  EXPECT_EQ(monitor->counters().requests, 1u);
  EXPECT_EQ(by_kind(mapped[0])[VitalKind::HeartRate].value, 91);

  // A completed measurement goes out at once.
  wall = kT0 + 60'000;
  NibpSample s = nibp(182, 111, 135);
  monitor->nibp_started(s, wall - 35'000);
  monitor->nibp_done(s, wall);
  std::optional<Reading> sys;
  ASSERT_TRUE(read_until(
      fd, bytes,
      [&] {
        for (auto& m : vigild.feed(bytes))
          if (auto r = by_kind(m); r.count(VitalKind::NibpSys)) sys = r[VitalKind::NibpSys];
        bytes.clear();
        return sys.has_value();
      },
      10s, io));
  EXPECT_EQ(sys->value, 182);
  EXPECT_EQ(sys->measured_at_ms, wall);

  // Stop request: the line goes quiet (whatever was in flight may still arrive).
  const std::string stop = datex::encode_stop_displayed();
  ASSERT_EQ(::write(fd, stop.data(), stop.size()), static_cast<ssize_t>(stop.size()));
  ASSERT_TRUE(read_until(
      fd, bytes, [&] { return monitor->counters().requests >= 2; }, 10s, io));
  const auto records = monitor->counters().records;
  read_until(
      fd, bytes, [] { return false; }, 300ms, io);
  EXPECT_LE(monitor->counters().records, records + 1);
  monitor->stop();
  ::close(fd);
}

}  // namespace
}  // namespace vigil::sim
