#include "bench/probe_chair.hpp"

#include <cstdio>
#include <ctime>
#include <functional>
#include <string_view>

#include "bench/latency_summary.hpp"
#include "support/session_driver.hpp"

namespace vigil::bench {

namespace {

std::int64_t wall_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// The equipment id make_vitals_oru writes into MSH-3 for every chair.
constexpr std::string_view kSharedEquipment = "0012345678ABCDEF";

// HL7 TS with milliseconds: YYYYMMDDHHMMSS.mmm+0000.
std::string hl7_time_ms(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03d+0000", static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

ProbeChair::ProbeChair(std::string bed, const std::string& host, std::uint16_t port)
    : bed_(std::move(bed)), link_(host, port) {
  char eui[24];
  std::snprintf(eui, sizeof eui, "%016llX", static_cast<unsigned long long>(std::hash<std::string>{}(bed_)));
  equipment_ = eui;
}

std::int64_t ProbeChair::send_nibp(double sys, double dia) {
  // The engine groups NIBP parts by source and measured time: each measurement its own time.
  last_measured_ms_ = std::max(wall_ms(), last_measured_ms_ + 1);
  test::NibpValues v;
  v.sys = sys;
  v.dia = dia;
  v.time = hl7_time_ms(last_measured_ms_);
  std::string message = test::make_vitals_oru(bed_, bed_ + "-" + std::to_string(++messages_), v, 72, 98);
  // Each chair its own monitor (MSH-3 equipment id): one monitor on two chairs is T7.
  if (auto at = message.find(kSharedEquipment); at != std::string::npos)
    message.replace(at, kSharedEquipment.size(), equipment_);
  if (!link_.send_message(message)) return 0;
  return mono_now_ns();
}

std::string ProbeChair::read_ack(std::chrono::milliseconds timeout) {
  auto ack = link_.read_reply(timeout);
  if (!ack) return "no ACK from vigild within " + std::to_string(timeout.count()) + " ms";
  const std::string code = test::hl7_field(*ack, "MSA", 1);
  if (code != "AA") return "ACK " + code + ": " + test::hl7_field(*ack, "MSA", 3);
  return {};
}

std::string ProbeChair::nibp(double sys, double dia, std::chrono::milliseconds timeout) {
  if (send_nibp(sys, dia) == 0) return "could not write to vigild's HL7 port";
  return read_ack(timeout);
}

}  // namespace vigil::bench
