#pragma once
// Feeds a ward model what a daemon sends on connect: link up, the hello, and one snapshot of
// `beds` stated at daemon time `server_now` while the local clock reads `now`. Shared by the
// tests of the model's two faces (board text, dashboard panels).

#include <cstdint>
#include <vector>

#include "client/ward_model.hpp"
#include "stream.pb.h"

namespace vigil::test {

inline void connect_with_snapshot(client::WardModel& model, const std::vector<proto::BedState>& beds,
                                  std::int64_t now, std::int64_t server_now) {
  model.on_link(client::LinkView::Connected, "", now);
  proto::ServerHello hello;
  hello.set_accepted(true);
  hello.set_server_time_ms(server_now);
  model.on_hello(hello, now);
  proto::ServerMessage begin;
  begin.mutable_snapshot_begin()->set_server_time_ms(server_now);
  model.on_message(begin, now);
  for (const auto& b : beds) {
    proto::ServerMessage m;
    *m.mutable_bed_state() = b;
    model.on_message(m, now);
  }
  proto::ServerMessage end;
  end.mutable_snapshot_end();
  model.on_message(end, now);
}

}  // namespace vigil::test
