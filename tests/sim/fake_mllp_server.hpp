#pragma once
// An in-process MLLP receiver on loopback for sender tests. It runs on the test's
// io_context (the same one as the sender under test), records every message it receives
// and answers each one as the test's policy says: an ACK code, silence, or closing.

#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "net/asio.hpp"

#include "sim/ack_reader.hpp"

namespace vigil::sim::test {

enum class Answer { AA, AE, AR, Silent, Close };

class FakeMllpServer {
 public:
  // policy(message, index of this message among all received, 0-based)
  using Policy = std::function<Answer(const std::string& message, std::size_t index)>;

  explicit FakeMllpServer(boost::asio::io_context& io, std::uint16_t port = 0) : io_(io), acceptor_(io) {
    listen(port);
  }
  ~FakeMllpServer() { close_all(); }

  void set_policy(Policy p) { policy_ = std::move(p); }
  std::uint16_t port() const { return port_; }
  boost::asio::ip::tcp::endpoint endpoint() const {
    return {boost::asio::ip::make_address("127.0.0.1"), port_};
  }
  const std::vector<std::string>& messages() const { return messages_; }
  std::size_t connections() const { return connections_; }
  std::size_t closed_by_peer() const { return closed_by_peer_; }

  // Stops listening and closes every connection (the port then refuses).
  void close_all() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& c : conns_) c->socket.close(ec);
    conns_.clear();
  }
  // Listens again (on the same port when port() is set).
  void listen(std::uint16_t port) {
    using boost::asio::ip::tcp;
    acceptor_ = tcp::acceptor(io_);
    tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
  }

  // The MSH-10 of a message.
  static std::string control_id(const std::string& msg) {
    std::size_t pos = 0;
    for (int field = 0; field < 9; ++field) {
      pos = msg.find('|', pos);
      if (pos == std::string::npos) return "";
      ++pos;
    }
    return msg.substr(pos, msg.find('|', pos) - pos);
  }

 private:
  struct Conn {
    explicit Conn(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    ReplyDeframer deframer;
    std::array<char, 4096> buf{};
  };

  void accept() {
    auto conn = std::make_shared<Conn>(io_);
    acceptor_.async_accept(conn->socket, [this, conn](boost::system::error_code ec) {
      if (ec) return;
      ++connections_;
      conns_.push_back(conn);
      read(conn);
      accept();
    });
  }

  void read(const std::shared_ptr<Conn>& conn) {
    conn->socket.async_read_some(
        boost::asio::buffer(conn->buf), [this, conn](boost::system::error_code ec, std::size_t n) {
          if (ec) {
            if (ec != boost::asio::error::operation_aborted) ++closed_by_peer_;
            return;
          }
          conn->deframer.feed(conn->buf.data(), n);
          while (auto msg = conn->deframer.next()) {
            const std::size_t index = messages_.size();
            messages_.push_back(*msg);
            const Answer a = policy_ ? policy_(*msg, index) : Answer::AA;
            if (a == Answer::Close) {
              boost::system::error_code ignored;
              conn->socket.close(ignored);
              return;
            }
            if (a == Answer::Silent) continue;
            const char* code = a == Answer::AA ? "AA" : a == Answer::AE ? "AE" : "AR";
            auto reply = std::make_shared<std::string>(
                mllp_frame("MSH|^~\\&|VIGILD||||20261121101500||ACK^R01^ACK|A" + std::to_string(index) +
                           "|P|2.6\rMSA|" + code + "|" + control_id(*msg) + "\r"));
            boost::asio::async_write(conn->socket, boost::asio::buffer(*reply),
                                     [reply](boost::system::error_code, std::size_t) {});
          }
          read(conn);
        });
  }

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  Policy policy_;
  std::vector<std::shared_ptr<Conn>> conns_;
  std::vector<std::string> messages_;
  std::size_t connections_ = 0;
  std::size_t closed_by_peer_ = 0;
};

// Runs the io_context until `done()` or the deadline; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.run_one_for(std::chrono::milliseconds(10));
    if (io.stopped()) io.restart();
  }
  return done();
}

}  // namespace vigil::sim::test
