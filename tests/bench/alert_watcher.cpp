#include "bench/alert_watcher.hpp"

#include "bench/latency_summary.hpp"
#include "client/stream_client.hpp"

namespace vigil::bench {

struct AlertWatcher::Io {
  boost::asio::io_context io;
  // Keeps run() going while the client reconnects or before it connected.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
      boost::asio::make_work_guard(io);
};

AlertWatcher::AlertWatcher(std::string host, std::uint16_t port, std::string user, std::set<std::string> beds)
    : host_(std::move(host)),
      port_(port),
      user_(std::move(user)),
      beds_(std::move(beds)),
      io_(std::make_unique<Io>()) {}

AlertWatcher::~AlertWatcher() {
  if (client_) client_->stop();
  io_->work.reset();
  io_->io.stop();
  if (thread_.joinable()) thread_.join();
  client_.reset();  // after the io thread ended: no handler can run any more
}

std::string AlertWatcher::start(std::chrono::milliseconds timeout) {
  client::StreamClient::Options o;
  o.host = host_;
  o.port = port_;
  o.client_name = "vigil-bench-alert-latency";
  o.user = user_;
  o.alarm_display = true;
  client::StreamClient::Handlers h;
  h.on_message = [this](const proto::ServerMessage& m) { on_message(m); };
  h.on_link = [this](client::LinkState state, net::LinkError, const std::string& detail) {
    if (state != client::LinkState::Lost) return;
    std::lock_guard lock(mu_);
    lost_ = detail.empty() ? "lost" : detail;
    changed_.notify_all();
  };
  h.on_hello = [this](const proto::ServerHello& hello) {
    if (hello.accepted()) return;
    std::lock_guard lock(mu_);
    lost_ = "refused: " + hello.reason();
    changed_.notify_all();
  };
  client_ = std::make_unique<client::StreamClient>(io_->io, o, h);
  client_->start();
  thread_ = std::thread([this] { io_->io.run(); });
  std::unique_lock lock(mu_);
  if (!changed_.wait_for(lock, timeout, [&] { return live_ || !lost_.empty(); }))
    return "no snapshot from vigild's stream within " + std::to_string(timeout.count()) + " ms";
  return lost_;  // "" once live, unless the link went down meanwhile
}

void AlertWatcher::on_message(const proto::ServerMessage& m) {
  const std::int64_t now = mono_now_ns();  // first: lock waits must not count
  std::lock_guard lock(mu_);
  ++messages_;
  switch (m.body_case()) {
    case proto::ServerMessage::kSnapshotEnd:
      live_ = true;
      changed_.notify_all();
      break;
    case proto::ServerMessage::kResult:
      results_[m.result().request_id()] = m.result();
      changed_.notify_all();
      break;
    case proto::ServerMessage::kAlert: {
      const proto::AlertEvent& a = m.alert();
      if (!beds_.count(a.bed())) break;
      auto& q = alerts_[a.bed()];
      if (q.size() >= kMaxPerBed) q.pop_front();
      q.push_back({now, a.id(), a.rule(), a.transition(), a.state()});
      changed_.notify_all();
      break;
    }
    default: break;
  }
}

std::optional<proto::RequestResult> AlertWatcher::request(proto::NurseRequest request,
                                                          std::chrono::milliseconds timeout) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_request_++;
  }
  request.set_request_id(id);
  proto::ClientMessage message;
  *message.mutable_request() = std::move(request);
  if (!client_->send(message)) return std::nullopt;
  std::unique_lock lock(mu_);
  if (!changed_.wait_for(lock, timeout, [&] { return results_.count(id) || !lost_.empty(); }))
    return std::nullopt;
  auto it = results_.find(id);
  if (it == results_.end()) return std::nullopt;
  proto::RequestResult result = std::move(it->second);
  results_.erase(it);
  return result;
}

void AlertWatcher::forget(const std::string& bed) {
  std::lock_guard lock(mu_);
  alerts_[bed].clear();
}

std::optional<AlertArrival> AlertWatcher::wait_alert(const std::string& bed, proto::AlertRule rule,
                                                     proto::Transition transition,
                                                     std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto& q = alerts_[bed];
  std::optional<AlertArrival> found;
  changed_.wait_for(lock, timeout, [&] {
    while (!q.empty()) {
      AlertArrival a = std::move(q.front());
      q.pop_front();
      if (a.rule == rule && a.transition == transition) {
        found = std::move(a);
        return true;
      }
    }
    return !lost_.empty();
  });
  return found;
}

std::uint64_t AlertWatcher::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

std::string AlertWatcher::lost() const {
  std::lock_guard lock(mu_);
  return lost_;
}

}  // namespace vigil::bench
