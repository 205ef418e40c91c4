#pragma once
// One chair the alert-latency benchmark steps over the P1 threshold: its own MLLP link to
// vigild, ORU^R01 messages with one NIBP measurement (SYS, DIA, MEAN, measured now, with
// milliseconds so every measurement has its own time), HR and SpO2.
//
// Threading: one thread at a time.

#include <chrono>
#include <cstdint>
#include <string>

#include "support/mllp_client.hpp"

namespace vigil::bench {

class ProbeChair {
 public:
  ProbeChair(std::string bed, const std::string& host, std::uint16_t port);

  const std::string& bed() const { return bed_; }
  bool connected() const { return link_.connected(); }

  /// Writes an ORU^R01 with NIBP `sys`/`dia` (MEAN = DIA + (SYS-DIA)/3) and HR 72, SpO2 98.
  /// Returns CLOCK_MONOTONIC (ns) taken right after the last byte went to the socket, or
  /// 0 if the write failed.
  std::int64_t send_nibp(double sys, double dia);
  /// Reads the ACK of the last message: "" on AA, else what went wrong.
  std::string read_ack(std::chrono::milliseconds timeout);
  /// send_nibp + read_ack.
  std::string nibp(double sys, double dia, std::chrono::milliseconds timeout);

 private:
  std::string bed_;
  std::string equipment_;  // 16 hex digits, MSH-3's EUI-64
  test::MllpClient link_;
  std::uint64_t messages_ = 0;
  std::int64_t last_measured_ms_ = 0;
};

}  // namespace vigil::bench
