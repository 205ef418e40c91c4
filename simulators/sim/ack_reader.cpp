#include "sim/ack_reader.hpp"

namespace vigil::sim {

namespace {
constexpr char kStart = 0x0B;
constexpr char kEnd = 0x1C;
constexpr char kCr = 0x0D;
constexpr std::size_t kMaxReady = 256;  // ACKs we have not looked at yet; more is a flood
}  // namespace

std::string mllp_frame(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 3);
  out += kStart;
  out += message;
  out += kEnd;
  out += kCr;
  return out;
}

void ReplyDeframer::feed(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (c == kStart) {  // a start byte always begins a new frame (resync)
      in_frame_ = true;
      saw_fs_ = false;
      current_.clear();
      continue;
    }
    if (!in_frame_) continue;
    if (saw_fs_) {
      saw_fs_ = false;
      if (c == kCr) {
        if (ready_.size() >= kMaxReady) ready_.pop_front();
        ready_.push_back(std::move(current_));
        current_.clear();
        in_frame_ = false;
        continue;
      }
      current_ += kEnd;  // a lone 0x1C inside the payload
    }
    if (c == kEnd) {
      saw_fs_ = true;
      continue;
    }
    if (current_.size() >= max_) {
      ++oversize_;
      in_frame_ = false;
      current_.clear();
      continue;
    }
    current_ += c;
  }
}

std::optional<std::string> ReplyDeframer::next() {
  if (ready_.empty()) return std::nullopt;
  std::string out = std::move(ready_.front());
  ready_.pop_front();
  return out;
}

void ReplyDeframer::reset() {
  in_frame_ = false;
  saw_fs_ = false;
  current_.clear();
  ready_.clear();
}

std::optional<Ack> parse_ack(std::string_view message) {
  if (message.size() < 8 || message.substr(0, 3) != "MSH") return std::nullopt;
  const char sep = message[3];
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t end = message.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = message.size();
    std::string_view seg = message.substr(pos, end - pos);
    pos = end + 1;
    if (seg.size() < 4 || seg.substr(0, 3) != "MSA" || seg[3] != sep) continue;
    seg.remove_prefix(4);
    const std::size_t bar = seg.find(sep);
    Ack ack;
    ack.code = std::string(seg.substr(0, bar));
    if (bar != std::string_view::npos) {
      std::string_view rest = seg.substr(bar + 1);
      ack.control_id = std::string(rest.substr(0, rest.find(sep)));
    }
    if (ack.code.empty()) return std::nullopt;
    return ack;
  }
  return std::nullopt;
}

}  // namespace vigil::sim
