#include "datex/s5_deframer.hpp"

#include "datex/s5_bytes.hpp"
#include "datex/s5_record.hpp"

namespace vigil::datex {

namespace {
// The unstuffed frame is the record plus one checksum byte.
constexpr std::size_t kMaxFrameBytes = kMaxRecordSize + 1;
}  // namespace

S5Deframer::S5Deframer() { frame_.reserve(kMaxFrameBytes); }

void S5Deframer::reset() {
  frame_.clear();
  state_ = State::Hunting;
}

std::size_t S5Deframer::feed(std::string_view bytes, std::vector<std::string>& records_out) {
  std::size_t produced = 0;
  for (char c : bytes) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte == kFlag) {
      on_flag(records_out, produced);
      continue;
    }
    switch (state_) {
      case State::Hunting:
      case State::Discarding: ++counters_.junk_bytes; break;
      case State::InFrame:
      case State::Escaped: on_data_byte(byte); break;
    }
  }
  return produced;
}

void S5Deframer::on_flag(std::vector<std::string>& records_out, std::size_t& produced) {
  if (state_ == State::Escaped) {
    // 7D 7E cannot be produced by a correct sender: the frame was cut short.
    ++counters_.escape_errors;
  } else if (state_ == State::InFrame && !frame_.empty()) {
    finish_frame(records_out, produced);
  }
  // Whatever came before, this flag may open the next frame. An empty frame (7E 7E) is
  // simply a closing flag followed by an opening one.
  frame_.clear();
  state_ = State::InFrame;
}

void S5Deframer::on_data_byte(std::uint8_t byte) {
  if (state_ == State::InFrame && byte == kEscape) {
    state_ = State::Escaped;
    return;
  }
  if (state_ == State::Escaped) {
    // Restore bit 5 (VSCapture's "| 0x7C" corrupts other bits; do not repeat it).
    byte = static_cast<std::uint8_t>(byte | kEscapeBit);
    state_ = State::InFrame;
  }
  if (frame_.size() >= kMaxFrameBytes) {
    ++counters_.runaway_frames;
    ++counters_.junk_bytes;
    frame_.clear();
    state_ = State::Discarding;
    return;
  }
  frame_.push_back(static_cast<char>(byte));
}

void S5Deframer::finish_frame(std::vector<std::string>& records_out, std::size_t& produced) {
  const std::string_view frame(frame_);
  const std::string_view record = frame.substr(0, frame.size() - 1);
  std::uint8_t sum = 0;
  for (char c : record) sum = static_cast<std::uint8_t>(sum + static_cast<std::uint8_t>(c));
  if (sum != static_cast<std::uint8_t>(frame.back())) {
    ++counters_.checksum_errors;
    return;
  }
  if (record.size() < kHeaderSize || detail::get_u16(record, 0) != record.size()) {
    ++counters_.length_errors;
    return;
  }
  records_out.emplace_back(record);
  ++counters_.records;
  ++produced;
}

}  // namespace vigil::datex
