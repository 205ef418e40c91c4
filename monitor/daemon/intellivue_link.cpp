#include <utility>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include "daemon/intellivue_link.hpp"

#include <array>
#include <deque>
#include <vector>

#include "daemon/serial_port_transport.hpp"
#include "intellivue/mib_frame.hpp"

namespace vigil::daemon {

namespace asio = boost::asio;
using asio::ip::udp;
using boost::system::error_code;

namespace {

// The shared state lives in a shared_ptr so that handlers still queued after stop() (or
// after the owner is gone) find `stopped` set instead of freed memory.
class UdpLink final : public IvLink {
 public:
  UdpLink(asio::io_context& io, std::string host, std::uint16_t port, IvLinkCallbacks callbacks,
          std::chrono::milliseconds retry)
      : s_(std::make_shared<State>(io, std::move(host), port, std::move(callbacks), retry)) {}
  ~UdpLink() override { stop(); }

  void start() override {
    asio::post(s_->io, [s = s_] { resolve(s); });
  }
  void stop() override {
    if (s_->stopped) return;
    s_->stopped = true;
    error_code ignored;
    s_->socket.close(ignored);
    s_->retry_timer.cancel();
    s_->resolver.cancel();
    s_->queue.clear();
  }
  bool send(std::string message) override {
    if (s_->stopped || !s_->up || s_->queue.size() >= kIvMaxQueuedMessages) {
      ++s_->counters.dropped_out;
      return false;
    }
    s_->queue.push_back(std::move(message));
    if (!s_->sending) write_next(s_);
    return true;
  }
  const IvLinkCounters& counters() const override { return s_->counters; }
  std::string describe() const override { return "udp " + s_->host + ":" + std::to_string(s_->port); }

 private:
  struct State {
    State(asio::io_context& ctx, std::string h, std::uint16_t p, IvLinkCallbacks cb,
          std::chrono::milliseconds r)
        : io(ctx),
          host(std::move(h)),
          port(p),
          callbacks(std::move(cb)),
          retry(r),
          socket(ctx),
          resolver(ctx),
          retry_timer(ctx) {}
    asio::io_context& io;
    std::string host;
    std::uint16_t port;
    IvLinkCallbacks callbacks;
    std::chrono::milliseconds retry;
    udp::socket socket;
    udp::resolver resolver;
    asio::steady_timer retry_timer;
    std::array<char, kIvMaxDatagram> buffer{};
    std::deque<std::string> queue;
    bool sending = false;
    bool up = false;
    bool reported_down = false;  // one on_down per outage, not one per retry
    bool stopped = false;
    IvLinkCounters counters;
  };
  using StatePtr = std::shared_ptr<State>;

  static void fail(const StatePtr& s, const std::string& reason) {
    if (s->stopped) return;
    error_code ignored;
    s->socket.close(ignored);
    s->queue.clear();
    s->sending = false;
    const bool was_up = s->up;
    s->up = false;
    if (s->callbacks.on_down && (was_up || !s->reported_down)) s->callbacks.on_down(reason);
    s->reported_down = true;
    s->retry_timer.expires_after(s->retry);
    s->retry_timer.async_wait([s](const error_code& ec) {
      if (!ec && !s->stopped) resolve(s);
    });
  }

  static void resolve(const StatePtr& s) {
    if (s->stopped) return;
    s->resolver.async_resolve(s->host, std::to_string(s->port),
                              [s](const error_code& ec, udp::resolver::results_type r) {
                                if (s->stopped) return;
                                if (ec || r.empty())
                                  return fail(s, "cannot resolve " + s->host + ": " + ec.message());
                                const udp::endpoint to = r.begin()->endpoint();
                                error_code e;
                                s->socket.open(to.protocol(), e);
                                // connect(): only the monitor's datagrams are delivered to us, and an ICMP
                                // "port unreachable" surfaces as a receive error instead of silence.
                                if (!e) s->socket.connect(to, e);
                                if (e) return fail(s, "cannot open UDP to " + s->host + ": " + e.message());
                                s->up = true;
                                s->reported_down = false;
                                receive(s);
                                if (s->callbacks.on_up) s->callbacks.on_up();
                              });
  }

