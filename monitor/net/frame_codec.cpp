#include "net/frame_codec.hpp"

#include <algorithm>

namespace vigil::net {

namespace {
// A 64-bit varint is at most 10 bytes; anything longer is malformed.
constexpr std::size_t kMaxVarintBytes = 10;

void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}
}  // namespace

std::string encode_frame(const google::protobuf::MessageLite& message) {
  const std::size_t size = message.ByteSizeLong();
  std::string out;
  out.reserve(size + kMaxVarintBytes);
  append_varint(out, size);
  message.AppendToString(&out);
  return out;
}

FrameDecoder::FrameDecoder(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

FrameDecoder::Prefix FrameDecoder::take_prefix_byte(unsigned char byte) {
  prefix_.push_back(static_cast<char>(byte));
  if (byte & 0x80) {
    // Continuation: a prefix that has not ended within 10 bytes is garbage.
    return prefix_.size() >= kMaxVarintBytes ? Prefix::Bad : Prefix::NeedMore;
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < prefix_.size(); ++i) {
    const auto b = static_cast<std::uint64_t>(static_cast<unsigned char>(prefix_[i]) & 0x7f);
    // Past 63 bits only the lowest bit of the tenth byte fits; more is an overflow.
    if (i == 9 && b > 1) return Prefix::Bad;
    value |= b << (7 * i);
  }
  // Checked before allocating anything for the payload: the bound on memory.
  if (value > max_frame_bytes_) return Prefix::Bad;
  want_ = value;
  prefix_.clear();
  return Prefix::Done;
}

bool FrameDecoder::feed(std::string_view bytes, std::vector<std::string>& out) {
  if (failed_) return false;
  std::size_t pos = 0;
  while (pos < bytes.size() || (in_payload_ && payload_.size() == want_)) {
    if (!in_payload_) {
      const Prefix p = take_prefix_byte(static_cast<unsigned char>(bytes[pos++]));
      if (p == Prefix::Bad) {
        failed_ = true;
        prefix_.clear();
        payload_.clear();
        return false;
      }
      if (p == Prefix::NeedMore) continue;
      in_payload_ = true;
      // Grow with the bytes that actually arrive, so a lying prefix costs nothing up front.
      payload_.reserve(std::min<std::size_t>(static_cast<std::size_t>(want_), 64 * 1024));
    }
    const std::size_t take =
        std::min<std::size_t>(static_cast<std::size_t>(want_) - payload_.size(), bytes.size() - pos);
    payload_.append(bytes.data() + pos, take);
    pos += take;
    if (payload_.size() == want_) {
      out.push_back(std::move(payload_));
      payload_.clear();
      in_payload_ = false;
      want_ = 0;
    }
  }
  return true;
}

}  // namespace vigil::net
