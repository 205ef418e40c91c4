#pragma once
// MLLP (Minimal Lower Layer Protocol) deframer: 0x0B message 0x1C 0x0D.
//
// Incremental: feed() takes whatever the socket delivered; any chunking of the same stream
// yields the same messages. Rules, chosen so a confused sender cannot wedge or bloat us:
//  - bytes outside a frame are skipped and counted as junk;
//  - 0x0B inside a frame starts a new frame; the abandoned partial frame (its 0x0B and its
//    bytes) is counted as junk and in abandoned_frames();
//  - 0x1C followed by anything but 0x0D still ends the frame (the message is delivered and
//    counted in bare_end_blocks()); the byte after it is then read as outside a frame, so a
//    sender that forgets the CR loses nothing. HL7 text never legally contains 0x1C.
//  - a frame whose content would exceed max_frame_bytes fails the stream for good: the held
//    bytes are released and every later feed() returns false (the caller closes).
//
// feed_each() hands each message to a callback as a view: into the caller's bytes when the
// frame arrived within one chunk (no copy at all), else into the deframer's buffer, which
// keeps its storage for the next split frame up to 4 KiB (a typical ORU^R01 is about 1 KB);
// a larger buffer is released after delivery, so an idle connection holds at most 4 KiB
// whatever it once received (memory per bed matters at 10,000 beds).
//
// Threading: none; one deframer per connection, used from one thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace vigil::hl7 {

inline constexpr char kMllpStart = 0x0B;
inline constexpr char kMllpEnd = 0x1C;
inline constexpr char kMllpTrailer = 0x0D;
inline constexpr std::size_t kDefaultMaxFrameBytes = 1 << 20;

/// Splits an MLLP byte stream into HL7 messages. See the file comment for the rules.
class MllpDeframer {
 public:
  /// `max_frame_bytes`: the largest message content (framing excluded) accepted.
  explicit MllpDeframer(std::size_t max_frame_bytes = kDefaultMaxFrameBytes);

  /// Consumes all of `bytes`; appends each complete message (without framing bytes) to `out`.
  /// Returns false once a frame exceeded the bound; the stream is then unusable (caller closes)
  /// and every later feed() returns false and does nothing.
  bool feed(std::string_view bytes, std::vector<std::string>& out);

  /// As feed(), but calls on_message(std::string_view) for each complete message instead of
  /// copying it. The view is valid only during the call; on_message must not feed this
  /// deframer.
  template <typename OnMessage>
  bool feed_each(std::string_view bytes, OnMessage&& on_message) {
    using Fn = std::remove_reference_t<OnMessage>;
    return feed_to(
        bytes, [](void* fn, std::string_view message) { (*static_cast<Fn*>(fn))(message); },
        const_cast<std::remove_const_t<Fn>*>(&on_message));
  }

  /// True once a frame exceeded the bound.
  bool failed() const { return failed_; }
  /// A frame has started and not ended (at EOF this means the last message was truncated).
  bool in_frame() const { return state_ != State::Outside; }
  /// Bytes held for the incomplete frame; never more than max_frame_bytes().
  std::size_t buffered() const { return buffer_.size(); }
  /// The configured bound.
  std::size_t max_frame_bytes() const { return max_frame_bytes_; }
  /// Complete messages delivered.
  std::uint64_t messages() const { return messages_; }
  /// Bytes skipped outside frames, including abandoned partial frames.
  std::uint64_t junk_bytes() const { return junk_bytes_; }
  /// Frames that exceeded the bound (0 or 1: the stream fails on the first).
  std::uint64_t oversize_frames() const { return oversize_frames_; }
  /// Partial frames dropped because a new 0x0B arrived before their end.
  std::uint64_t abandoned_frames() const { return abandoned_frames_; }
  /// Frames ended by 0x1C without the following 0x0D.
  std::uint64_t bare_end_blocks() const { return bare_end_blocks_; }

 private:
  enum class State : std::uint8_t { Outside, InFrame, SawEnd };
  using Sink = void (*)(void* context, std::string_view message);

  bool feed_to(std::string_view bytes, Sink sink, void* context);
  void deliver(Sink sink, void* context, std::string_view tail);

  std::size_t max_frame_bytes_;
  State state_ = State::Outside;
  bool failed_ = false;
  std::string buffer_;
  std::uint64_t messages_ = 0;
  std::uint64_t junk_bytes_ = 0;
  std::uint64_t oversize_frames_ = 0;
  std::uint64_t abandoned_frames_ = 0;
  std::uint64_t bare_end_blocks_ = 0;
};

/// Frames one message for sending: 0x0B + message + 0x1C 0x0D.
std::string mllp_wrap(std::string_view message);

}  // namespace vigil::hl7
