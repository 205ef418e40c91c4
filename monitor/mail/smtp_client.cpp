#include "mail/smtp_client.hpp"

#include <boost/asio/ssl.hpp>

#include <array>
#include <stdexcept>

namespace vigil::mail {

namespace asio = boost::asio;
using asio::ip::tcp;

// One mail over one connection. Lockstep, as SMTP without pipelining is: a command out, its
// reply in, the dialog decides the next.
class SmtpClient::Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Done = std::function<void(const Result&)>;
  Connection(asio::io_context& io, const SmtpOptions& options, asio::ssl::context* tls, OutgoingMail mail,
             Done done)
      : options_(options),
        resolver_(io),
        stream_(io, tls ? *tls : plain_context()),
        timer_(io),
        recipients_(mail.to.size()),
        dialog_({options.helo_name, options.starttls, options.user, options.password}, std::move(mail)),
        done_(std::move(done)) {}

  void start() {
    arm("connecting to " + options_.host);
    auto self = shared_from_this();
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            [self](const boost::system::error_code& ec, tcp::resolver::results_type results) {
                              if (self->finished_) return;
                              if (ec) return self->finish(false, "cannot resolve the relay: " + ec.message());
                              asio::async_connect(
                                  self->stream_.next_layer(), results,
                                  [self](const boost::system::error_code& e, const tcp::endpoint&) {
                                    if (e) return self->finish(false, "cannot connect: " + e.message());
                                    self->read();
                                  });
                            });
  }

  void close() {
    finished_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  }

 private:
  // Only for the type: a plain session never handshakes, so its context is never used.
  static asio::ssl::context& plain_context() {
    static asio::ssl::context unused(asio::ssl::context::tls_client);
    return unused;
  }

  void arm(const std::string& what) {
    timer_.expires_after(options_.timeout);
    auto self = shared_from_this();
    timer_.async_wait([self, what](const boost::system::error_code& ec) {
      if (ec) return;
      self->finish(false,
                   "timed out " + what + " (" + std::to_string(self->options_.timeout.count()) + " s)");
    });
  }

  void read() {
    if (finished_) return;
    // A reply may already be buffered (bytes that came with the previous one).
    if (!inbox_.empty() && take_reply()) return;
    arm("waiting for the relay's reply");
    auto self = shared_from_this();
    auto handler = [self](const boost::system::error_code& ec, std::size_t n) {
      if (self->finished_) return;
      if (ec) {
        if (self->dialog_.delivered()) return self->finish(true, "");
        return self->finish(false, "link to the relay lost: " + ec.message());
      }
      self->inbox_.append(self->buffer_.data(), n);
      if (!self->take_reply()) self->read();
    };
    if (tls_on_)
      stream_.async_read_some(asio::buffer(buffer_), handler);
    else
      stream_.next_layer().async_read_some(asio::buffer(buffer_), handler);
  }

  // Parses one reply out of inbox_ and acts on it; false when more bytes are needed.
  bool take_reply() {
    std::size_t used = 0;
    SmtpReply reply;
    const auto r = parser_.feed(inbox_, used, reply);
    inbox_.erase(0, used);
    if (r == SmtpReplyParser::Result::NeedMore) return false;
    if (r == SmtpReplyParser::Result::Bad) {
      finish(false, "relay sent something that is not SMTP: " + parser_.error());
      return true;
    }
    act(dialog_.on_reply(reply));
    return true;
  }

  void act(DialogStep step) {
    switch (step.kind) {
      case DialogStep::Kind::Send: return write(std::move(step.bytes));
      case DialogStep::Kind::StartTls: return handshake();
      case DialogStep::Kind::Done: return finish(true, step.error);
      case DialogStep::Kind::Failed: return finish(false, step.error);
    }
  }

  void write(std::string bytes) {
    outbox_ = std::move(bytes);
    arm("sending to the relay");
    auto self = shared_from_this();
    auto handler = [self](const boost::system::error_code& ec, std::size_t) {
      if (self->finished_) return;
      if (ec) return self->finish(false, "link to the relay lost: " + ec.message());
      self->read();
    };
    if (tls_on_)
      asio::async_write(stream_, asio::buffer(outbox_), handler);
    else
      asio::async_write(stream_.next_layer(), asio::buffer(outbox_), handler);
  }

  void handshake() {
    // Bytes sent before the handshake are the relay's plaintext: none may be taken as TLS.
    if (!inbox_.empty()) return finish(false, "relay sent data before the TLS handshake");
    SSL_set_tlsext_host_name(stream_.native_handle(), options_.host.c_str());
    stream_.set_verify_mode(asio::ssl::verify_peer);
    stream_.set_verify_callback(asio::ssl::host_name_verification(options_.host));
    arm("in the TLS handshake");
    auto self = shared_from_this();
    stream_.async_handshake(asio::ssl::stream_base::client, [self](const boost::system::error_code& ec) {
      if (self->finished_) return;
      if (ec) return self->finish(false, "TLS handshake with the relay failed: " + ec.message());
      self->tls_on_ = true;
      self->act(self->dialog_.on_tls_ready());
    });
  }

  void finish(bool ok, const std::string& detail) {
    if (finished_) return;
    close();
    Result result{ok, ok ? "delivered to " + std::to_string(recipients_) + " recipients" +
                               (detail.empty() ? "" : "; " + detail)
                         : detail};
    if (done_) done_(result);
  }

  const SmtpOptions options_;  // a copy: the connection may outlive its client's stop()
  tcp::resolver resolver_;
  asio::ssl::stream<tcp::socket> stream_;
  asio::steady_timer timer_;
  std::size_t recipients_;
  SmtpDialog dialog_;
  SmtpReplyParser parser_;
  Done done_;
  std::array<char, 4096> buffer_{};
  std::string inbox_;   // received, not yet parsed (at most one read beyond a reply)
  std::string outbox_;  // the write in flight
  bool tls_on_ = false;
  bool finished_ = false;
};

