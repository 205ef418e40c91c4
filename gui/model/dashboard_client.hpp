#pragma once
// The dashboard's connection to vigild: a network thread runs a StreamClient (heartbeats,
// reconnect) and feeds the ward model (monitor/client/ward_model.hpp); the UI thread takes
// snapshots and sends nurse requests. The render loop never waits on the network: snapshot()
// only takes the model's mutex, which the network thread holds for one message at a time.
//
// Threading: start()/stop() from the owner thread. snapshot(), trend(), history(), request()
// from any thread (the UI's). The StreamClient lives on the private io thread; its handlers
// lock the model. stop() (or the destructor) joins the io thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/ward_model.hpp"
#include "model/model_views.hpp"
#include "net/link_security.hpp"
#include "stream.pb.h"

namespace vigil::client {
class StreamClient;
}

namespace vigil::dashboard {

class DashboardClient {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 7420;
    std::string user;
    net::LinkSecurity security;  // TLS and login (--tls --ca --cert --key --token)
  };

  explicit DashboardClient(Options options);
  ~DashboardClient();
  DashboardClient(const DashboardClient&) = delete;
  DashboardClient& operator=(const DashboardClient&) = delete;

  // Starts the network thread; it connects and keeps reconnecting until stop().
  void start();
  void stop();

  // The model at the local wall time `now_ms`.
  DashboardSnapshot snapshot(std::int64_t now_ms) const;
  ChairTrend trend(const std::string& bed) const;
  std::vector<HistoryEntry> history(const std::string& bed) const;

  // Sends a nurse request for `bed` with its user (or, when it names none, the dashboard's);
  // `what` names it in the
  // result line ("ack CHAIR1-P1-3"). False when not connected (nothing was sent). The
  // outcome arrives through the stream; the dashboard never shows it done before that.
  bool request(proto::NurseRequest request, const std::string& what);

  // Asks vigild for the chair's stored history (a screen that connected late has only the
  // snapshot's latest values); the answer is merged into trend() and history(). False when
  // not connected.
  bool request_history(const std::string& bed);
  client::HistoryStatus history_status(const std::string& bed) const;

  // Without a network (before or instead of start()): applies ready-made server messages
  // to the model as if vigild had sent them on a connected link (the frame benchmark).
  void replay(const std::vector<proto::ServerMessage>& messages, std::int64_t now_ms);

  // The link is lost for good: the client will not retry (a refused login, unusable TLS
  // files, a token it would not send in clear text). Any thread.
  bool link_final() const { return link_final_.load(); }

 private:
  Options options_;
  mutable std::mutex mutex_;
  client::WardModel model_;  // guarded by mutex_
  std::atomic<std::uint64_t> next_request_id_{1};
  std::atomic<bool> link_final_{false};
  struct Net;
  std::unique_ptr<Net> net_;
  std::thread thread_;
};

}  // namespace vigil::dashboard
