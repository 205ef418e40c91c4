#include "sim/mllp_sender.hpp"

#include <algorithm>

namespace vigil::sim {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
// An ACK is a few hundred bytes; a reply beyond this is not one (the link is dropped).
constexpr std::size_t kMaxReplyBytes = 64 * 1024;
}  // namespace

MllpSender::MllpSender(asio::io_context& io, SenderOptions options)
    : io_(io),
      opt_(std::move(options)),
      deadline_(io),
      retry_(io),
      rng_(opt_.seed),
      backoff_(opt_.backoff_initial) {
  dialer_ = std::make_shared<net::Dialer>(io_, nullptr, opt_.connect_timeout);
}

void MllpSender::log(const std::string& line) {
  if (log_hook_) log_hook_(opt_.name + ": " + line);
}

void MllpSender::start() { connect(); }

void MllpSender::enqueue(std::string message, std::string control_id) {
  if (stopped_) return;
  if (queue_.size() >= std::max<std::size_t>(opt_.max_queue, 1)) {
    // Keep the message in flight; drop the oldest one still waiting.
    const std::size_t victim = in_flight_ && queue_.size() > 1 ? 1 : 0;
    if (!(in_flight_ && victim == 0)) {
      queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(victim));
      ++counters_.dropped;
    }
  }
  queue_.push_back({std::move(message), std::move(control_id)});
  pump();
}

void MllpSender::connect() {
  if (stopped_ || suspended_ || connected_ || connecting_) return;
  connecting_ = true;
  const auto gen = ++generation_;
  auto self = shared_from_this();
  dialer_->dial(opt_.endpoint, [this, self, gen](net::LinkError error, const std::string&,
                                                 std::unique_ptr<net::LinkSocket> socket) {
    if (gen != generation_ || stopped_) return;
    connecting_ = false;
    if (error != net::LinkError::None) {
      ++counters_.connect_failures;
      ++generation_;
      schedule_reconnect(next_backoff());
      return;
    }
    net::MllpPeer::Handlers handlers;
    // The sender holds the peer and closes it before letting go; a closed peer calls
    // nothing, so `this` is alive whenever these run.
    handlers.on_message = [this](std::string_view payload) { on_reply(payload); };
    handlers.on_closed = [this](net::LinkError, const std::string& detail) {
      // EOF or reset: the receiver went away. The message in flight stays queued.
      drop_connection("connection lost: " + detail, true);
    };
    peer_ = std::make_shared<net::MllpPeer>(std::move(*socket), net::MllpPeer::Options{kMaxReplyBytes, {}},
                                            std::move(handlers));
    on_connected();
  });
}

void MllpSender::on_connected() {
  connected_ = true;
  if (counters_.connects++ > 0) ++counters_.reconnects;
  backoff_ = opt_.backoff_initial;
  attempts_ = 0;
  peer_->start();
  pump();
}

std::chrono::milliseconds MllpSender::next_backoff() {
  // Full doubling with +-25% jitter, so a thousand monitors do not reconnect in lockstep.
  auto base = backoff_;
  backoff_ = std::min(backoff_ * 2, opt_.backoff_max);
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(base.count()) * jitter(rng_)));
}

void MllpSender::schedule_reconnect(std::chrono::milliseconds delay) {
  if (stopped_ || suspended_) return;
  auto self = shared_from_this();
  const auto gen = generation_;
  retry_.expires_after(delay);
  retry_.async_wait([this, self, gen](error_code ec) {
    if (ec || gen != generation_) return;
    connect();
  });
}

void MllpSender::drop_connection(const std::string& why, bool reconnect) {
  if (!why.empty()) log(why);
  ++generation_;
  connected_ = false;
  connecting_ = false;
  in_flight_ = false;
  awaiting_ack_ = false;
  attempts_ = 0;
  deadline_.cancel();
  retry_.cancel();
  dialer_->cancel();
  if (peer_) {
    auto peer = std::move(peer_);  // alive until this returns, even when called from its handler
    peer->close();
  }
  if (reconnect) schedule_reconnect(next_backoff());
}

void MllpSender::suspend() {
  suspended_ = true;
  drop_connection("unplugged", false);
}

void MllpSender::resume() {
  if (!suspended_) return;
  suspended_ = false;
  backoff_ = opt_.backoff_initial;
  connect();
}

void MllpSender::stop() {
  stopped_ = true;
  drop_connection("", false);
}

void MllpSender::pump() {
  if (!connected_ || in_flight_ || queue_.empty() || stopped_) return;
  in_flight_ = true;
  attempts_ = 0;
  send_front();
}

void MllpSender::write(std::shared_ptr<std::string> bytes, std::function<void()> then) {
  if (!peer_) return;
  auto self = shared_from_this();
  const auto gen = generation_;
  peer_->write(std::move(*bytes), [this, self, gen, then = std::move(then)] {
    if (gen != generation_ || stopped_) return;
    then();
  });
}

