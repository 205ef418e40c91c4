// libFuzzer: vigilctl board's model fed arbitrary server messages (any field values the
// daemon, or something pretending to be it, could send), then rendered.

#include <cstddef>
#include <cstdint>

#include "ctl/board.hpp"
#include "stream.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigil::ctl::BoardModel model;
  // Several messages: the first byte of each chunk is its length.
  std::size_t at = 0;
  while (at < size) {
    const std::size_t n = data[at++];
    const std::size_t take = n < size - at ? n : size - at;
    vigil::proto::ServerMessage m;
    if (m.ParseFromArray(data + at, static_cast<int>(take))) model.apply(m);
    at += take;
  }
  const std::string table = model.render("connected");
  if (model.beds() > vigil::ctl::BoardModel::kMaxBeds) __builtin_trap();
  for (char c : table)
    if (c == '\x1b') __builtin_trap();  // daemon text must never reach the terminal as escapes
  return 0;
}
