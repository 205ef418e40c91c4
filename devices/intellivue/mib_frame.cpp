#include "intellivue/mib_frame.hpp"

#include <array>

namespace vigil::intellivue {
namespace {

// RFC 1662 appendix C: the table for the reflected CCITT polynomial (x^16 + x^12 + x^5 + 1,
// 0x8408 in reflected form), built once at compile time.
constexpr std::array<std::uint16_t, 256> make_fcs_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned b = 0; b < 256; ++b) {
    unsigned v = b;
    for (int i = 0; i < 8; ++i) v = (v & 1) ? (v >> 1) ^ 0x8408u : v >> 1;
    table[b] = static_cast<std::uint16_t>(v);
  }
  return table;
}

constexpr std::array<std::uint16_t, 256> kFcsTable = make_fcs_table();

void append_stuffed(std::string& out, std::uint8_t byte) {
  if (byte == kMibBof || byte == kMibEof || byte == kMibEscape) {
    out.push_back(static_cast<char>(kMibEscape));
    out.push_back(static_cast<char>(byte ^ kMibEscapeXor));
  } else {
    out.push_back(static_cast<char>(byte));
  }
}

}  // namespace

std::uint16_t mib_fcs16(std::string_view bytes) {
  std::uint16_t fcs = 0xFFFF;
  for (char c : bytes) {
    fcs = static_cast<std::uint16_t>((fcs >> 8) ^ kFcsTable[(fcs ^ static_cast<std::uint8_t>(c)) & 0xFF]);
  }
  return static_cast<std::uint16_t>(fcs ^ 0xFFFF);
}

std::string encode_mib_frame(std::string_view user_data) {
  if (user_data.size() > kMaxMibUserData) return {};
  std::string unstuffed;
  unstuffed.reserve(kMibHeaderSize + user_data.size());
  unstuffed.push_back(static_cast<char>(kMibProtocolId));
  unstuffed.push_back(static_cast<char>(kMibMessageType));
  unstuffed.push_back(static_cast<char>(user_data.size() >> 8));
  unstuffed.push_back(static_cast<char>(user_data.size() & 0xFF));
  unstuffed.append(user_data);
  const std::uint16_t fcs = mib_fcs16(unstuffed);

  std::string out;
  out.reserve(2 * unstuffed.size() + 6);
  out.push_back(static_cast<char>(kMibBof));
  for (char c : unstuffed) append_stuffed(out, static_cast<std::uint8_t>(c));
  append_stuffed(out, static_cast<std::uint8_t>(fcs & 0xFF));  // low byte first (RFC 1662)
  append_stuffed(out, static_cast<std::uint8_t>(fcs >> 8));
  out.push_back(static_cast<char>(kMibEof));
  return out;
}

MibDeframer::MibDeframer() { frame_.reserve(kMaxMibFrameBytes); }

void MibDeframer::reset() {
  frame_.clear();
  state_ = State::Hunting;
}

std::size_t MibDeframer::feed(std::string_view bytes, std::vector<std::string>& messages_out) {
  std::size_t produced = 0;
  for (char c : bytes) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte == kMibBof) {
      on_bof();
    } else if (byte == kMibEof) {
      on_eof(messages_out, produced);
    } else if (state_ == State::InFrame || state_ == State::Escaped) {
      on_data(byte);
    } else {
      ++counters_.junk_bytes;
    }
  }
  return produced;
}

void MibDeframer::on_bof() {
  if (state_ == State::Escaped) {
    ++counters_.escape_errors;  // 7D C0: a sender never stuffs a flag this way
  } else if (state_ == State::InFrame && !frame_.empty()) {
    ++counters_.unterminated_frames;
  }
  frame_.clear();
  state_ = State::InFrame;
}

void MibDeframer::on_eof(std::vector<std::string>& messages_out, std::size_t& produced) {
  switch (state_) {
    case State::Hunting: ++counters_.junk_bytes; break;
    case State::Discarding: ++counters_.junk_bytes; break;  // the oversize frame is over
    case State::Escaped: ++counters_.aborts; break;         // 7D C1: the sender gave up
    case State::InFrame:
      // C0 C1 (nothing between) is no frame at all: count it with the short ones.
      finish_frame(messages_out, produced);
      break;
  }
  frame_.clear();
  state_ = State::Hunting;
}

void MibDeframer::on_data(std::uint8_t byte) {
  if (state_ == State::InFrame && byte == kMibEscape) {
    state_ = State::Escaped;
    return;
  }
  if (state_ == State::Escaped) {
    byte = static_cast<std::uint8_t>(byte ^ kMibEscapeXor);
    state_ = State::InFrame;
  }
  if (frame_.size() >= kMaxMibFrameBytes) {
    ++counters_.oversize_frames;
    counters_.junk_bytes += frame_.size() + 1;
    frame_.clear();
    state_ = State::Discarding;
    return;
  }
  frame_.push_back(static_cast<char>(byte));
}

void MibDeframer::finish_frame(std::vector<std::string>& messages_out, std::size_t& produced) {
  const std::string_view frame(frame_);
  if (frame.size() < kMibHeaderSize + kMibFcsSize) {
    ++counters_.header_errors;
    return;
  }
  const std::string_view covered = frame.substr(0, frame.size() - kMibFcsSize);
  const auto lo = static_cast<std::uint8_t>(frame[frame.size() - 2]);
  const auto hi = static_cast<std::uint8_t>(frame[frame.size() - 1]);
  if (mib_fcs16(covered) != static_cast<std::uint16_t>(lo | (hi << 8))) {
    ++counters_.fcs_errors;
    return;
  }
  const auto length = static_cast<std::size_t>((static_cast<std::uint8_t>(frame[2]) << 8) |
                                               static_cast<std::uint8_t>(frame[3]));
  if (static_cast<std::uint8_t>(frame[0]) != kMibProtocolId ||
      static_cast<std::uint8_t>(frame[1]) != kMibMessageType || length != covered.size() - kMibHeaderSize) {
    ++counters_.header_errors;
    return;
  }
  messages_out.emplace_back(covered.substr(kMibHeaderSize));
  ++counters_.frames;
  ++produced;
}

}  // namespace vigil::intellivue
