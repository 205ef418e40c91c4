#include "support/mllp_receiver.hpp"

#include "net/asio.hpp"

#include <array>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "hl7/message.hpp"
#include "hl7/mllp_deframer.hpp"
#include "net/link_socket.hpp"
#include "net/tls_context.hpp"

namespace vigil::test {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

struct Connection {
  Connection(asio::io_context& io, asio::ssl::context* tls)
      : socket(tls ? net::LinkSocket(tcp::socket(io), *tls) : net::LinkSocket(tcp::socket(io))) {}
  net::LinkSocket socket;
  hl7::MllpDeframer deframer;
  std::array<char, 8192> buffer{};
};

// The lowest port the kernel hands out on its own (bind to 0, or a client's connect).
std::uint16_t ephemeral_low() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned low = 32768;
  in >> low;
  return static_cast<std::uint16_t>(low);
}

}  // namespace

struct MllpReceiver::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  tcp::acceptor acceptor{io};
  std::shared_ptr<asio::ssl::context> tls;  // null: plain TCP
  std::uint16_t port = 0;
  std::vector<std::shared_ptr<Connection>> conns;  // io thread only
  std::thread thread;

  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::vector<Received> received;
  Policy policy;
  std::chrono::milliseconds delay{0};
  std::size_t connections = 0;

  // Runs `fn` on the io thread and waits for it.
  void run_sync(const std::function<void()>& fn) {
    std::promise<void> done;
    asio::post(io, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  // A receiver that stops listening gives its port back for a while; a port from the
  // kernel's ephemeral range could meanwhile go to another test's socket, and listen_again
  // would fail. Below that range only an explicit bind takes a port, so the first listen
  // picks a free one there at random (tests run in parallel), falling back to the kernel.
  void first_listen(std::uint16_t at) {
    const std::uint16_t low = ephemeral_low();
    if (at == 0 && low > 11024) {
      std::mt19937 pick(std::random_device{}());
      std::uniform_int_distribution<unsigned> ports(10000, low - 1024u);
      for (int attempt = 0; attempt < 64; ++attempt) {
        try {
          return listen(static_cast<std::uint16_t>(ports(pick)));
        } catch (const boost::system::system_error&) {
          // taken: try another
        }
      }
    }
    listen(at);
  }

  void listen(std::uint16_t at) {
    acceptor = tcp::acceptor(io);
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), at);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept();
  }

  void accept() {
    auto c = std::make_shared<Connection>(io, tls.get());
    acceptor.async_accept(c->socket.tcp(), [this, c](const boost::system::error_code& ec) {
      if (ec) return;
      conns.push_back(c);
      {
        std::lock_guard lock(mu);
        ++connections;
      }
      accept();
      if (!c->socket.tls()) return read(c);
      c->socket.tls()->async_handshake(asio::ssl::stream_base::server,
                                       [this, c](const boost::system::error_code& e) {
                                         if (!e) read(c);
                                       });
    });
  }

  void read(const std::shared_ptr<Connection>& c) {
    c->socket.async_read_some(asio::buffer(c->buffer),
                              [this, c](const boost::system::error_code& ec, std::size_t n) {
                                if (ec) return;
                                std::vector<std::string> messages;
                                c->deframer.feed(std::string_view(c->buffer.data(), n), messages);
                                for (auto& m : messages) answer(c, std::move(m));
                                if (c->socket.tcp().is_open()) read(c);
                              });
  }

  void answer(const std::shared_ptr<Connection>& c, std::string message) {
    Received r;
    r.control_id = control_id_of(message);
    r.message = std::move(message);
    std::chrono::milliseconds wait;
    {
      std::lock_guard lock(mu);
      r.reply = policy ? policy(r.message, received.size()) : Reply::AA;
      wait = delay;
      received.push_back(r);
    }
    cv.notify_all();
    auto reply = [this, c, r] {
      switch (r.reply) {
        case Reply::Silent: return;
        case Reply::Close: c->socket.close(); return;
        case Reply::AA: send(c, make_ack(r.control_id, "AA", "")); return;
        case Reply::AE: send(c, make_ack(r.control_id, "AE", "test receiver refuses this message")); return;
        case Reply::AR: send(c, make_ack(r.control_id, "AR", "test receiver busy, resend later")); return;
      }
    };
    if (wait.count() == 0) return reply();
    auto timer = std::make_shared<asio::steady_timer>(io, wait);
    timer->async_wait([timer, reply](const boost::system::error_code&) { reply(); });
  }

  void send(const std::shared_ptr<Connection>& c, const std::string& ack) {
    auto bytes = std::make_shared<std::string>(hl7::mllp_wrap(ack));
    asio::async_write(c->socket, asio::buffer(*bytes),
                      [bytes, c](const boost::system::error_code&, std::size_t) {});
  }

  void close_all() {
    boost::system::error_code ignore;
    acceptor.close(ignore);
    for (auto& c : conns) c->socket.close();
    conns.clear();
  }
};

MllpReceiver::MllpReceiver(std::uint16_t port, const std::string& tls_cert, const std::string& tls_key)
    : impl_(std::make_unique<Impl>()) {
  if (!tls_cert.empty()) impl_->tls = net::server_tls_context({tls_cert, tls_key, ""});
  impl_->first_listen(port);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

MllpReceiver::~MllpReceiver() {
  impl_->run_sync([this] { impl_->close_all(); });
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t MllpReceiver::port() const { return impl_->port; }

void MllpReceiver::set_policy(Policy policy) {
  std::lock_guard lock(impl_->mu);
  impl_->policy = std::move(policy);
}

void MllpReceiver::set_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mu);
  impl_->delay = delay;
}

void MllpReceiver::stop_listening() {
  impl_->run_sync([this] { impl_->close_all(); });
}

void MllpReceiver::listen_again() {
  impl_->run_sync([this] { impl_->listen(impl_->port); });
}

std::vector<MllpReceiver::Received> MllpReceiver::received() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

std::size_t MllpReceiver::connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->connections;
}

bool MllpReceiver::wait_for(const std::function<bool(const std::vector<Received>&)>& pred,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return pred(impl_->received); });
}

std::string MllpReceiver::control_id_of(const std::string& message) {
  hl7::Message m;
  if (m.parse(message) != hl7::ParseError::None) return "";
  const hl7::Segment* msh = m.find("MSH");
  return msh ? std::string(msh->field(10)) : std::string();
}

std::string MllpReceiver::make_ack(const std::string& control_id, const std::string& code,
                                   const std::string& text) {
  std::string ack =
      "MSH|^~\\&|ENGINE|HOSPITAL|VIGIL||20261122000000+0000||ACK^R01^ACK|ACK-" + control_id + "|P|2.6\r";
  ack += "MSA|" + code + "|" + control_id + "|" + text + "\r";
  if (code != "AA") ack += "ERR|||207|E|||" + text + "\r";
  return ack;
}

}  // namespace vigil::test
