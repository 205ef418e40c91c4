#pragma once
// The daemon's side of the stream: accepts clients, checks their hello, sends each one the
// snapshot, then fans out every published event. Clients of the stream port speak framed
// protobuf; adopt() takes clients of other transports (the web view's WebSocket, JSON) under
// the same policy: the transport is a StreamPeer (stream_peer.hpp), the policy is here.
//
// Threading: everything (listen, publish, send_to, stop, the callbacks) runs on the one
// io_context thread that owns the daemon's state. Nothing blocks and nothing locks; call
// these methods only from that thread (post to it from elsewhere).
//
// Fan-out: publish() serializes a message once into an immutable shared buffer and queues
// the pointer on every live client. Each client has a byte bound on its queue; a client that
// does not read is dropped when it overflows, so one stuck client never slows the rest.
//
// Per client:  connect -> [TLS handshake, within handshake_timeout] -> [ClientHello]
//                 -> ServerHello(accepted, user, role) + snapshot -> live events
//              [wrong version] -> ServerHello(refused, reason) -> close
//              [admit() says no] -> ServerHello(refused, "authentication failed") -> close
//              handshake error / deadline -> close (tls_handshake_failures / _timeouts)
//              garbage / oversize frame / no hello first -> close (protocol_errors)
//              silent for link_timeout -> close (dropped_timeout)
//              over max_clients -> ServerHello(refused, "too many stream clients") -> close
//              a frame over prelogin_frame_bytes before the hello is accepted -> close
//              snapshot beyond max_snapshot_bytes, or live queue beyond max_queue_bytes
//                 -> close (dropped_slow)

#include "net/asio.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stream.pb.h"
#include "stream/stream_peer.hpp"

namespace boost::asio::ssl {
class context;
}

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
    // TLS for every connection when set; plain TCP when null (the daemon allows that only
    // on loopback).
    std::shared_ptr<boost::asio::ssl::context> tls;
    std::chrono::milliseconds handshake_timeout{5000};  // TLS handshake deadline
    // Clients connected at once, logged in or not; 0: no cap. Further connections get a
    // refusing ServerHello ("too many stream clients ...") as soon as the link is up.
    std::size_t max_clients = 0;
    // Largest frame a client may send before its hello is accepted.
    std::size_t prelogin_frame_bytes = 4096;
    // The connect-time snapshot one client may have queued on top of max_queue_bytes.
    std::size_t max_snapshot_bytes = 4u << 20;
  };
  // What the server knows about a client when its hello arrives.
  struct HelloFacts {
    const proto::ClientHello& hello;
    const std::string& peer_address;  // "10.1.2.3"
    const std::string& cert_cn;       // verified client certificate CN, or ""
  };
  // The verdict on a hello. Refused clients get ServerHello{accepted=false, reason}.
  struct Admission {
    bool accepted = true;
    bool authenticated = false;  // user/role come from a credential, not from the hello
    std::string user;
    std::string role;
    std::string reason;
    std::vector<std::string> nurses;  // ServerHello.nurses: whom this client may name as acting
    bool pin_required = false;        // ServerHello.pin_required
  };
  // Who a live client is; handed to Handlers::request with each of its requests.
  struct ClientIdentity {
    std::string user;  // the authenticated user, else the name the hello gave
    std::string role;  // "viewer" / "nurse" when authenticated
    bool authenticated = false;
  };
  using AdmitFn = std::function<Admission(const HelloFacts&)>;
  // One line per security event (handshake failure, refused login); no patient data.
  using LogFn = std::function<void(const std::string&)>;
  struct Stats {
    std::uint64_t accepted = 0, dropped_slow = 0, dropped_timeout = 0, protocol_errors = 0;
    std::size_t clients = 0;
    std::uint64_t refused = 0;                 // hellos with an unknown protocol version
    std::uint64_t accept_errors = 0;           // failed accepts (out of descriptors): retried after a pause
    std::uint64_t tls_handshake_failures = 0;  // plaintext or untrusted clients, bad TLS
    std::uint64_t tls_handshake_timeouts = 0;  // handshakes not done within the deadline
    std::uint64_t auth_refused = 0;            // hellos refused by admit()
    std::uint64_t refused_full = 0;            // connections over max_clients
  };
  // Called on the io thread for each client that completed its handshake.
  using SnapshotFn = std::function<std::vector<proto::BedState>()>;
  // Called on the io thread for each message a client sends after its hello (not
  // heartbeats), with who the client is: the receiver needs no call back to ask.
  using RequestFn =
      std::function<void(std::uint64_t client_id, const ClientIdentity& who, const proto::ClientMessage&)>;
  // What the server hands on; every member may be empty.
  struct Handlers {
    RequestFn request;  // nurse actions and reports
    // Each heartbeat from a client whose hello declared alarm_display: proof that a
    // nurse's screen is receiving (rule T2).
    std::function<void(std::uint64_t client_id)> display_heartbeat;
    // Decides on each hello (authentication). Empty: every client is accepted as the user
    // its hello names, unauthenticated.
    AdmitFn admit;
    // Where security events are reported (empty: nowhere; they are still counted).
    LogFn log;
    // A client's hello was accepted and its snapshot queued: from now on it receives every
    // published event (the escalation service's on-call clients).
    std::function<void(std::uint64_t client_id, const ClientIdentity& who, const proto::ClientHello& hello)>
        client_live;
    // A client that was accepted has gone (closed, dropped, or stop()).
    std::function<void(std::uint64_t client_id)> client_gone;
  };

  // `snapshot` supplies every bed's latest state; readings with age_ms == 0 get their age
  // filled in from the wall clock (now - received_at: arrival decides, never negative).
  StreamServer(boost::asio::io_context& io, Options options, SnapshotFn snapshot, Handlers handlers = {});
  // Stops (closes everything) if still running.
  ~StreamServer();
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;

  // Binds and starts accepting; returns the bound endpoint (port 0 -> the port picked).
  // Throws boost::system::system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);

  // Queues `message` for every client past its snapshot; serialized once.
  void publish(const proto::ServerMessage& message);

  // A reply to one client; false if that client is gone (or got dropped by this send).
  bool send_to(std::uint64_t client_id, const proto::ServerMessage& message);

  // Builds a peer that arrived over another transport (the web view's WebSocket) with the
  // id, limits and callbacks the server assigns; the server then owns it like any client.
  using PeerFactory = std::function<std::shared_ptr<StreamPeer>(std::uint64_t id, const StreamPeer::Limits&,
                                                                StreamPeer::Callbacks)>;
  // Same policy as a client of the stream port: cap (a refusing ServerHello over
  // max_clients), hello/login, snapshot, fan-out, requests. False (the factory not called)
  // when stopped or when even the refusing slots are full: the caller closes its socket.
  // `peer_address` names the client in the log line of a refusal.
  bool adopt(const std::string& peer_address, const PeerFactory& make);

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
