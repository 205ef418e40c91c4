#pragma once
// vigilctl board: a compact live table of chairs and alerts for a terminal (the headless
// demo's stand-in for the dashboard). It is the ward model's text face: the model
// (monitor/client/ward_model.hpp) is the dashboard's too, so both show the same chairs,
// values, ages, clocks and alerts, and both blank everything when the link is lost.
// render_board is pure (snapshot in, text out); run_board is the client loop around it.

#include <string>

#include "client/ward_views.hpp"
#include "net/link_security.hpp"

namespace vigil::ctl {

struct BoardArgs {
  std::string connect = "127.0.0.1:7420";  // vigild's stream
  std::string user;                        // sent in the hello; defaults to $USER
  int interval_ms = 1000;                  // redraw period
  bool once = false;                       // print the table after the snapshot, then exit
  bool alarm_display = false;              // say in the hello that a nurse watches this screen
  net::LinkSecurity security;              // --tls --ca --cert --key --token ...
};

/// vigilctl board: redraws until Ctrl-C (or once). Exit 0, 1 if vigild cannot be reached.
int run_board(const BoardArgs& args);

/// The table: a header line (vigild's time, the link, counts), a column header, one line
/// per chair (natural order), "(no chairs yet)" when there are none. Text from the daemon
/// never reaches the terminal as control bytes.
std::string render_board(const client::WardSnapshot& ward);

}  // namespace vigil::ctl
