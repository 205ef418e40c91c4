// vigilctl board: a compact live table of chairs and alerts, redrawn every second.
// On a terminal it clears the screen and redraws in place (ANSI); piped, it prints each
// table after the previous one, so a log or a test can read it.
//
// The table is the ward model's snapshot (monitor/client/ward_model.hpp) as text: times are
// vigild's (a demo daemon running 25x faster shows simulated minutes), values are blanked
// ("NO DATA") while the link is down, a value the dashboard greys says "old" and "ago", and
// the top alert is the first of the dashboard's list.
//
// Threading: one io_context on the main thread runs the client, the redraw timer and the
// signal handler.

#include "net/asio.hpp"

#include "ctl/board.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>

#include "client/stream_client.hpp"
#include "client/ward_model.hpp"
#include "client/ward_rules.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"
#include "ctl/stream_target.hpp"
#include "net/host_port.hpp"

namespace vigil::ctl {

namespace {

// Text from the daemon goes to a terminal: control bytes (escape sequences, newlines)
// would redraw or break the table, so they become '?'.
std::string printable(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return s;
}

// The first `chars` characters of UTF-8 text (one column each, near enough for the Latin
// scripts of chair names): cutting by bytes could split a character ("FAUTEUIL-\xC3").
std::string first_chars(std::string s, std::size_t chars, std::size_t* kept = nullptr) {
  std::size_t count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (count == chars) break;
    ++count;
  }
  s.resize(i);
  if (kept) *kept = count;
  return s;
}

// A cell `width` columns wide that always ends in at least one space, so two cells never
// run together ("CHAIR1970monitoring"). Text too long for it is cut and ends in "…": a cut
// chair name must not pass for another chair's ("FAUTEUIL-" for both FAUTEUIL-é and -è).
std::string fit(std::string s, std::size_t width) {
  std::size_t chars = 0;
  s = first_chars(printable(std::move(s)), width, &chars);
  if (chars >= width) {
    s = first_chars(std::move(s), width - 2, &chars) + "\u2026";
    ++chars;
  }
  s.append(width - chars, ' ');
  return s;
}

// The chair column fits the longest chair name (a name is what tells chairs apart), from the
// header's 9 up to 32 characters; longer names are cut with "…".
constexpr std::size_t kChairColumnMin = 9;
constexpr std::size_t kChairColumnMax = 33;

std::size_t chair_column(const client::WardSnapshot& w) {
  std::size_t widest = kChairColumnMin - 1;
  for (const auto& c : w.chairs) {
    std::size_t chars = 0;
    first_chars(printable(c.bed), kChairColumnMax, &chars);
    widest = std::max(widest, chars);
  }
  return std::min(widest + 1, kChairColumnMax);
}

// "paused 123:45", "old 150?/100? (140/100)", "old 150? PR", "old 100?%", "bp 2 h 05 min ago
// hr 2 h 05 min ago spo2 2 h 05 min ago" and "silent 12 h 05 min" fit whole, with the
// column's space after them.
constexpr std::size_t kClockColumn = 14;
constexpr std::size_t kBpColumn = 24;
constexpr std::size_t kHrColumn = 12;
constexpr std::size_t kSpo2Column = 10;
constexpr std::size_t kAgesColumn = 56;
constexpr std::size_t kLinkColumn = 20;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string link_text(const client::WardSnapshot& w) {
  switch (w.link) {
    case client::LinkView::Connected:
      return w.data_valid ? "connected" : "connected, waiting for the snapshot";
    case client::LinkView::Connecting: return "connecting";
    case client::LinkView::Lost: break;
  }
  return "lost (" + w.link_detail + ")";
}

std::string clock_cell(const client::ChairView& c) {
  if (c.recovery_ms) return "rec +" + client::clock_text(*c.recovery_ms);
  if (c.infusion_running)
    return (c.infusion_paused ? "paused " : "inf ") + client::clock_text(c.infusion_elapsed_ms);
  return "-";
}

// The chair's monitor links: a lost or silent one first; then a monitor vigild raised T1 for,
// in the words of that alarm on the dashboard (HL7 monitors announce no link state, and
// T1 comes 15 s into a silence, well before the newest value looks old); without either,
// judged by the newest value.
std::string link_cell(const client::ChairView& c) {
  const client::DeviceView* shown = nullptr;
  for (const auto& d : c.devices) {
    if (!shown || d.state == proto::lost || d.state == proto::silent) shown = &d;
  }
  const bool shown_down = shown && (shown->state == proto::lost || shown->state == proto::silent);
  if (shown_down) return shown->transport + " " + word(shown->state);
  if (!c.silent_monitors.empty()) {
    std::string text = "no data from " + c.silent_monitors.front();
    if (c.silent_monitors.size() > 1) text += " +" + std::to_string(c.silent_monitors.size() - 1);
    return text;
  }
  if (shown) return shown->transport + " " + word(shown->state);
  if (!c.data_age_ms) return "-";
  return *c.data_age_ms <= 60'000 ? "data ok" : "silent " + client::age_text(*c.data_age_ms);
}

// A number as its cell shows it: "?" marks a value the device flagged or Vigil found
// implausible, as on every face.
std::string value_text(const client::VitalView& v) { return number(*v.value) + (v.unverified ? "?" : ""); }

// A value older than its cycle is greyed, with "5 min ago", on the dashboard and the web
// view. A terminal table cannot grey, so its cell starts with "old": a glance down one column
// never takes an old number for a current one.
std::string old_mark(bool stale) { return stale ? "old " : ""; }

std::string alert_cell(const client::ChairView& c) {
  if (c.alerts.empty()) return "-";
  const client::AlertView& top = c.alerts.front();
  std::string out = (top.advisory ? std::string("ADVISORY") : std::string(client::to_string(top.priority))) +
                    " " + word(top.rule) + " " + top.message + " [" + word(top.state) + "]";
  if (!top.escalation.empty()) out += " (" + top.escalation + ")";
  if (c.alerts.size() > 1) out += " +" + std::to_string(c.alerts.size() - 1);
  return out;
}

std::string row(const client::ChairView& c, bool data_valid, std::size_t chair_width) {
  std::string line = fit(c.bed, chair_width) + fit(word(c.phase), 11);
  if (!data_valid) {
    // The link is down or the snapshot has not come: nothing shown is current.
    return line + fit("-", kClockColumn) + fit("NO DATA", kBpColumn) + fit("-", kHrColumn) +
           fit("-", kSpo2Column) + fit("", kAgesColumn) + fit("-", kLinkColumn) +
           "alerts unknown: no data from vigild";
  }
  std::string bp = "-", hr = "-", spo2 = "-", ages;
  constexpr auto stale = client::Freshness::Stale;
  if (c.sys.value) {
    // One reading of the cuff: old if either half is (as the web view greys it).
    const bool old = c.sys.freshness == stale || (c.dia.value && c.dia.freshness == stale);
    bp = old_mark(old) + value_text(c.sys) + "/" + (c.dia.value ? value_text(c.dia) : "--");
    if (c.baseline_sys && c.baseline_dia)
      bp += " (" + number(*c.baseline_sys) + "/" + number(*c.baseline_dia) + ")";
    ages += "bp " + client::shown_age(c.sys) + " ";
  }
  if (c.hr.value) {
    // "PR": the monitor's pulse rate, standing in for an ECG HR that is absent or old.
    hr = old_mark(c.hr.freshness == stale) + value_text(c.hr) + (c.hr.from_pulse ? " PR" : "");
    ages += "hr " + client::shown_age(c.hr) + " ";
  }
  if (c.spo2.value) {
    spo2 = old_mark(c.spo2.freshness == stale) + value_text(c.spo2) + "%";
    ages += "spo2 " + client::shown_age(c.spo2);
  }
  if (c.device_lost) bp = "MONITOR LOST";
  return line + fit(clock_cell(c), kClockColumn) + fit(bp, kBpColumn) + fit(hr, kHrColumn) +
         fit(spo2, kSpo2Column) + fit(ages, kAgesColumn) + fit(link_cell(c), kLinkColumn) +
         first_chars(printable(alert_cell(c)), 160);
}

}  // namespace