  static void receive(const StatePtr& s) {
    s->socket.async_receive(asio::buffer(s->buffer), [s](const error_code& ec, std::size_t n) {
      if (s->stopped || ec == asio::error::operation_aborted) return;
      if (ec) {
        // Typically connection_refused (ICMP port unreachable: nothing listens there yet).
        // The session's timeouts decide what it means; keep listening.
        ++s->counters.receive_errors;
      } else {
        ++s->counters.messages_in;
        if (s->callbacks.on_message) s->callbacks.on_message(std::string_view(s->buffer.data(), n));
        if (s->stopped) return;
      }
      if (s->up) receive(s);
    });
  }

  static void write_next(const StatePtr& s) {
    if (s->queue.empty() || !s->up) {
      s->sending = false;
      return;
    }
    s->sending = true;
    s->socket.async_send(asio::buffer(s->queue.front()), [s](const error_code& ec, std::size_t) {
      if (s->stopped || ec == asio::error::operation_aborted) return;
      if (!s->queue.empty()) s->queue.pop_front();
      if (ec)
        ++s->counters.dropped_out;  // e.g. refused: the session will time out and retry
      else
        ++s->counters.messages_out;
      write_next(s);
    });
  }

  StatePtr s_;
};

class MibSerialLink final : public IvLink {
 public:
  MibSerialLink(asio::io_context& io, std::string device, unsigned baud, IvLinkCallbacks callbacks)
      : callbacks_(std::move(callbacks)),
        device_(device),
        baud_(baud),
        transport_(io, options(std::move(device), baud),
                   transport::SerialPortCallbacks{[this](std::string_view b) { on_bytes(b); },
                                                  [this] {
                                                    deframer_.reset();
                                                    if (callbacks_.on_up) callbacks_.on_up();
                                                  },
                                                  [this](const std::string& r) {
                                                    if (callbacks_.on_down) callbacks_.on_down(r);
                                                  },
                                                  nullptr}) {}
  ~MibSerialLink() override { stop(); }

  void start() override { transport_.start(); }
  void stop() override {
    stopped_ = true;
    transport_.stop();
  }
  bool send(std::string message) override {
    std::string frame = intellivue::encode_mib_frame(message);
    if (frame.empty() || !transport_.send(std::move(frame))) {
      ++counters_.dropped_out;
      return false;
    }
    ++counters_.messages_out;
    return true;
  }
  const IvLinkCounters& counters() const override { return counters_; }
  std::string describe() const override {
    return "serial " + device_ + " at " + std::to_string(baud_) + " baud";
  }

 private:
  static transport::SerialPortOptions options(std::string device, unsigned baud) {
    transport::SerialPortOptions o;
    o.device = std::move(device);
    o.baud = baud;
    o.max_write_queue_bytes = kIvMaxQueuedMessages * 2 * intellivue::kMaxMibFrameBytes;
    return o;
  }

  void on_bytes(std::string_view bytes) {
    if (stopped_) return;
    messages_.clear();
    deframer_.feed(bytes, messages_);
    counters_.bad_frames = deframer_.counters().bad_frames();
    for (const std::string& m : messages_) {
      ++counters_.messages_in;
      if (callbacks_.on_message) callbacks_.on_message(m);
      if (stopped_) return;
    }
  }

  IvLinkCallbacks callbacks_;
  std::string device_;
  unsigned baud_;
  intellivue::MibDeframer deframer_;
  std::vector<std::string> messages_;  // scratch for the deframer's output
  IvLinkCounters counters_;
  bool stopped_ = false;
  transport::SerialPortTransport transport_;  // last: its callbacks use the members above
};

}  // namespace

std::unique_ptr<IvLink> make_udp_link(asio::io_context& io, std::string host, std::uint16_t port,
                                      IvLinkCallbacks callbacks, std::chrono::milliseconds retry) {
  return std::make_unique<UdpLink>(io, std::move(host), port, std::move(callbacks), retry);
}

std::unique_ptr<IvLink> make_mib_serial_link(asio::io_context& io, std::string device, unsigned baud,
                                             IvLinkCallbacks callbacks) {
  return std::make_unique<MibSerialLink>(io, std::move(device), baud, std::move(callbacks));
}

}  // namespace vigil::daemon
