#pragma once
// The simulator's nurse: one link to vigild's client stream (vigil_client's StreamClient)
// carrying the scripted nurse actions of every chair, each answered by a RequestResult with
// the same request_id.
//
//   request() ──queued──> (link Connected) ──sent──> awaiting ──RequestResult──> on_result
//                 ^                                     │
//                 └── link lost: queued ones wait for   └── link lost: on_result(ok=false,
//                     the reconnect                         "link lost ...") - never resent,
//                                                           the action may have been done
//
// Threading: not thread-safe; everything runs on the io_context passed in (the simulator's
// main thread), handlers too.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "client/stream_client.hpp"
#include "events.pb.h"

namespace vigil::sim {

/// Where the nurse connects and who it says it is.
struct NurseClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7420;
  std::string user = "vigil-sim";  // logged with every action
  std::size_t max_queued = 1024;   // requests waiting for the link; more are refused at once
};

/// Sends nurse requests over vigild's stream and hands back each answer.
class NurseClient {
 public:
  using ResultFn = std::function<void(const proto::RequestResult&)>;
  using HelloFn = std::function<void(const proto::ServerHello&)>;
  using LogFn = std::function<void(const std::string& line)>;

  NurseClient(boost::asio::io_context& io, NurseClientOptions options);
  ~NurseClient();
  NurseClient(const NurseClient&) = delete;
  NurseClient& operator=(const NurseClient&) = delete;

  /// Connects (and reconnects after a loss).
  void start();
  /// Closes the link; nothing is called afterwards.
  void stop();
  /// Queues `request` (request_id and user are filled in); `on_result` runs once with the
  /// daemon's answer or with ok = false when it cannot come.
  void request(proto::NurseRequest request, ResultFn on_result);
  /// Nothing queued and nothing awaiting an answer.
  bool idle() const { return queue_.empty() && awaiting_.empty(); }
  bool connected() const { return connected_; }
  /// Called for every accepted hello (its server_time_ms is vigild's clock).
  void set_hello_hook(HelloFn fn) { hello_hook_ = std::move(fn); }
  /// Link changes and dropped requests, one line each.
  void set_log_hook(LogFn fn) { log_hook_ = std::move(fn); }

 private:
  struct Pending {
    proto::NurseRequest request;
    ResultFn on_result;
  };

  void on_link(client::LinkState state, net::LinkError error, const std::string& detail);
  void on_message(const proto::ServerMessage& message);
  void flush();
  void fail(Pending& p, const std::string& why);
  void log(const std::string& line);

  NurseClientOptions opt_;
  std::unique_ptr<client::StreamClient> client_;
  std::deque<Pending> queue_;
  std::map<std::uint64_t, Pending> awaiting_;
  std::uint64_t next_id_ = 1;
  bool connected_ = false;
  bool stopped_ = false;
  HelloFn hello_hook_;
  LogFn log_hook_;
};

}  // namespace vigil::sim
