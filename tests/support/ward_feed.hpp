#pragma once
// Feeds a ward model what a daemon sends on connect: link up, the hello, and one snapshot of
// `beds` stated at daemon time `server_now` while the local clock reads `now`. Shared by the
// tests of the model's two faces (board text, dashboard panels), with the chair and clock
// they both start from.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "client/ward_model.hpp"
#include "stream.pb.h"

namespace vigil::test {

inline constexpr std::int64_t kT0 = 1'800'000'000'000;  // the local wall clock at the start
inline constexpr std::int64_t kMin = 60'000;

// A chair in `phase` whose last NIBP (150/90, mean 110) was measured and received at `nibp_at`.
inline proto::BedState chair_with_nibp(const std::string& name, proto::Phase phase, std::int64_t nibp_at) {
  proto::BedState b;
  b.set_bed(name);
  b.set_phase(phase);
  for (auto [kind, v] :
       {std::pair{proto::NIBP_SYS, 150.0}, {proto::NIBP_DIA, 90.0}, {proto::NIBP_MEAN, 110.0}}) {
    auto* r = b.add_latest();
    r->set_bed(name);
    r->set_kind(kind);
    r->set_value(v);
    r->set_measured_at_ms(nibp_at);
    r->set_received_at_ms(nibp_at);
    r->set_valid(true);
  }
  return b;
}

// A live reading of `kind` for `bed`, measured and received at `at_ms`, valid.
inline proto::ServerMessage reading_message(const std::string& bed, proto::VitalKind kind, double value,
                                            std::int64_t at_ms) {
  proto::ServerMessage m;
  proto::Reading& r = *m.mutable_reading();
  r.set_bed(bed);
  r.set_kind(kind);
  r.set_value(value);
  r.set_measured_at_ms(at_ms);
  r.set_received_at_ms(at_ms);
  r.set_valid(true);
  return m;
}

// The monitor taking back its `kind` value stamped `stamp` (OBX-11 W), arriving at `at`.
inline proto::ServerMessage withdrawal_message(const std::string& bed, proto::VitalKind kind,
                                               std::int64_t stamp, std::int64_t at,
                                               const std::string& source = {}) {
  proto::ServerMessage m = reading_message(bed, kind, 0, at);
  proto::Reading& r = *m.mutable_reading();
  r.set_measured_at_ms(stamp);
  r.set_valid(false);
  r.set_status("W");
  r.set_withdrawn(true);
  r.set_source(source);
  return m;
}

// The board's row for `bed` (`vigilctl board` text), "" when it has none.
inline std::string board_row(const std::string& table, const std::string& bed) {
  std::size_t at = table.find("\n" + bed + " ");
  if (at == std::string::npos) return "";
  ++at;
  return table.substr(at, table.find('\n', at) - at);
}

// The column where the board's header word `header` (e.g. " HR ") starts its cell.
inline std::size_t board_column(const std::string& table, const std::string& header) {
  const std::size_t at = table.find(header);
  return at + 1 - table.rfind('\n', at) - 1;
}

// The chair named `bed` in a snapshot; a test failure (and an empty view) when it is missing.
inline const client::ChairView& chair_of(const client::WardSnapshot& s, const std::string& bed) {
  for (const auto& c : s.chairs)
    if (c.bed == bed) return c;
  static const client::ChairView none;
  ADD_FAILURE() << "no chair " << bed;
  return none;
}

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
