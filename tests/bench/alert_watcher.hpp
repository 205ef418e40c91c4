#pragma once
// The stream side of the alert-latency benchmark: one vigild stream client (as a nurse's
// screen: alarm_display, so T2 stays quiet) that stamps every alert event of the watched
// chairs with CLOCK_MONOTONIC the moment it is decoded, and sends nurse requests (begin,
// start, acknowledge), waiting for their results.
//
// Threading: the StreamClient and its handlers run on a private io thread; the public
// methods are called from one other thread (the probe loop). Shared state is under mu_;
// the stamp is taken before the lock so lock waits never count as latency.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "stream.pb.h"

namespace vigil::client {
class StreamClient;
}

namespace vigil::bench {

/// An alert event as the watcher read it.
struct AlertArrival {
  std::int64_t mono_ns = 0;  // when it was decoded (CLOCK_MONOTONIC)
  std::string id;
  proto::AlertRule rule = proto::ALERT_RULE_UNSET;
  proto::Transition transition = proto::TRANSITION_UNSET;
  proto::AlertState state = proto::ALERT_STATE_UNSET;
};

class AlertWatcher {
 public:
  /// Watches alert events of `beds` only (others are counted, not kept).
  AlertWatcher(std::string host, std::uint16_t port, std::string user, std::set<std::string> beds);
  ~AlertWatcher();
  AlertWatcher(const AlertWatcher&) = delete;
  AlertWatcher& operator=(const AlertWatcher&) = delete;

  /// Connects and waits until the snapshot ended (live events flow). "" or why not.
  std::string start(std::chrono::milliseconds timeout);
  /// Sends `request` (its request_id is set here) and waits for the daemon's result.
  /// nullopt on timeout or a lost link.
  std::optional<proto::RequestResult> request(proto::NurseRequest request, std::chrono::milliseconds timeout);
  /// Forgets the alert events of `bed` read so far.
  void forget(const std::string& bed);
  /// Waits for the next alert event of `bed` with this rule and transition, dropping the
  /// other events of that bed read before it. nullopt on timeout or a lost link.
  std::optional<AlertArrival> wait_alert(const std::string& bed, proto::AlertRule rule,
                                         proto::Transition transition, std::chrono::milliseconds timeout);
  /// Server messages read (all kinds), and why the link was lost ("" while up).
  std::uint64_t messages() const;
  std::string lost() const;

 private:
  void on_message(const proto::ServerMessage& m);

  std::string host_;
  std::uint16_t port_;
  std::string user_;
  std::set<std::string> beds_;
  struct Io;
  std::unique_ptr<Io> io_;
  std::unique_ptr<client::StreamClient> client_;
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  bool live_ = false;
  std::string lost_;
  std::uint64_t messages_ = 0;
  std::uint64_t next_request_ = 1;
  std::map<std::uint64_t, proto::RequestResult> results_;
  // Per watched bed, oldest first; bounded (a bed nobody waits on must not grow memory).
  std::map<std::string, std::deque<AlertArrival>> alerts_;
  static constexpr std::size_t kMaxPerBed = 256;
};

}  // namespace vigil::bench
