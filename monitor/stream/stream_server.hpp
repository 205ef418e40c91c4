#pragma once
// The daemon's side of the stream: accepts clients, checks their hello, sends each one the
// snapshot, then fans out every published event.
//
// Threading: everything (listen, publish, send_to, stop, the callbacks) runs on the one
// io_context thread that owns the daemon's state. Nothing blocks and nothing locks; call
// these methods only from that thread (post to it from elsewhere).
//
// Fan-out: publish() serializes a message once into an immutable shared buffer and queues
// the pointer on every live client. Each client has a byte bound on its queue; a client that
// does not read is dropped when it overflows, so one stuck client never slows the rest.
//
// Per client:  connect -> [ClientHello] -> ServerHello(accepted) + snapshot -> live events
//                         [wrong version] -> ServerHello(refused, reason) -> close
//              garbage / oversize frame / no hello first -> close (protocol_errors)
//              silent for link_timeout -> close (dropped_timeout)

// clang-format off
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
#include <boost/asio.hpp>
// clang-format on

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stream.pb.h"

namespace vigil::stream {

class StreamServer {
 public:
  struct Options {
    std::size_t max_queue_bytes = 8u << 20;  // per client, bytes not yet written
    std::chrono::milliseconds heartbeat_interval{1000};
    std::chrono::milliseconds link_timeout{3000};  // close a client silent this long
    std::string daemon_version = "0.1.0";
    // Wall clock (epoch ms) for hello/heartbeat times and snapshot ages; wall_now_ms() when
    // empty. Tests pin it.
    std::function<std::int64_t()> wall_now_ms;
  };
  struct Stats {
    std::uint64_t accepted = 0, dropped_slow = 0, dropped_timeout = 0, protocol_errors = 0;
    std::size_t clients = 0;
    std::uint64_t refused = 0;  // hellos with an unknown protocol version
    std::uint64_t accept_errors = 0;  // failed accepts (out of descriptors): retried after a pause
  };
  // Called on the io thread for each client that completed its handshake.
  using SnapshotFn = std::function<std::vector<proto::BedState>()>;
  // Called on the io thread for each message a client sends after its hello (not heartbeats).
  using RequestFn = std::function<void(std::uint64_t client_id, const proto::ClientMessage&)>;

  // `snapshot` supplies every bed's latest state; readings with age_ms == 0 get their age
  // filled in from the wall clock (now - measured_at, never negative).
  StreamServer(boost::asio::io_context& io, Options options, SnapshotFn snapshot);
  // Stops (closes everything) if still running.
  ~StreamServer();
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;

  // Sets the handler for client requests (nurse actions).
  void on_request(RequestFn fn);

  // Called on the io thread for each heartbeat from a client whose hello declared
  // alarm_display: proof that a nurse's screen is receiving (rule T2).
  void on_display_heartbeat(std::function<void(std::uint64_t client_id)> fn);

  // The user a client named in its hello ("" if unknown or gone).
  std::string client_user(std::uint64_t client_id) const;

  // Binds and starts accepting; returns the bound endpoint (port 0 -> the port picked).
  // Throws boost::system::system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);

  // Queues `message` for every client past its snapshot; serialized once.
  void publish(const proto::ServerMessage& message);

  // A reply to one client; false if that client is gone (or got dropped by this send).
  bool send_to(std::uint64_t client_id, const proto::ServerMessage& message);

  // Closes the acceptor and every client. Idempotent.
  void stop();

  // Counters since construction; `clients` is the number connected now.
  Stats stats() const;

 private:
  class Impl;
  // Shared with pending async handlers, so a handler that runs after destruction is harmless.
  std::shared_ptr<Impl> impl_;
};

}  // namespace vigil::stream
