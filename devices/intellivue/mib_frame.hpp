#pragma once
// MIB/RS-232 framing of the IntelliVue Data Export protocol (PIPG, "Transport Protocols for
// the MIB/RS232 Interface": Framing, Header Information, Frame Check Sequence Field,
// Transparency, Frame Abort).
//
// Wire:   C0 | stuffed( 11 01 len_hi len_lo | user data | fcs_lo fcs_hi ) | C1
//   - header: protocol id 0x11, message type 0x01, user-data length (16 bits, big-endian);
//   - FCS-16 as PPP (RFC 1662): CRC-CCITT reflected, init 0xFFFF, complemented, low byte
//     first, computed over the UNSTUFFED header and user data;
//   - transparency: C0, C1 and 7D inside the frame are sent as 7D, byte ^ 0x20;
//   - abort: 7D C1 ends the frame being received; it is dropped.
//
// The deframer accepts any chunking. A C0 always opens a new frame (the previous one, if
// it had bytes, lost its end flag and is counted); bytes outside a frame are junk. Memory
// is bounded: the frame buffer never holds more than kMaxMibFrameBytes unstuffed bytes; a
// longer frame is counted and discarded up to its end flag.
//
// Threading: none; one deframer per serial line, used from one thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::intellivue {

inline constexpr std::uint8_t kMibBof = 0xC0;
inline constexpr std::uint8_t kMibEof = 0xC1;
inline constexpr std::uint8_t kMibEscape = 0x7D;
inline constexpr std::uint8_t kMibEscapeXor = 0x20;
inline constexpr std::uint8_t kMibProtocolId = 0x11;   // Data Export protocol
inline constexpr std::uint8_t kMibMessageType = 0x01;  // Data Export message
inline constexpr std::size_t kMibHeaderSize = 4;
inline constexpr std::size_t kMibFcsSize = 2;
/// Largest user data we accept or send in one frame. The monitor never sends more than the
/// max_mtu_rx we announce in the Association Request (1000 by default, association.hpp);
/// 4096 leaves room for a peer that announces more without letting a runaway stream grow.
inline constexpr std::size_t kMaxMibUserData = 4096;
inline constexpr std::size_t kMaxMibFrameBytes = kMibHeaderSize + kMaxMibUserData + kMibFcsSize;

/// FCS-16 of `bytes` as it is transmitted: the complemented CRC (RFC 1662 pppfcs16 with
/// init 0xFFFF, then ^ 0xFFFF). The frame carries its low byte first.
std::uint16_t mib_fcs16(std::string_view bytes);

/// One complete frame (flags, header, stuffed user data and FCS) for `user_data`.
/// Returns an empty string when user_data is longer than kMaxMibUserData.
std::string encode_mib_frame(std::string_view user_data);

/// What the deframer has seen; every dropped byte or frame lands in one counter.
struct MibDeframerCounters {
  std::uint64_t frames = 0;               // user data delivered
  std::uint64_t fcs_errors = 0;           // complete frame whose FCS did not match
  std::uint64_t header_errors = 0;        // shorter than header + FCS, wrong id/type, length != bytes
  std::uint64_t aborts = 0;               // 7D C1 abort sequences
  std::uint64_t oversize_frames = 0;      // more than kMaxMibFrameBytes before the end flag
  std::uint64_t unterminated_frames = 0;  // a C0 arrived inside a frame (end flag lost)
  std::uint64_t escape_errors = 0;        // 7D directly followed by C0
  std::uint64_t junk_bytes = 0;           // bytes outside any frame, or of a discarded one

  /// Frames dropped for any reason.
  std::uint64_t bad_frames() const {
    return fcs_errors + header_errors + aborts + oversize_frames + unterminated_frames + escape_errors;
  }
};

/// Incremental MIB deframer (a pure state machine: no I/O, no clock).
class MibDeframer {
 public:
  MibDeframer();

  /// Consumes `bytes` and appends the user data (without header and FCS) of every complete,
  /// valid frame to `messages_out`. Returns how many were appended.
  std::size_t feed(std::string_view bytes, std::vector<std::string>& messages_out);

  const MibDeframerCounters& counters() const { return counters_; }

  /// Forgets any partial frame and waits for the next C0. Counters are kept.
  void reset();

 private:
  enum class State : std::uint8_t {
    Hunting,     // outside a frame
    InFrame,     // collecting unstuffed bytes
    Escaped,     // collecting; the previous byte was 7D
    Discarding,  // oversize frame: drop until C1 or C0
  };

  void on_bof();
  void on_eof(std::vector<std::string>& messages_out, std::size_t& produced);
  void on_data(std::uint8_t byte);
  void finish_frame(std::vector<std::string>& messages_out, std::size_t& produced);

  State state_ = State::Hunting;
  std::string frame_;  // unstuffed header + user data + FCS; capacity reserved once
  MibDeframerCounters counters_;
};

}  // namespace vigil::intellivue
