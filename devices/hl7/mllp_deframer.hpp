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
//  - a frame whose content would exceed max_frame_bytes, when the caller handles oversize
//    frames (feed_each's third argument), is skipped up to its end block: only its first
//    bytes are kept (at most kOversizeHeadBytes: MSH is there, so the sender can be
//    answered), the rest is counted and dropped, and once the end block comes the head and
//    the frame's size are handed to the caller and the stream goes on. A 0x0B before the
//    end abandons it like any frame (nobody waits for its answer). One still going after
//    kOversizeSkipFactor times the bound is no message, just a stream without framing: the
//    stream fails as below;
//  - without an oversize handler (feed(), feed_each with two arguments) such a frame fails
//    the stream for good: the held bytes are released and every later feed() returns false
//    (the caller closes).
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
/// The first bytes of an oversized frame kept to answer it (bounded by max_frame_bytes too).
inline constexpr std::size_t kOversizeHeadBytes = 4096;
/// How far past the bound an oversized frame is skipped before the stream fails instead.
inline constexpr std::size_t kOversizeSkipFactor = 16;

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
    return feed_to(bytes, message_sink(on_message));
  }

  /// As above, and a frame over the bound is skipped instead of failing the stream:
  /// on_oversize(std::string_view head, std::size_t frame_bytes) is called once it ends, with
  /// its first bytes (a view valid during the call) and its whole size without framing.
  /// Returns false only once a frame ran past kOversizeSkipFactor times the bound.
  template <typename OnMessage, typename OnOversize>
  bool feed_each(std::string_view bytes, OnMessage&& on_message, OnOversize&& on_oversize) {
    using Fn = std::remove_reference_t<OnOversize>;
    Sinks sinks = message_sink(on_message);
    sinks.oversize = [](void* fn, std::string_view head, std::size_t frame_bytes) {
      (*static_cast<Fn*>(fn))(head, frame_bytes);
    };
    sinks.oversize_context = const_cast<std::remove_const_t<Fn>*>(&on_oversize);
    return feed_to(bytes, sinks);
  }

  /// True once the stream failed: a frame over the bound without an oversize handler, or one
  /// that ran past kOversizeSkipFactor times the bound.
  bool failed() const { return failed_; }
  /// A frame has started and not ended (at EOF this means the last message was truncated).
  bool in_frame() const { return state_ != State::Outside; }
  /// Bytes held for the incomplete frame; never more than max_frame_bytes() (while an
  /// oversized frame is skipped, its head: at most kOversizeHeadBytes).
  std::size_t buffered() const { return buffer_.size(); }
  /// The configured bound.
  std::size_t max_frame_bytes() const { return max_frame_bytes_; }
  /// Complete messages delivered.
  std::uint64_t messages() const { return messages_; }
  /// Bytes skipped outside frames, including abandoned partial frames.
  std::uint64_t junk_bytes() const { return junk_bytes_; }
  /// Frames that exceeded the bound (without an oversize handler 0 or 1: the stream fails on
  /// the first).
  std::uint64_t oversize_frames() const { return oversize_frames_; }
  /// Partial frames dropped because a new 0x0B arrived before their end.
  std::uint64_t abandoned_frames() const { return abandoned_frames_; }
  /// Frames ended by 0x1C without the following 0x0D.
  std::uint64_t bare_end_blocks() const { return bare_end_blocks_; }

 private:
  // Skipping: an oversized frame (buffer_ holds its head); SkippedEnd: its end block seen.
  enum class State : std::uint8_t { Outside, InFrame, SawEnd, Skipping, SkippedEnd };
  struct Sinks {
    void (*message)(void* context, std::string_view message) = nullptr;
    void* message_context = nullptr;
    // nullptr: an oversized frame fails the stream.
    void (*oversize)(void* context, std::string_view head, std::size_t frame_bytes) = nullptr;
    void* oversize_context = nullptr;
  };

  template <typename OnMessage>
  static Sinks message_sink(OnMessage& on_message) {
    using Fn = std::remove_reference_t<OnMessage>;
    Sinks sinks;
    sinks.message = [](void* fn, std::string_view message) { (*static_cast<Fn*>(fn))(message); };
    sinks.message_context = const_cast<std::remove_const_t<Fn>*>(&on_message);
    return sinks;
  }

  bool feed_to(std::string_view bytes, const Sinks& sinks);
  void deliver(const Sinks& sinks, std::string_view tail);
  void start_skipping(std::string_view tail);
  void report_skipped(const Sinks& sinks);

  std::size_t max_frame_bytes_;
  std::size_t max_skipped_bytes_;  // kOversizeSkipFactor times the bound (saturated)
  State state_ = State::Outside;
  bool failed_ = false;
  std::string buffer_;
  std::size_t skipped_bytes_ = 0;  // the oversized frame's size so far
  std::uint64_t messages_ = 0;
  std::uint64_t junk_bytes_ = 0;
  std::uint64_t oversize_frames_ = 0;
  std::uint64_t abandoned_frames_ = 0;
  std::uint64_t bare_end_blocks_ = 0;
};

/// Frames one message for sending: 0x0B + message + 0x1C 0x0D.
std::string mllp_wrap(std::string_view message);

}  // namespace vigil::hl7
