#pragma once
// The monitor side of MLLP: framing outgoing messages and reading the receiver's ACKs.
// Bytes in, payloads out; no sockets.
//
//   frame = 0x0B message 0x1C 0x0D

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::sim {

/// Wraps one message in MLLP start/end bytes.
std::string mllp_frame(std::string_view message);

/// Splits the receiver's byte stream into MLLP payloads. Bytes outside a frame are
/// skipped; a frame longer than the bound is dropped (counted) and the search restarts.
class ReplyDeframer {
 public:
  explicit ReplyDeframer(std::size_t max_frame_bytes = 64 * 1024) : max_(max_frame_bytes) {}
  /// Consumes bytes; complete payloads queue up for next().
  void feed(const char* data, std::size_t size);
  /// The oldest complete payload, if any.
  std::optional<std::string> next();
  /// Frames dropped for exceeding the bound.
  std::uint64_t oversize_drops() const { return oversize_; }
  /// Forgets a partial frame (after a reconnect).
  void reset();

 private:
  std::size_t max_;
  bool in_frame_ = false;
  bool saw_fs_ = false;
  std::string current_;
  std::deque<std::string> ready_;
  std::uint64_t oversize_ = 0;
};

/// An acknowledgement: MSA-1 (AA, AE, AR, CA, CE, CR) and MSA-2 (the acked MSH-10).
struct Ack {
  std::string code;
  std::string control_id;
};

/// Reads MSA-1/MSA-2 from an ACK message; nullopt when there is no usable MSA segment.
std::optional<Ack> parse_ack(std::string_view message);

}  // namespace vigil::sim
