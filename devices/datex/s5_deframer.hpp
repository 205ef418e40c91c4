#pragma once
// Incremental deframer for the S/5 serial stream: bytes in (any chunking), records out.
//
// Wire: 0x7E, stuffed(record || checksum), 0x7E. Stuffing sends 0x7E as 7D 5E and 0x7D as
// 7D 5D; the receiver drops 0x7D and sets bit 5 of the next byte. The checksum is the
// 8-bit sum of the unstuffed record bytes and is stuffed like them.
//
// Every 0x7E ends the frame being collected (if any bytes were collected) and starts a new
// one, so back-to-back frames (7E..7E 7E..7E) and a stream joined mid-frame both resync at
// the next flag. A frame is delivered only if its checksum matches and its r_len equals
// its unstuffed length; everything else is counted and dropped. Memory is bounded: the
// frame buffer never holds more than kMaxRecordSize + 1 bytes.
//
// Threading: none; one instance per serial line, used from one thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::datex {

/// What the deframer has seen so far; every dropped byte or frame lands in one counter.
struct S5DeframerCounters {
  std::uint64_t records = 0;          // frames delivered
  std::uint64_t checksum_errors = 0;  // frame complete but the sum did not match
  std::uint64_t length_errors = 0;    // shorter than a header, or r_len != unstuffed length
  std::uint64_t runaway_frames = 0;   // more than kMaxRecordSize + 1 bytes before a flag
  std::uint64_t escape_errors = 0;    // 0x7D immediately followed by the 0x7E flag
  std::uint64_t junk_bytes = 0;       // bytes before the first flag or after a runaway

  /// Frames dropped for any reason.
  std::uint64_t bad_frames() const {
    return checksum_errors + length_errors + runaway_frames + escape_errors;
  }
};

/// Incremental S/5 deframer (a pure state machine: no I/O, no clock).
class S5Deframer {
 public:
  S5Deframer();

  /// Consumes `bytes` and appends each complete, checksum-valid record (header and data,
  /// without the checksum byte) to `records_out`. Returns how many records were appended.
  std::size_t feed(std::string_view bytes, std::vector<std::string>& records_out);

  /// Counters since construction (or the last reset()).
  const S5DeframerCounters& counters() const { return counters_; }

  /// Forgets any partial frame and waits for the next flag (e.g. after reopening the port).
  /// Counters are kept.
  void reset();

 private:
  enum class State : std::uint8_t {
    Hunting,     // before the first flag: bytes are junk
    InFrame,     // collecting unstuffed bytes
    Escaped,     // collecting; the previous byte was 0x7D
    Discarding,  // runaway frame: drop until the next flag
  };

  void on_flag(std::vector<std::string>& records_out, std::size_t& produced);
  void on_data_byte(std::uint8_t byte);
  void finish_frame(std::vector<std::string>& records_out, std::size_t& produced);

  State state_ = State::Hunting;
  std::string frame_;  // unstuffed record + checksum; capacity reserved once
  S5DeframerCounters counters_;
};

}  // namespace vigil::datex
