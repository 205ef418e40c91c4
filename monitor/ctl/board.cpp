// vigilctl board: a compact live table of chairs and alerts, redrawn every second.
// On a terminal it clears the screen and redraws in place (ANSI); piped, it prints each
// table after the previous one, so a log or a test can read it.
//
// Times are vigild's: the board keeps the newest server time it has seen (hello, snapshot,
// event timestamps) and computes value ages and infusion clocks from it, so a demo daemon
// running 25x faster shows simulated minutes, not real ones.
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

#include "net/host_port.hpp"
#include "client/stream_client.hpp"
#include "common/wall_time.hpp"

namespace vigil::ctl {

namespace {

int priority_rank(const std::string& p) {
  if (p == "HIGH") return 3;
  if (p == "MEDIUM") return 2;
  if (p == "LOW") return 1;
  return 0;
}

// a - b without overflow: the times come from the daemon and could be anything.
std::int64_t diff_ms(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return a < b ? INT64_MIN : INT64_MAX;
  return out;
}

// When vigild received a reading, on its clock: what decides which value is current and
// how old it is. The monitor's own stamp (measured_at) may be hours off.
std::int64_t arrived_ms(const proto::Reading& r) {
  return r.received_at_ms() != 0 ? r.received_at_ms() : r.measured_at_ms();
}

// "12s", "4m", "2h": how old a value is.
std::string age_text(std::int64_t ms) {
  if (ms < 0) ms = 0;
  char buf[16];
  if (ms < 60'000) std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
  else if (ms < 3'600'000) std::snprintf(buf, sizeof buf, "%lldm", static_cast<long long>(ms / 60'000));
  else std::snprintf(buf, sizeof buf, "%lldh", static_cast<long long>(ms / 3'600'000));
  return buf;
}

// "23:10" (minutes:seconds, minutes may exceed 59).
std::string clock_text(std::int64_t ms) {
  if (ms < 0) ms = 0;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(ms / 60'000),
                static_cast<long long>((ms / 1000) % 60));
  return buf;
}

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

std::string fit(std::string s, std::size_t width) {
  std::size_t chars = 0;
  s = first_chars(printable(std::move(s)), width, &chars);
  s.append(width - chars, ' ');
  return s;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

}  // namespace

void BoardModel::note_server_time(std::int64_t ms) { server_now_ms_ = std::max(server_now_ms_, ms); }

BoardModel::Bed* BoardModel::bed(const std::string& name) {
  auto it = beds_.find(name);
  if (it != beds_.end()) return &it->second;
  if (name.empty() || beds_.size() >= kMaxBeds) {
    ++dropped_;
    return nullptr;
  }
  return &beds_[name];
}

void BoardModel::apply(const proto::ServerMessage& m) {
  switch (m.body_case()) {
    case proto::ServerMessage::kSnapshotBegin:
      note_server_time(m.snapshot_begin().server_time_ms());
      break;
    case proto::ServerMessage::kBedState: {
      const proto::BedState& s = m.bed_state();
      Bed* b = bed(s.bed());
      if (!b) return;
      b->latest.clear();
      for (const proto::Reading& r : s.latest())
        if (proto::VitalKind_IsValid(r.kind())) b->latest[r.kind()] = r;
      b->alerts.clear();
      for (const proto::AlertEvent& a : s.active_alerts())
        if (b->alerts.size() < kMaxAlertsPerBed) b->alerts[a.id()] = a;
      b->has_session = s.has_session();
      b->session = s.session();
      b->phase = s.phase();
      b->devices.clear();
      for (const proto::DeviceStatus& d : s.devices()) b->devices[d.source()] = d;
      break;
    }
    case proto::ServerMessage::kReading: {
      const proto::Reading& r = m.reading();
      if (!proto::VitalKind_IsValid(r.kind())) return;  // an open enum: keep the map bounded
      Bed* b = bed(r.bed());
      if (!b) return;
      note_server_time(r.received_at_ms());
      auto& slot = b->latest[r.kind()];
      if (arrived_ms(slot) <= arrived_ms(r)) slot = r;
      if (!r.phase().empty()) b->phase = r.phase();
      break;
    }
    case proto::ServerMessage::kAlert: {
      const proto::AlertEvent& a = m.alert();
      Bed* b = bed(a.bed());
      if (!b) return;
      note_server_time(a.at_ms());
      if (a.state() == "RESOLVED") {
        b->alerts.erase(a.id());
      } else if (b->alerts.count(a.id()) || b->alerts.size() < kMaxAlertsPerBed) {
        b->alerts[a.id()] = a;
      } else {
        ++dropped_;
      }
      break;
    }
    case proto::ServerMessage::kSession: {
      const proto::SessionEvent& e = m.session();
      Bed* b = bed(e.bed());
      if (!b) return;
      note_server_time(e.at_ms());
      b->session = e.session();
      b->has_session = e.event() != "ended";
      b->phase = e.event() == "ended" ? "closed" : e.session().phase();
      break;
    }
    case proto::ServerMessage::kDevice: {
      const proto::DeviceStatus& d = m.device();
      Bed* b = bed(d.bed());
      if (!b) return;
      note_server_time(d.at_ms());
      if (b->devices.count(d.source()) || b->devices.size() < 8) b->devices[d.source()] = d;
      break;
    }
    default:
      break;
  }
}

std::string BoardModel::row(const std::string& name, const Bed& b) const {
  const std::int64_t now = server_now_ms_;
  const std::string phase = b.has_session ? b.session.phase() : (b.phase.empty() ? "monitoring" : b.phase);
  std::string clock = "-";
  if (b.has_session && phase == "infusion") {
    std::int64_t elapsed = b.session.infusion_elapsed_ms();
    if (!b.session.infusion_paused() && __builtin_add_overflow(elapsed, diff_ms(now, b.session.snapshot_at_ms()), &elapsed))
      elapsed = 0;
    clock = (b.session.infusion_paused() ? "paused " : "inf ") + clock_text(elapsed);
  } else if (b.has_session && phase == "recovery" && b.session.infusion_stopped_at_ms() > 0) {
    clock = "rec +" + clock_text(diff_ms(now, b.session.infusion_stopped_at_ms()));
  }
  auto latest = [&](proto::VitalKind k) -> const proto::Reading* {
    auto it = b.latest.find(k);
    return it == b.latest.end() ? nullptr : &it->second;
  };
  std::string bp = "-", ages;
  if (const auto* sys = latest(proto::NIBP_SYS)) {
    const auto* dia = latest(proto::NIBP_DIA);
    bp = number(sys->value()) + "/" + (dia ? number(dia->value()) : "?");
    if (sys->has_baseline_sys_mmhg() && sys->has_baseline_dia_mmhg())
      bp += " (" + number(sys->baseline_sys_mmhg()) + "/" + number(sys->baseline_dia_mmhg()) + ")";
    ages += "bp " + age_text(diff_ms(now, arrived_ms(*sys))) + " ";
  }
  std::string hr = "-", spo2 = "-";
  if (const auto* r = latest(proto::HR)) {
    hr = number(r->value());
    ages += "hr " + age_text(diff_ms(now, arrived_ms(*r))) + " ";
  }
  if (const auto* r = latest(proto::SPO2)) {
    spo2 = number(r->value()) + "%";
    ages += "spo2 " + age_text(diff_ms(now, arrived_ms(*r)));
  }
  std::string link = "-";
  for (const auto& [source, d] : b.devices) {
    if (link == "-" || d.state() != "connected") link = d.transport() + " " + d.state();
  }
  if (link == "-" && !b.latest.empty()) {
    // No device report (HL7 monitors announce none): judge the link by the newest value.
    std::int64_t newest = 0;
    for (const auto& [kind, r] : b.latest) newest = std::max(newest, r.received_at_ms());
    link = diff_ms(now, newest) <= 60'000 ? "data ok" : "silent " + age_text(diff_ms(now, newest));
  }
  std::string alert = "-";
  const proto::AlertEvent* top = nullptr;
  for (const auto& [id, a] : b.alerts) {
    if (!top || priority_rank(a.priority()) > priority_rank(top->priority()) ||
        (priority_rank(a.priority()) == priority_rank(top->priority()) && a.onset_ms() < top->onset_ms()))
      top = &a;
  }
  if (top) {
    alert = top->priority() + " " + top->rule() + " " + top->message() + " [" + top->state() + "]";
    if (b.alerts.size() > 1) alert += " +" + std::to_string(b.alerts.size() - 1);
  }
  return fit(name, 9) + fit(phase, 11) + fit(clock, 12) + fit(bp, 18) + fit(hr, 5) + fit(spo2, 6) +
         fit(ages, 22) + fit(link, 16) + first_chars(printable(alert), 160);
}

std::string BoardModel::render(const std::string& link) const {
  int counts[4] = {0, 0, 0, 0};
  for (const auto& [name, b] : beds_)
    for (const auto& [id, a] : b.alerts) ++counts[priority_rank(a.priority())];
  std::string out = "vigil board  vigild time " + (server_now_ms_ > 0 ? format_rfc3339(server_now_ms_) : "?") +
                    "  link " + link + "  chairs " + std::to_string(beds_.size()) + "  alerts: " +
                    std::to_string(counts[3]) + " HIGH, " + std::to_string(counts[2]) + " MEDIUM, " +
                    std::to_string(counts[1]) + " LOW\n";
  out += fit("CHAIR", 9) + fit("PHASE", 11) + fit("CLOCK", 12) + fit("BP (BASE)", 18) + fit("HR", 5) +
         fit("SPO2", 6) + fit("AGES", 22) + fit("LINK", 16) + "TOP ALERT\n";
  for (const auto& [name, b] : beds_) out += row(name, b) + "\n";
  if (beds_.empty()) out += "(no chairs yet)\n";
  return out;
}

int run_board(const BoardArgs& args) {
  const auto address = net::parse_host_port(args.connect);
  if (!address) {
    std::cerr << "vigilctl: bad --connect '" << args.connect << "': expected HOST:PORT, e.g. 127.0.0.1:7420\n";
    return 2;
  }
  if (auto problem = net::check_link_security(args.security)) {
    std::cerr << "vigilctl: " << *problem << "\n";
    return 2;
  }
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

  BoardModel model;
  std::string link = "connecting";
  bool ever_connected = false;
  int exit_code = 0;
  client::StreamClient* client_ptr = nullptr;
  boost::asio::steady_timer redraw(io);
  auto draw = [&] {
    const std::string table = model.render(link);
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
    if (hello.accepted()) model.note_server_time(hello.server_time_ms());
  };
  handlers.on_message = [&](const proto::ServerMessage& m) {
    model.apply(m);
    if (args.once && m.body_case() == proto::ServerMessage::kSnapshotEnd) {
      draw();
      finish(0);
    }
  };
  handlers.on_skipped = [](const std::string& detail, std::uint64_t) {
    std::cerr << "vigilctl: " << detail << "\n";
  };
  handlers.on_link = [&](client::LinkState state, net::LinkError error, const std::string& detail) {
    if (state == client::LinkState::Connected) {
      ever_connected = true;
      link = "connected";
      return;
    }
    if (state != client::LinkState::Lost) return;
    link = "lost (" + detail + ")";
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