std::string render_board(const client::WardSnapshot& w) {
  int counts[4] = {0, 0, 0, 0};
  int advisories = 0;
  for (const auto& a : w.alerts) {
    if (a.advisory)
      ++advisories;
    else
      ++counts[static_cast<int>(a.priority) & 3];
  }
  std::string out = "vigil board  vigild time " +
                    (w.server_time_known ? format_rfc3339(w.server_now_ms) : "?") + "  link " +
                    printable(link_text(w)) + "  chairs " + std::to_string(w.chairs.size());
  if (w.data_valid) {
    out += "  alerts: " + std::to_string(counts[3]) + " HIGH, " + std::to_string(counts[2]) + " MEDIUM, " +
           std::to_string(counts[1]) + " LOW";
    if (advisories > 0) out += ", " + std::to_string(advisories) + " advisories";
  } else {
    out += "  NO DATA: values and alerts unknown";
  }
  if (w.dropped > 0) {
    out += "  NOT SHOWN: " + std::to_string(w.dropped) + " (this screen holds " +
           std::to_string(client::WardModel::kMaxChairs) + " chairs, " +
           std::to_string(client::WardModel::kMaxAlertsPerChair) + " alerts each)";
  }
  out += "\n";
  const std::size_t chair_width = chair_column(w);
  out += fit("CHAIR", chair_width) + fit("PHASE", 11) + fit("CLOCK", kClockColumn) +
         fit("BP (BASE)", kBpColumn) + fit("HR", kHrColumn) + fit("SPO2", kSpo2Column) +
         fit("AGES", kAgesColumn) + fit("LINK", kLinkColumn) + "TOP ALERT\n";
  for (const auto& c : w.chairs) out += row(c, w.data_valid, chair_width) + "\n";
  if (w.chairs.empty()) out += "(no chairs yet)\n";
  return out;
}

