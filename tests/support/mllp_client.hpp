#pragma once
// A blocking MLLP client for system tests: what a monitor does on the wire.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace vigil::test {

class MllpClient {
 public:
  MllpClient(const std::string& host, std::uint16_t port);
  ~MllpClient();
  MllpClient(const MllpClient&) = delete;
  MllpClient& operator=(const MllpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes raw bytes (no framing added).
  bool send_raw(const std::string& bytes);
  // Wraps in MLLP and writes.
  bool send_message(const std::string& message);
  // The next MLLP-framed reply (payload only), or nullopt on timeout/close.
  std::optional<std::string> read_reply(std::chrono::milliseconds timeout);
  // True if the peer closed the connection within the timeout.
  bool wait_closed(std::chrono::milliseconds timeout);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string buffer_;
};

// Now minus `seconds` as an HL7 timestamp with an explicit +0000 offset.
std::string hl7_time_ago(int seconds);

// A typical monitor ORU^R01 (IHE PCD-01 style) for bed `bed` with NIBP and HR/SpO2 rows.
struct OruValues {
  std::string bed = "CHAIR1";
  std::string control_id = "MSG1";
  std::string time = hl7_time_ago(60);  // HL7 TS (UTC, +0000), MSH-7, OBR-7 and NIBP OBX-14
  int sys = 120, dia = 80, mean = 93, hr = 72, spo2 = 98;
};
std::string make_oru(const OruValues& v);

// The value of field `index` (1-based, MSH-1 is the separator) of segment `segment`.
std::string hl7_field(const std::string& message, const std::string& segment, int index);

}  // namespace vigil::test
