#include "net/asio.hpp"

#include "model/dashboard_client.hpp"

#include <cstdio>

#include "client/stream_client.hpp"
#include "common/wall_time.hpp"

namespace vigil::dashboard {

// Shutdown order: stop the client on the io thread, then let io.run() return, then join.
struct DashboardClient::Net {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::unique_ptr<client::StreamClient> client;
};

DashboardClient::DashboardClient(Options options) : options_(std::move(options)), model_(options_.user) {}

DashboardClient::~DashboardClient() { stop(); }

void DashboardClient::start() {
  if (net_) return;
  net_ = std::make_unique<Net>();
  client::StreamClient::Options o;
  o.host = options_.host;
  o.port = options_.port;
  o.client_name = "vigil-dashboard";
  o.user = options_.user;
  o.security = options_.security;
  o.alarm_display = true;
  o.reconnect = true;
  // The daemon beats every second: 2.5 s of silence shows LINK LOST inside the 3 s budget.
  o.link_timeout = std::chrono::milliseconds(2500);
  o.reconnect_delay = std::chrono::milliseconds(1000);
  client::StreamClient::Handlers h;
  h.on_hello = [this](const proto::ServerHello& hello) {
    std::lock_guard lock(mutex_);
    model_.on_hello(hello, wall_now_ms());
  };
  h.on_message = [this](const proto::ServerMessage& message) {
    std::lock_guard lock(mutex_);
    model_.on_message(message, wall_now_ms());
  };
  h.on_link = [this](client::LinkState state, net::LinkError error, const std::string& detail) {
    link_final_.store(state == client::LinkState::Lost && net::is_final(error));
    std::lock_guard lock(mutex_);
    model_.on_link(client::to_view(state), detail, wall_now_ms());
  };
  // One undecodable event is skipped by the client and the link kept; the console says so.
  h.on_skipped = [](const std::string& detail, std::uint64_t total) {
    std::fprintf(stderr, "vigil-dashboard: %s (%llu so far)\n", detail.c_str(),
                 static_cast<unsigned long long>(total));
  };
  net_->client = std::make_unique<client::StreamClient>(net_->io, o, h);
  net_->client->start();
  thread_ = std::thread([net = net_.get()] { net->io.run(); });
}

void DashboardClient::stop() {
  if (!net_) return;
  boost::asio::post(net_->io, [net = net_.get()] {
    net->client->stop();
    net->work.reset();
    net->io.stop();
  });
  if (thread_.joinable()) thread_.join();
  net_->client.reset();
  net_.reset();
}

DashboardSnapshot DashboardClient::snapshot(std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  return model_.snapshot(now_ms);
}

ChairTrend DashboardClient::trend(const std::string& bed) const {
  std::lock_guard lock(mutex_);
  return model_.trend(bed);
}

std::vector<HistoryEntry> DashboardClient::history(const std::string& bed) const {
  std::lock_guard lock(mutex_);
  return model_.history(bed);
}

bool DashboardClient::request(proto::NurseRequest request, const std::string& what) {
  if (!net_) return false;
  const std::uint64_t id = next_request_id_++;
  request.set_request_id(id);
  // A user picked at the moment of acting (--identify pick|pin) is sent as is; otherwise
  // the screen's --user ("" = the one vigild authenticated).
  if (request.user().empty()) request.set_user(options_.user);
  {
    std::lock_guard lock(mutex_);
    model_.on_request_sent(id, what);
  }
  proto::ClientMessage message;
  *message.mutable_request() = std::move(request);
  if (net_->client->send(message)) return true;
  std::lock_guard lock(mutex_);
  model_.on_request_unsent(id);
  return false;
}

bool DashboardClient::request_history(const std::string& bed) {
  if (!net_) return false;
  const std::uint64_t id = next_request_id_++;
  proto::NurseRequest request;
  request.set_request_id(id);
  request.set_bed(bed);
  request.set_user(options_.user);
  request.mutable_history();  // the chair's open (else latest) session, from its start
  {
    // Before sending: an answer may come back before send() returns.
    std::lock_guard lock(mutex_);
    model_.on_history_requested(id, bed);
  }
  proto::ClientMessage message;
  *message.mutable_request() = std::move(request);
  if (net_->client->send(message)) return true;
  std::lock_guard lock(mutex_);
  model_.on_request_unsent(id);
  return false;
}

client::HistoryStatus DashboardClient::history_status(const std::string& bed) const {
  std::lock_guard lock(mutex_);
  return model_.history_status(bed);
}

void DashboardClient::replay(const std::vector<proto::ServerMessage>& messages, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  model_.on_link(LinkView::Connected, "", now_ms);
  for (const auto& m : messages) {
    if (m.has_hello())
      model_.on_hello(m.hello(), now_ms);
    else
      model_.on_message(m, now_ms);
  }
}

}  // namespace vigil::dashboard