SmtpClient::SmtpClient(asio::io_context& io, SmtpOptions options, Report report)
    : io_(io), options_(std::move(options)), report_(std::move(report)) {
  if (!options_.starttls) return;
  tls_ = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  tls_->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                    asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (options_.ca_file.empty())
    tls_->set_default_verify_paths(ec);
  else
    tls_->load_verify_file(options_.ca_file, ec);
  if (ec) throw std::invalid_argument("cannot load " + options_.ca_file + ": " + ec.message());
}

SmtpClient::~SmtpClient() { stop(); }

void SmtpClient::send(std::vector<std::string> to, const std::string& subject, const std::string& body,
                      std::int64_t at_ms) {
  if (queue_.size() >= kMaxQueuedMails) {
    queue_.pop_front();
    ++stats_.dropped;
    if (report_)
      report_({false, "mail queue full (" + std::to_string(kMaxQueuedMails) + "): the oldest mail dropped"});
  }
  const std::string id = std::to_string(at_ms) + "." + std::to_string(next_id_++) + "@vigil";
  OutgoingMail mail{options_.from, to, compose_mail(options_.from, to, subject, body, at_ms, id)};
  queue_.push_back(std::move(mail));
  if (!current_) start_next();
}

void SmtpClient::start_next() {
  if (queue_.empty()) return;
  OutgoingMail mail = std::move(queue_.front());
  queue_.pop_front();
  std::weak_ptr<bool> alive = alive_;
  current_ = std::make_shared<Connection>(io_, options_, tls_.get(), std::move(mail),
                                          [this, alive](const Result& r) {
                                            if (alive.expired()) return;
                                            // Not from inside the connection's own handler chain: it may
                                            // still be on the stack.
                                            asio::post(io_, [this, alive, r] {
                                              if (alive.expired()) return;
                                              finished(r);
                                            });
                                          });
  current_->start();
}

void SmtpClient::finished(const Result& result) {
  current_.reset();
  if (result.ok)
    ++stats_.delivered;
  else
    ++stats_.failed;
  if (report_) report_(result);
  start_next();
}

void SmtpClient::stop() {
  queue_.clear();
  if (current_) current_->close();
  current_.reset();
  alive_ = std::make_shared<bool>(true);  // callbacks of the closed connection find theirs expired
}

}  // namespace vigil::mail
