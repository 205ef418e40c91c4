// libFuzzer: vigilctl board's face of the ward model fed arbitrary server messages (any
// field values the daemon, or something pretending to be it, could send), then rendered.

#include <cstddef>
#include <cstdint>

#include "client/ward_model.hpp"
#include "ctl/board.hpp"
#include "stream.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigil::client::WardModel model;
  model.on_link(vigil::client::LinkView::Connected, "", 1'800'000'000'000);
  // Several messages: the first byte of each chunk is its length.
  std::size_t at = 0;
  while (at < size) {
    const std::size_t n = data[at++];
    const std::size_t take = n < size - at ? n : size - at;
    vigil::proto::ServerMessage m;
    if (m.ParseFromArray(data + at, static_cast<int>(take))) model.on_message(m, 1'800'000'000'000);
    at += take;
  }
  const std::string table = vigil::ctl::render_board(model.snapshot(1'800'000'000'000));
  if (model.chairs() > vigil::client::WardModel::kMaxChairs) __builtin_trap();
  for (char c : table)
    if (c == '\x1b') __builtin_trap();  // daemon text must never reach the terminal as escapes
  return 0;
}