std::string MllpSender::fault_bytes(WireFault fault, const std::string& frame) {
  std::uniform_int_distribution<int> byte(0x20, 0xFF);
  switch (fault) {
    case WireFault::Garbage: {
      std::string junk;
      std::uniform_int_distribution<int> len(1, 64);
      for (int i = len(rng_); i > 0; --i) junk += static_cast<char>(byte(rng_));  // never 0x0B
      return junk + frame;
    }
    case WireFault::Truncate:
      return frame.substr(0, frame.size() / 2) + frame;  // starts with 0x0B, never ends
    case WireFault::Duplicate: return frame + frame;
    default: return frame;
  }
}

void MllpSender::send_front() {
  if (!connected_ || queue_.empty()) return;
  ++attempts_;
  const std::string frame = mllp_frame(queue_.front().text);
  const auto after_write = [this] {
    ++counters_.sent;
    sent_at_ = std::chrono::steady_clock::now();
    arm_ack_deadline();
  };
  std::optional<WireFault> fault;
  if (!opt_.faults.kinds.empty() && opt_.faults.rate > 0 &&
      std::bernoulli_distribution(std::min(opt_.faults.rate, 1.0))(rng_)) {
    std::uniform_int_distribution<std::size_t> pick(0, opt_.faults.kinds.size() - 1);
    fault = opt_.faults.kinds[pick(rng_)];
    ++counters_.faults_injected;
  }
  if (fault == WireFault::Stall || fault == WireFault::Disconnect) {
    auto head = std::make_shared<std::string>(frame.substr(0, frame.size() / 2));
    auto tail = std::make_shared<std::string>(frame.substr(frame.size() / 2));
    const bool stall = *fault == WireFault::Stall;
    write(head, [this, tail, stall, after_write] {
      if (!stall) {
        drop_connection("fault: disconnect mid-message", true);
        return;
      }
      auto self = shared_from_this();
      const auto gen = generation_;
      retry_.expires_after(opt_.faults.stall);
      retry_.async_wait([this, self, gen, tail, after_write](error_code ec) {
        if (ec || gen != generation_) return;
        write(tail, after_write);
      });
    });
    return;
  }
  write(std::make_shared<std::string>(fault ? fault_bytes(*fault, frame) : frame), after_write);
}

void MllpSender::arm_ack_deadline() {
  awaiting_ack_ = true;
  auto self = shared_from_this();
  const auto gen = generation_;
  deadline_.expires_after(opt_.ack_timeout);
  deadline_.async_wait([this, self, gen](error_code ec) {
    if (ec || gen != generation_ || !awaiting_ack_) return;
    on_ack_timeout();
  });
}

void MllpSender::on_reply(std::string_view payload) {
  if (auto ack = parse_ack(payload)) on_ack(*ack);
}

void MllpSender::finish_front() {
  queue_.pop_front();
  in_flight_ = false;
  awaiting_ack_ = false;
  attempts_ = 0;
  pump();
}

void MllpSender::retry_later() {
  ++counters_.retries;
  auto self = shared_from_this();
  const auto gen = generation_;
  // Short pauses between resends: initial backoff doubled per attempt, capped.
  auto delay = std::min(opt_.backoff_initial * (1 << std::min(attempts_ - 1, 10)), opt_.backoff_max);
  retry_.expires_after(delay);
  retry_.async_wait([this, self, gen](error_code ec) {
    if (ec || gen != generation_) return;
    send_front();
  });
}

void MllpSender::on_ack(const Ack& ack) {
  if (!awaiting_ack_ || queue_.empty() || ack.control_id != queue_.front().control_id) {
    ++counters_.stray_acks;
    return;
  }
  awaiting_ack_ = false;
  deadline_.cancel();
  if (ack_hook_) ack_hook_(ack.code, std::chrono::steady_clock::now() - sent_at_);
  if (ack.code == "AA" || ack.code == "CA") {
    ++counters_.acked_aa;
    finish_front();
  } else if (ack.code == "AR" || ack.code == "CR") {
    // Rejected: the receiver is in trouble or refuses the message type. A B40 does not
    // resend; it disconnects and tries again later.
    ++counters_.acked_ar;
    ++counters_.rejected;
    log("AR for " + ack.control_id + ": not resent; disconnecting");
    queue_.pop_front();
    drop_connection("", true);
  } else {
    ++counters_.acked_ae;
    if (attempts_ >= opt_.max_attempts) {
      ++counters_.dropped;
      log(ack.code + " for " + ack.control_id + " after " + std::to_string(attempts_) + " attempts: dropped");
      finish_front();
    } else {
      retry_later();
    }
  }
}

void MllpSender::on_ack_timeout() {
  awaiting_ack_ = false;
  ++counters_.timeouts;
  if (attempts_ >= opt_.max_attempts) {
    // Silence after every attempt: the link is suspect. Keep the message for the next one.
    drop_connection("no ACK after " + std::to_string(attempts_) + " attempts: reconnecting", true);
    return;
  }
  retry_later();
}

}  // namespace vigil::sim
