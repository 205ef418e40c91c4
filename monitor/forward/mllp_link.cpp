#include "forward/mllp_link.hpp"

#include "net/link_socket.hpp"

#include <array>
#include <deque>
#include <vector>

namespace vigil::forward {

namespace asio = boost::asio;
using asio::ip::tcp;

// Everything one connection attempt owns; handlers hold it alive and check it is still
// the link's current one before touching the link.
struct MllpLink::State {
  State(asio::io_context& io, asio::ssl::context* tls)
      : resolver(io),
        socket(tls ? std::make_unique<net::LinkSocket>(tcp::socket(io), *tls)
                   : std::make_unique<net::LinkSocket>(tcp::socket(io))) {}
  tcp::resolver resolver;
  std::unique_ptr<net::LinkSocket> socket;
  hl7::MllpDeframer deframer{1u << 20};  // an ACK is small; a 1 MiB one is broken
  std::array<char, 4096> buffer{};
  std::deque<std::string> writes;
};

MllpLink::MllpLink(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls, OnConnected on_connected,
                   OnMessage on_message, OnClosed on_closed)
    : io_(io),
      tls_(std::move(tls)),
      on_connected_(std::move(on_connected)),
      on_message_(std::move(on_message)),
      on_closed_(std::move(on_closed)) {}

MllpLink::~MllpLink() { close(); }

void MllpLink::connect(const std::string& host, std::uint16_t port) {
  close();
  auto s = std::make_shared<State>(io_, tls_.get());
  state_ = s;
  s->resolver.async_resolve(host, std::to_string(port), [this, s, host](const boost::system::error_code& ec,
                                                                         tcp::resolver::results_type results) {
    if (s != state_) return;
    if (ec) return fail(s, "cannot resolve: " + ec.message());
    asio::async_connect(s->socket->tcp(), results, [this, s, host](const boost::system::error_code& ec2,
                                                                   const tcp::endpoint&) {
      if (s != state_) return;
      if (ec2) return fail(s, "cannot connect: " + ec2.message());
      auto* tls = s->socket->tls();
      if (!tls) return connected(s);
      boost::system::error_code not_address;
      asio::ip::make_address(host, not_address);
      if (not_address) SSL_set_tlsext_host_name(tls->native_handle(), host.c_str());  // SNI: names only
      tls->set_verify_mode(asio::ssl::verify_peer);
      tls->set_verify_callback(asio::ssl::host_name_verification(host));
      tls->async_handshake(asio::ssl::stream_base::client, [this, s, host](const boost::system::error_code& ec3) {
        if (s != state_) return;
        if (ec3) return fail(s, "TLS handshake failed: " + ec3.message() + " (check tls_ca_file and the host name)");
        connected(s);
      });
    });
  });
}

void MllpLink::connected(const std::shared_ptr<State>& s) {
  connected_ = true;
  boost::system::error_code ignore;
  s->socket->tcp().set_option(tcp::no_delay(true), ignore);
  read(s);
  if (on_connected_) on_connected_();
}

void MllpLink::read(const std::shared_ptr<State>& s) {
  s->socket->async_read_some(asio::buffer(s->buffer), [this, s](const boost::system::error_code& ec, std::size_t n) {
    if (s != state_) return;
    // EOF is the engine closing on us (some close after each ACK, or on AR): the forwarder
    // reconnects and resends whatever was not answered.
    if (ec) return fail(s, ec == asio::error::eof ? "closed by the engine" : "read failed: " + ec.message());
    std::vector<std::string> messages;
    if (!s->deframer.feed(std::string_view(s->buffer.data(), n), messages)) {
      return fail(s, "reply larger than 1 MiB");
    }
    read(s);  // re-armed first: a handler below may close, which cancels it cleanly
    for (auto& m : messages) {
      if (s != state_) return;
      if (on_message_) on_message_(std::move(m));
    }
  });
}

void MllpLink::send(const std::string& message) {
  auto s = state_;
  if (!s || !connected_) return;
  const bool idle = s->writes.empty();
  s->writes.push_back(hl7::mllp_wrap(message));
  if (idle) write_next(s);
}

void MllpLink::write_next(const std::shared_ptr<State>& s) {
  asio::async_write(*s->socket, asio::buffer(s->writes.front()), [this, s](const boost::system::error_code& ec, std::size_t) {
    if (s != state_) return;
    if (ec) return fail(s, "write failed: " + ec.message());
    s->writes.pop_front();
    if (!s->writes.empty()) write_next(s);
  });
}

void MllpLink::fail(const std::shared_ptr<State>& s, const std::string& why) {
  if (s != state_) return;
  close();
  if (on_closed_) on_closed_(why);
}

void MllpLink::close() {
  connected_ = false;
  if (!state_) return;
  state_->resolver.cancel();
  state_->socket->close();
  state_.reset();
}

}  // namespace vigil::forward
