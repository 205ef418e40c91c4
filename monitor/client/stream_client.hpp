#pragma once
// The GUI-free stream client shared by vigilctl and vigil-dashboard: connects to vigild,
// says hello, hands every server message to the caller's handlers, sends heartbeats, notices
// a silent link and (optionally) reconnects.
//
// Threading: all work runs on the io_context passed in (vigilctl's main thread, or the
// dashboard's network thread); handlers are called there. start() must be called on that
// thread or before it runs. send() and stop() may be called from any thread: they dispatch
// to the io thread. Destroy the client on the io thread or after the io_context stopped.
//
// Link states reported through on_link:
//   start() -> Connecting -> (ServerHello accepted) Connected -> (silence/EOF/error) Lost
//   Lost -> [reconnect] after reconnect_delay -> Connecting -> ...
//   connect failure, or a refusing ServerHello -> Lost (a refusal never reconnects)
//   Every Lost carries a net::LinkError saying why; net::is_final(error) (a refusal, unusable
//   TLS files, a token that would go out in clear text) means the client will not retry.
//   With security.tls: TCP connect -> TLS handshake (server certificate verified against
//   the CA and the server name) -> hello. A failed handshake is Lost "TLS handshake
//   failed: ..." (reconnects); unusable TLS files are Lost "TLS setup failed: ..." (final).

#include "net/asio.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/host_port.hpp"
#include "net/link_error.hpp"
#include "net/link_security.hpp"
#include "stream.pb.h"

namespace vigil::client {

// The link as the client sees it.
enum class LinkState { Connecting, Connected, Lost };

// "connecting", "connected", "lost" (as printed in LinkLine.state).
std::string_view to_string(LinkState state);

class StreamClient {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 7420;
    std::string client_name = "vigilctl";
    std::string user;
    bool alarm_display = false;  // a nurse's screen: its heartbeats confirm receipt (T2)
    // On call for escalations (proto ClientHello.on_call_tier/label): 0 not on call.
    std::uint32_t on_call_tier = 0;
    std::string on_call_label;
    bool reconnect = false;
    std::chrono::milliseconds heartbeat_interval{1000};
    std::chrono::milliseconds link_timeout{3000};  // silence after which the link is lost
    std::chrono::milliseconds reconnect_delay{1000};
    std::uint32_t protocol_version = 0;  // 0: ours (tests send others)
    // TLS and login. A token is never sent in clear text beyond loopback: without TLS to a
    // remote address the link is Lost "refused to send the token ..." (final).
    net::LinkSecurity security;
  };
  struct Handlers {
    std::function<void(const proto::ServerHello&)> on_hello;      // accepted or refused
    std::function<void(const proto::ServerMessage&)> on_message;  // everything but hello/heartbeat
    // `error`: None unless Lost; then why, as a value to decide on. Detail: empty, or why
    // in words for people (the OS error text for a failed connect, "refused: ..." for a
    // refusing daemon, "no data for 3000 ms", "closed by server", ...).
    std::function<void(LinkState, net::LinkError error, const std::string& detail)> on_link;
    // A message after the hello that did not decode (e.g. a string field that is not
    // UTF-8, from an older daemon): it is skipped and the link kept, since one odd event
    // must not blind a screen to every later alarm. Called for the first such message of
    // each connection, with the total skipped by this client so far; unset: only counted.
    std::function<void(const std::string& detail, std::uint64_t skipped_total)> on_skipped;
  };

  StreamClient(boost::asio::io_context& io, Options options, Handlers handlers);
  ~StreamClient();
  StreamClient(const StreamClient&) = delete;
  StreamClient& operator=(const StreamClient&) = delete;

  // Resolves and connects (asynchronously); progress arrives through the handlers.
  void start();
  // Closes the link and cancels timers; no handler is called afterwards.
  void stop();
  // Queues a message for the daemon (any thread). False if not connected: the message is
  // dropped. True means handed to the io thread, which still drops it if the link went down
  // meanwhile or the 1 MiB outgoing queue is full (a stuck link; the timeout will report it).
  bool send(const proto::ClientMessage& message);
  // Server messages skipped because they did not decode (any thread).
  std::uint64_t skipped_messages() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with pending handlers
};

}  // namespace vigil::client
