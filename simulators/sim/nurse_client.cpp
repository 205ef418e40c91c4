#include "sim/nurse_client.hpp"

namespace vigil::sim {

NurseClient::NurseClient(boost::asio::io_context& io, NurseClientOptions options) : opt_(std::move(options)) {
  client::StreamClient::Options o;
  o.host = opt_.host;
  o.port = opt_.port;
  o.client_name = "vigil-sim";
  o.user = opt_.user;
  o.reconnect = true;  // a session plays for hours at scale 1: ride out a daemon restart
  client::StreamClient::Handlers h;
  h.on_hello = [this](const proto::ServerHello& hello) {
    if (hello.accepted() && hello_hook_) hello_hook_(hello);
  };
  h.on_message = [this](const proto::ServerMessage& m) { on_message(m); };
  h.on_link = [this](client::LinkState s, net::LinkError error, const std::string& detail) {
    on_link(s, error, detail);
  };
  client_ = std::make_unique<client::StreamClient>(io, o, h);
}

NurseClient::~NurseClient() { stop(); }

void NurseClient::start() {
  stopped_ = false;
  client_->start();
}

void NurseClient::stop() {
  if (stopped_) return;
  stopped_ = true;
  client_->stop();
}

void NurseClient::log(const std::string& line) {
  if (log_hook_) log_hook_(line);
}

void NurseClient::request(proto::NurseRequest request, ResultFn on_result) {
  Pending p{std::move(request), std::move(on_result)};
  p.request.set_request_id(next_id_++);
  if (p.request.user().empty()) p.request.set_user(opt_.user);
  if (queue_.size() >= opt_.max_queued) {
    fail(p, "too many nurse requests waiting for the link");
    return;
  }
  queue_.push_back(std::move(p));
  flush();
}

void NurseClient::flush() {
  while (connected_ && !stopped_ && !queue_.empty()) {
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    proto::ClientMessage m;
    *m.mutable_request() = p.request;
    const std::uint64_t id = p.request.request_id();
    if (!client_->send(m)) {
      // Lost between the state change and now: keep it for the reconnect.
      queue_.push_front(std::move(p));
      return;
    }
    awaiting_.emplace(id, std::move(p));
  }
}

void NurseClient::fail(Pending& p, const std::string& why) {
  proto::RequestResult r;
  r.set_request_id(p.request.request_id());
  r.set_ok(false);
  r.set_reason(why);
  if (p.on_result) p.on_result(r);
}

void NurseClient::on_link(client::LinkState state, net::LinkError error, const std::string& detail) {
  if (stopped_) return;
  if (state == client::LinkState::Connected) {
    if (!connected_) log("stream: connected to vigild at " + opt_.host + ":" + std::to_string(opt_.port));
    connected_ = true;
    flush();
    return;
  }
  if (state != client::LinkState::Lost) return;
  if (connected_)
    log("stream: link lost: " + detail + (net::is_final(error) ? " (not retrying)" : " (reconnecting)"));
  connected_ = false;
  // Sent but unanswered: vigild may or may not have done it. Resending could do it twice
  // (a second begin, a second stop), so the caller hears "unknown" and decides.
  auto awaiting = std::move(awaiting_);
  awaiting_.clear();
  for (auto& [id, p] : awaiting) fail(p, "link lost before vigild answered: " + detail);
}

void NurseClient::on_message(const proto::ServerMessage& message) {
  if (message.body_case() != proto::ServerMessage::kResult) return;
  auto it = awaiting_.find(message.result().request_id());
  if (it == awaiting_.end()) return;  // another client's, or one we gave up on
  Pending p = std::move(it->second);
  awaiting_.erase(it);
  if (p.on_result) p.on_result(message.result());
}

}  // namespace vigil::sim
