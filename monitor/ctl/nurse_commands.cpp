// vigilctl session/ack/pause-audio: one request over the stream, one answer.
//
// Threading: one io_context on the main thread.

#include "net/asio.hpp"

#include "ctl/nurse_commands.hpp"

#include <charconv>
#include <chrono>
#include <iostream>

#include "client/stream_client.hpp"
#include "common/json_lines.hpp"
#include "ctl/stream_target.hpp"
#include "net/host_port.hpp"
#include "stream.pb.h"
#include "text/utf8.hpp"

namespace vigil::ctl {

namespace {
// Long enough for a busy daemon's group commit, short enough that a script notices.
constexpr auto kAnswerTimeout = std::chrono::seconds(15);
constexpr std::uint64_t kRequestId = 1;
}  // namespace

bool parse_sys_dia(const std::string& text, double& sys, double& dia) {
  auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  auto number = [](std::string_view s, double& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out > 0 && out < 400;
  };
  return number(std::string_view(text).substr(0, slash), sys) &&
         number(std::string_view(text).substr(slash + 1), dia);
}

int run_nurse_request(const NurseArgs& args, proto::NurseRequest request) {
  if (args.user.empty()) {
    std::cerr << "vigilctl: --user is required: every nurse action is logged with who did it\n";
    return 2;
  }
  request.set_bed(args.bed);
  request.set_user(args.user);
  request.set_pin(args.pin);
  // Protobuf strings must be UTF-8: vigild would drop the link on a request that is not
  // (a Latin-1 terminal), and the nurse would see only "closed by server".
  for (const std::string* text : {&request.bed(), &request.user(), &request.begin().patient(),
                                  &request.begin().profile(), &request.acknowledge().alert_id()}) {
    if (!is_valid_utf8(*text)) {
      std::cerr << "vigilctl: '" << to_valid_utf8(*text)
                << "' is not valid UTF-8 (set the terminal to UTF-8)\n";
      return 2;
    }
  }
  return send_stream_request(args, request, [&args](const proto::RequestResult& result) {
    std::cout << to_json_line(result_line(result, args.bed)) << std::endl;
    if (!result.ok()) std::cerr << "vigilctl: refused: " << result.reason() << "\n";
    return result.ok() ? 0 : 1;
  });
}

int send_stream_request(const NurseArgs& args, const proto::NurseRequest& request_in,
                        const ResultPrinter& on_result) {
  const auto address = stream_target(args.connect, args.security);
  if (!address) return 2;
  proto::NurseRequest request = request_in;
  request.set_request_id(kRequestId);

  boost::asio::io_context io;
  client::StreamClient::Options options;
  options.host = address->first;
  options.port = address->second;
  options.client_name = "vigilctl";
  options.user = args.user;
  options.security = args.security;

  int exit_code = 1;
  bool answered = false;
  bool connected = false;
  client::StreamClient* client_ptr = nullptr;
  auto finish = [&](int code) {
    exit_code = code;
    answered = true;
    client_ptr->stop();
    io.stop();
  };

  client::StreamClient::Handlers handlers;
  // A refused hello is reported through on_link as LinkError::Refused ("refused: ...").
  handlers.on_message = [&](const proto::ServerMessage& message) {
    if (message.body_case() != proto::ServerMessage::kResult) return;
    const proto::RequestResult& result = message.result();
    if (result.request_id() != kRequestId) return;
    finish(on_result(result));
  };
  handlers.on_link = [&](client::LinkState state, net::LinkError error, const std::string& detail) {
    if (state == client::LinkState::Connected && !connected) {
      connected = true;
      proto::ClientMessage message;
      *message.mutable_request() = request;
      client_ptr->send(message);
      return;
    }
    if (state != client::LinkState::Lost || answered) return;
    // Refused, or TLS trouble: the detail says it all; no guess about vigild running.
    if (net::is_final(error) || error == net::LinkError::TlsHandshake) {
      std::cerr << "vigilctl: " << args.connect << ": " << detail << "\n";
    } else if (connected) {
      std::cerr << "vigilctl: the link to " << args.connect << " was lost before vigild answered: " << detail
                << " (the action may or may not have been done: check vigilctl watch)\n";
    } else {
      std::cerr << "vigilctl: cannot connect to " << args.connect << ": " << detail
                << " (is vigild running? check --connect)\n";
    }
    finish(1);
  };

  client::StreamClient client(io, options, handlers);
  client_ptr = &client;
  boost::asio::steady_timer deadline(io, kAnswerTimeout);
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec || answered) return;
    std::cerr << "vigilctl: no answer from vigild at " << args.connect << " within " << kAnswerTimeout.count()
              << " s (the action may or may not have been done: check vigilctl watch)\n";
    finish(1);
  });
  client.start();
  io.run();
  return exit_code;
}

}  // namespace vigil::ctl
