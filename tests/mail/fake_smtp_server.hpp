#pragma once
// A tiny SMTP relay for tests, on 127.0.0.1 and its own thread (blocking Asio: simple, and
// nothing here is the code under test). It serves connections one after another as the
// script says, and records what each client sent.

#include "net/asio.hpp"

#include <boost/asio/ssl.hpp>

#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil::test {

class FakeSmtpServer {
 public:
  struct Script {
    bool offer_starttls = false;
    std::string cert_file, key_file;  // for STARTTLS
    std::string refuse_rcpt;          // RCPT TO this address: 550
    bool silent = false;              // accept and never answer (timeouts)
  };
  struct Session {
    std::vector<std::string> commands;    // as received, CR LF removed
    std::vector<bool> commands_over_tls;  // parallel to commands
    std::string data;                     // the DATA section, still dot-stuffed, without the final "."
  };

  explicit FakeSmtpServer(Script script) : script_(std::move(script)), acceptor_(io_) {
    using boost::asio::ip::tcp;
    tcp::endpoint at(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(at.protocol());
    acceptor_.bind(at);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve_all(); });
  }
  ~FakeSmtpServer() {
    // A blocking accept() is not woken by close() from another thread; shutdown() wakes it
    // (Linux), and the loop then ends on the error.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    {
      std::lock_guard lock(mutex_);
      // Unblocks a conversation still waiting (shutdown, unlike close, is safe from here).
      if (live_) ::shutdown(live_->native_handle(), SHUT_RDWR);
    }
    thread_.join();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

  std::uint16_t port() const { return port_; }
  std::vector<Session> sessions() const {
    std::lock_guard lock(mutex_);
    return sessions_;
  }
  // Waits until `count` messages were taken (DATA completed), at most `timeout`.
  bool wait_for_mails(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return mail_taken_.wait_for(lock, timeout, [&] { return mails_ >= count; });
  }

 private:
  void serve_all() {
    for (;;) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec) return;
      {
        std::lock_guard lock(mutex_);
        sessions_.emplace_back();
        live_ = &socket;
      }
      try {
        if (script_.silent) {
          char byte;
          socket.read_some(boost::asio::buffer(&byte, 1), ec);  // until the client gives up
        } else {
          boost::asio::streambuf in;
          converse(socket, in, false, socket);
        }
      } catch (const std::exception&) {
        // The client went away mid-conversation: what it sent is recorded.
      }
      std::lock_guard lock(mutex_);
      live_ = nullptr;
    }
  }

  void record(const std::string& command, bool tls) {
    std::lock_guard lock(mutex_);
    sessions_.back().commands.push_back(command);
    sessions_.back().commands_over_tls.push_back(tls);
  }

  template <class Stream>
  void converse(Stream& s, boost::asio::streambuf& in, bool tls, boost::asio::ip::tcp::socket& socket) {
    auto say = [&s](const std::string& text) { boost::asio::write(s, boost::asio::buffer(text)); };
    auto line = [&s, &in] {
      boost::asio::read_until(s, in, "\r\n");
      std::istream is(&in);
      std::string l;
      std::getline(is, l);
      if (!l.empty() && l.back() == '\r') l.pop_back();
      return l;
    };
    if (!tls) say("220 fake.relay ESMTP\r\n");
    for (;;) {
      const std::string cmd = line();
      record(cmd, tls);
      const std::string verb = cmd.substr(0, cmd.find_first_of(" :"));
      if (verb == "EHLO") {
        say(std::string("250-fake.relay\r\n") + (script_.offer_starttls && !tls ? "250-STARTTLS\r\n" : "") +
            "250 AUTH PLAIN\r\n");
      } else if (verb == "STARTTLS" && !tls) {
        say("220 go ahead\r\n");
        boost::asio::ssl::context context(boost::asio::ssl::context::tls_server);
        context.use_certificate_chain_file(script_.cert_file);
        context.use_private_key_file(script_.key_file, boost::asio::ssl::context::pem);
        boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> secure(socket, context);
        secure.handshake(boost::asio::ssl::stream_base::server);
        boost::asio::streambuf secure_in;
        return converse(secure, secure_in, true, socket);
      } else if (verb == "AUTH") {
        say("235 ok\r\n");
      } else if (verb == "MAIL") {
        say("250 ok\r\n");
      } else if (verb == "RCPT") {
        const bool refused =
            !script_.refuse_rcpt.empty() && cmd.find(script_.refuse_rcpt) != std::string::npos;
        say(refused ? "550 no such user\r\n" : "250 ok\r\n");
      } else if (verb == "DATA") {
        say("354 go ahead\r\n");
        std::string data;
        for (std::string l = line(); l != "."; l = line()) data += l + "\r\n";
        {
          std::lock_guard lock(mutex_);
          sessions_.back().data = data;
          ++mails_;
        }
        mail_taken_.notify_all();
        say("250 queued\r\n");
      } else if (verb == "QUIT") {
        say("221 bye\r\n");
        return;
      } else {
        say("500 what\r\n");
      }
    }
  }

  Script script_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable mail_taken_;
  std::size_t mails_ = 0;
  std::vector<Session> sessions_;
  boost::asio::ip::tcp::socket* live_ = nullptr;
};

}  // namespace vigil::test
