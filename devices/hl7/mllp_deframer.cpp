#include "hl7/mllp_deframer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace vigil::hl7 {
namespace {

// A buffer at most this large keeps its storage for the next split frame (see the header).
constexpr std::size_t kKeptBufferBytes = 4 * 1024;

// Position of `c` in bytes[from, to), or `to` when absent. memchr is vectorised, which
// matters: the scan for the end block touches every byte of every message.
std::size_t find_byte(std::string_view bytes, std::size_t from, std::size_t to, char c) {
  if (from >= to) return to;
  const void* hit = std::memchr(bytes.data() + from, c, to - from);
  return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data()) : to;
}

}  // namespace

MllpDeframer::MllpDeframer(std::size_t max_frame_bytes)
    : max_frame_bytes_(max_frame_bytes),
      max_skipped_bytes_(max_frame_bytes > SIZE_MAX / kOversizeSkipFactor
                             ? SIZE_MAX
                             : max_frame_bytes * kOversizeSkipFactor) {}

bool MllpDeframer::feed(std::string_view bytes, std::vector<std::string>& out) {
  return feed_each(bytes, [&out](std::string_view message) { out.emplace_back(message); });
}

bool MllpDeframer::feed_to(std::string_view bytes, const Sinks& sinks) {
  if (failed_) return false;
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  // The current frame's content is buffer_ (earlier chunks) + bytes[seg, seg_end). Keeping
  // the tail as a view lets a frame that arrives whole skip the copy into buffer_.
  std::size_t seg = 0;
  std::size_t seg_end = 0;
  auto oversize = [&](std::size_t tail) { return buffer_.size() + tail > max_frame_bytes_; };
  auto fail = [&] {
    failed_ = true;
    state_ = State::Outside;
    skipped_bytes_ = 0;
    std::string().swap(buffer_);  // give the memory back now, not at close
    return false;
  };

  while (i < n) {
    switch (state_) {
      case State::Outside: {
        const std::size_t p = find_byte(bytes, i, n, kMllpStart);
        junk_bytes_ += p - i;
        if (p == n) return true;
        state_ = State::InFrame;
        buffer_.clear();
        i = seg = p + 1;
        break;
      }
      case State::InFrame: {
        const std::size_t end = find_byte(bytes, i, n, kMllpEnd);
        const std::size_t start = find_byte(bytes, i, end, kMllpStart);
        // Content up to the next framing byte (start == end when no 0x0B comes first).
        if (oversize(start - seg)) {
          ++oversize_frames_;
          if (sinks.oversize == nullptr) return fail();
          start_skipping(bytes.substr(seg, start - seg));
          if (skipped_bytes_ > max_skipped_bytes_) return fail();
          i = start;  // the framing byte (if any) is read while skipping
          break;
        }
        if (start < end) {
          // A new start block before the end: the sender gave up on the old frame.
          junk_bytes_ += 1 + buffer_.size() + (start - seg);
          ++abandoned_frames_;
          buffer_.clear();
          i = seg = start + 1;
          break;
        }
        if (end == n) {
          buffer_.append(bytes.substr(seg, n - seg));
          return true;
        }
        seg_end = end;
        state_ = State::SawEnd;
        i = end + 1;
        if (i == n) buffer_.append(bytes.substr(seg, seg_end - seg));
        break;
      }
      case State::Skipping: {
        const std::size_t end = find_byte(bytes, i, n, kMllpEnd);
        const std::size_t start = find_byte(bytes, i, end, kMllpStart);
        skipped_bytes_ += start - i;
        if (skipped_bytes_ > max_skipped_bytes_) return fail();
        if (start < end) {
          // The sender gave up on the oversized frame too: nobody waits for its answer.
          junk_bytes_ += 1 + skipped_bytes_;
          ++abandoned_frames_;
          skipped_bytes_ = 0;
          buffer_.clear();
          state_ = State::InFrame;
          i = seg = start + 1;
          break;
        }
        if (end == n) return true;
        state_ = State::SkippedEnd;
        i = end + 1;
        break;
      }
      case State::SawEnd:
      case State::SkippedEnd: {
        if (state_ == State::SawEnd) {
          // seg/seg_end describe this chunk's tail, or an empty range when the end block came
          // at the end of an earlier chunk (the tail is then already in buffer_).
          deliver(sinks, bytes.substr(seg, seg_end - seg));
        } else {
          report_skipped(sinks);
        }
        if (bytes[i] == kMllpTrailer) {
          ++i;
        } else {
          ++bare_end_blocks_;  // re-read this byte outside a frame
        }
        state_ = State::Outside;
        seg = seg_end = 0;
        break;
      }
    }
  }
  return true;
}

void MllpDeframer::deliver(const Sinks& sinks, std::string_view tail) {
  ++messages_;
  if (buffer_.empty()) {
    sinks.message(sinks.message_context, tail);
    return;
  }
  buffer_.append(tail);
  sinks.message(sinks.message_context, buffer_);
  buffer_.clear();
  if (buffer_.capacity() > kKeptBufferBytes) std::string().swap(buffer_);
}

void MllpDeframer::start_skipping(std::string_view tail) {
  skipped_bytes_ = buffer_.size() + tail.size();
  const std::size_t keep = std::min(kOversizeHeadBytes, max_frame_bytes_);
  if (buffer_.size() < keep) buffer_.append(tail.substr(0, keep - buffer_.size()));
  buffer_.resize(std::min(buffer_.size(), keep));
  // Up to the bound was held until now: give it back while the rest goes by.
  if (buffer_.capacity() > kKeptBufferBytes) std::string(buffer_).swap(buffer_);
  state_ = State::Skipping;
}

void MllpDeframer::report_skipped(const Sinks& sinks) {
  const std::size_t frame_bytes = skipped_bytes_;
  skipped_bytes_ = 0;
  sinks.oversize(sinks.oversize_context, buffer_, frame_bytes);
  buffer_.clear();
}

std::string mllp_wrap(std::string_view message) {
  std::string framed;
  framed.reserve(message.size() + 3);
  framed.push_back(kMllpStart);
  framed.append(message);
  framed.push_back(kMllpEnd);
  framed.push_back(kMllpTrailer);
  return framed;
}

}  // namespace vigil::hl7
