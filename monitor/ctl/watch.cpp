// vigilctl watch: prints vigild's stream as JSON lines on stdout, one flush per line because
// the output is usually piped into another program.
//
// Threading: one io_context on the main thread runs the client and the signal handler.

#include "net/asio.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "client/event_lines.hpp"
#include "client/event_text.hpp"
#include "client/stream_client.hpp"
#include "ctl/commands.hpp"
#include "ctl/stream_target.hpp"
#include "net/host_port.hpp"

namespace vigil::ctl {

namespace {

void print_line(const std::string& line) {
  std::cout << line << '\n';
  std::cout.flush();
}

// A link change as the chosen format prints it.
std::string link_text(bool text, client::LinkState state, const std::string& detail) {
  if (!text) return client::link_line(state, detail);
  return "link " + std::string(client::to_string(state)) + (detail.empty() ? "" : ": " + detail);
}

}  // namespace

int run_watch(const WatchArgs& args) {
  const auto address = stream_target(args.connect, args.security);
  if (!address) return 2;

  boost::asio::io_context io;
  client::StreamClient::Options options;
  options.host = address->first;
  options.port = address->second;
  options.client_name = "vigilctl";
  options.user = args.user;
  options.reconnect = args.reconnect;
  options.security = args.security;
  options.on_call_tier = args.on_call_tier;
  options.on_call_label = args.on_call_label;

  const client::EventFilter filter{args.bed};
  int exit_code = 0;
  bool ever_connected = false;
  bool cannot_connect_reported = false;
  client::LinkState last_state = client::LinkState::Connecting;
  client::StreamClient* client_ptr = nullptr;

  client::StreamClient::Handlers handlers;
  const bool text = args.format == "text";
  handlers.on_hello = [text](const proto::ServerHello& hello) {
    if (!hello.accepted()) return;
    print_line(text ? "connected to vigild " + hello.daemon_version() : client::hello_line(hello));
  };
  handlers.on_message = [&](const proto::ServerMessage& message) {
    const auto lines =
        text ? client::event_text_lines(message, filter) : client::event_lines(message, filter);
    for (const std::string& line : lines) print_line(line);
    // An escalation of this watcher's tier is for the person holding it: said on stderr too,
    // in words and with the terminal bell, since stdout is usually read by a program.
    if (message.has_escalation() && args.on_call_tier != 0 &&
        message.escalation().tier() == args.on_call_tier)
      std::cerr << "\a"
                << "vigilctl: ESCALATION (tier " << args.on_call_tier
                << "): " << message.escalation().message() << "\n";
  };
  handlers.on_skipped = [](const std::string& detail, std::uint64_t) {
    // stderr: stdout carries only the JSON lines a program reads.
    std::cerr << "vigilctl: " << detail << "\n";
  };
  handlers.on_link = [&](client::LinkState state, net::LinkError error, const std::string& detail) {
    const client::LinkState previous = last_state;
    last_state = state;
    if (state == client::LinkState::Connected) {
      // The first connect is announced by the hello line; later ones by a link line.
      if (ever_connected) print_line(link_text(text, state, detail));
      ever_connected = true;
      return;
    }
    if (state != client::LinkState::Lost) return;
    const bool refused = error == net::LinkError::Refused;
    if (previous == client::LinkState::Connected || refused) {
      print_line(link_text(text, state, detail));
    } else if (!ever_connected && !cannot_connect_reported) {
      // Never got through: a setup problem, said once on stderr for a human.
      std::cerr << "vigilctl: cannot connect to " << args.connect << ": " << detail
                << (error == net::LinkError::TlsHandshake || error == net::LinkError::TlsSetup ||
                            error == net::LinkError::Insecure
                        ? "\n"
                        : " (is vigild running? check --connect)\n");
      cannot_connect_reported = true;
    }
    // A final error (refused, unusable TLS files, a token not sent in clear): the client
    // will not try again, so neither does watch.
    if (!args.reconnect || net::is_final(error)) {
      exit_code = 1;
      client_ptr->stop();
      io.stop();
    }
  };

  client::StreamClient client(io, options, handlers);
  client_ptr = &client;

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    exit_code = 0;
    client.stop();
    io.stop();
  });

  client.start();
  io.run();
  client.stop();
  return exit_code;
}

}  // namespace vigil::ctl