int run_board(const BoardArgs& args) {
  const auto address = stream_target(args.connect, args.security);
  if (!address) return 2;
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  boost::asio::io_context io;
  client::StreamClient::Options options;
  options.host = address->first;
  options.port = address->second;
  options.client_name = "vigilctl board";
  options.user = args.user;
  options.alarm_display = args.alarm_display;
  // An alarm display's heartbeats are its receipt confirmations (T2 after 30 s without). A
  // demo daemon running 100x faster needs them well within 0.3 real seconds.
  if (args.alarm_display) options.heartbeat_interval = std::chrono::milliseconds(100);
  options.reconnect = !args.once;
  options.security = args.security;

  client::WardModel model(args.user);
  bool ever_connected = false;
  int exit_code = 0;
  client::StreamClient* client_ptr = nullptr;
  boost::asio::steady_timer redraw(io);
  auto draw = [&] {
    const std::string table = render_board(model.snapshot(wall_now_ms()));
    if (tty) std::cout << "\x1b[H\x1b[2J";  // home, clear: redraw in place
    std::cout << table << (tty ? "" : "\n");
    std::cout.flush();
  };
  auto finish = [&](int code) {
    exit_code = code;
    redraw.cancel();
    client_ptr->stop();
    io.stop();
  };

  client::StreamClient::Handlers handlers;
  handlers.on_hello = [&](const proto::ServerHello& hello) {
    if (hello.accepted()) model.on_hello(hello, wall_now_ms());
  };
  handlers.on_message = [&](const proto::ServerMessage& m) {
    model.on_message(m, wall_now_ms());
    if (args.once && m.body_case() == proto::ServerMessage::kSnapshotEnd) {
      draw();
      finish(0);
    }
  };
  handlers.on_skipped = [](const std::string& detail, std::uint64_t) {
    std::cerr << "vigilctl: " << detail << "\n";
  };
  handlers.on_link = [&](client::LinkState state, net::LinkError error, const std::string& detail) {
    model.on_link(client::to_view(state), detail, wall_now_ms());
    if (state == client::LinkState::Connected) {
      ever_connected = true;
      return;
    }
    if (state != client::LinkState::Lost) return;
    if (!ever_connected) {
      std::cerr << "vigilctl: cannot connect to " << args.connect << ": " << detail
                << (args.once ? " (is vigild running? check --connect)\n" : " (retrying)\n");
    }
    if (args.once || net::is_final(error)) finish(1);  // final: the client will not retry
  };

  client::StreamClient client(io, options, handlers);
  client_ptr = &client;
  std::function<void()> tick = [&] {
    redraw.expires_after(std::chrono::milliseconds(std::max(args.interval_ms, 100)));
    redraw.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      draw();
      tick();
    });
  };
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) finish(0);
  });
  client.start();
  if (!args.once) tick();
  io.run();
  client.stop();
  return exit_code;
}

}  // namespace vigil::ctl
