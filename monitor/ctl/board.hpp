#pragma once
// vigilctl board: a compact live table of chairs and alerts for a terminal (the headless
// demo's stand-in for the dashboard). BoardModel is pure (server messages in, text out);
// run_board is the client loop around it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "net/link_security.hpp"
#include "stream.pb.h"

namespace vigil::ctl {

struct BoardArgs {
  std::string connect = "127.0.0.1:7420";  // vigild's stream
  std::string user;                        // sent in the hello; defaults to $USER
  int interval_ms = 1000;                  // redraw period
  bool once = false;                       // print the table after the snapshot, then exit
  bool alarm_display = false;              // say in the hello that a nurse watches this screen
  net::LinkSecurity security;           // --tls --ca --cert --key --token ...
};

/// vigilctl board: redraws until Ctrl-C (or once). Exit 0, 1 if vigild cannot be reached.
int run_board(const BoardArgs& args);

/// What the board knows about each chair, built from the stream. Bounded: at most
/// kMaxBeds chairs and kMaxAlertsPerBed alerts each (more are ignored, counted in dropped()).
class BoardModel {
 public:
  static constexpr std::size_t kMaxBeds = 512;
  static constexpr std::size_t kMaxAlertsPerBed = 64;

  /// Feeds one server message (snapshot parts, readings, alerts, sessions, devices).
  void apply(const proto::ServerMessage& message);
  /// vigild's clock as last seen (hello, snapshot, newest event); 0 before any.
  std::int64_t server_now_ms() const { return server_now_ms_; }
  void note_server_time(std::int64_t ms);
  /// The table: a header line, one line per chair (sorted by name), then a summary line.
  std::string render(const std::string& link) const;
  std::size_t beds() const { return beds_.size(); }
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct Bed {
    std::map<int, proto::Reading> latest;            // by VitalKind
    std::map<std::string, proto::AlertEvent> alerts;  // active, by id
    proto::SessionInfo session;
    bool has_session = false;
    std::string phase;
    std::map<std::string, proto::DeviceStatus> devices;  // by source
  };
  Bed* bed(const std::string& name);
  std::string row(const std::string& name, const Bed& b) const;

  std::map<std::string, Bed> beds_;
  std::int64_t server_now_ms_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace vigil::ctl
