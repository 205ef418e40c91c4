#include "forward/mllp_link.hpp"

namespace vigil::forward {

namespace asio = boost::asio;

namespace {
// An ACK is small; a 1 MiB one is broken.
constexpr std::size_t kMaxReplyBytes = 1u << 20;
}  // namespace

MllpLink::MllpLink(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls, OnConnected on_connected,
                   OnMessage on_message, OnClosed on_closed)
    : on_connected_(std::move(on_connected)),
      on_message_(std::move(on_message)),
      on_closed_(std::move(on_closed)),
      dialer_(std::make_shared<net::Dialer>(io, std::move(tls))) {}

MllpLink::~MllpLink() { close(); }

void MllpLink::connect(const std::string& host, std::uint16_t port) {
  close();
  dialing_ = true;
  dialer_->dial(
      host, port,
      [this](net::LinkError error, const std::string& detail, std::unique_ptr<net::LinkSocket> socket) {
        dialing_ = false;
        if (error == net::LinkError::None) return connected(std::move(socket));
        fail(error == net::LinkError::TlsHandshake ? detail + " (check tls_ca_file and the host name)"
                                                   : detail);
      });
}

void MllpLink::connected(std::unique_ptr<net::LinkSocket> socket) {
  net::MllpPeer::Handlers handlers;
  // The handlers run only while the peer is open, and close() closes it before it goes, so
  // `this` is alive whenever they run.
  handlers.on_message = [this](std::string_view message) {
    if (on_message_) on_message_(std::string(message));
  };
  handlers.on_closed = [this](net::LinkError error, const std::string& detail) {
    // EOF is the engine closing on us (some close after each ACK, or on AR): the forwarder
    // reconnects and resends whatever was not answered.
    if (error == net::LinkError::Closed) return fail("closed by the engine");
    if (error == net::LinkError::Protocol) return fail("reply larger than 1 MiB");
    fail(detail);
  };
  peer_ = std::make_shared<net::MllpPeer>(std::move(*socket), net::MllpPeer::Options{kMaxReplyBytes, {}},
                                          std::move(handlers));
  connected_ = true;
  peer_->start();
  if (on_connected_) on_connected_();
}

void MllpLink::send(const std::string& message) {
  if (!peer_ || !connected_) return;
  peer_->send(message);
}

void MllpLink::fail(const std::string& why) {
  close();
  if (on_closed_) on_closed_(why);
}

void MllpLink::close() {
  connected_ = false;
  dialing_ = false;
  dialer_->cancel();
  if (peer_) {
    peer_->close();
    peer_.reset();
  }
}

}  // namespace vigil::forward
