#pragma once
// Sends escalation mail through the clinic's SMTP relay, asynchronously on the daemon's
// io_context: never blocks, one mail at a time over its own connection (a relay inside the
// clinic; a few mails an hour at most), plain or STARTTLS (OpenSSL, the relay's certificate
// and name checked), every connect and reply under `timeout`.
//
//   send() -> queue (at most kMaxQueuedMails; the oldest is dropped, counted and reported)
//          -> resolve -> connect -> SmtpDialog (smtp_dialog.hpp) over the bytes -> report
//
// Every mail's outcome goes to `report` (delivered, or why not); the daemon logs it and
// raises or ends T8 "escalation mail failed".
//
// Threading: io thread only. Callbacks of a connection that ends after stop() or destruction
// find nothing (weak reference) and do nothing.

#include "net/asio.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mail/smtp_dialog.hpp"
#include "mail/smtp_options.hpp"

namespace boost::asio::ssl {
class context;
}

namespace vigil::mail {

class SmtpClient {
 public:
  struct Result {
    bool ok = false;
    std::string detail;  // "delivered to 2 recipients" or why not (no password, ever)
  };
  using Report = std::function<void(const Result&)>;
  struct Stats {
    std::uint64_t delivered = 0, failed = 0, dropped = 0;
  };

  // Throws std::invalid_argument when starttls is set and ca_file cannot be loaded.
  SmtpClient(boost::asio::io_context& io, SmtpOptions options, Report report);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Queues one text mail to `to` (already checked addresses).
  void send(std::vector<std::string> to, const std::string& subject, const std::string& body,
            std::int64_t at_ms);
  // Drops the queue and closes the connection in progress (not reported).
  void stop();
  const Stats& stats() const { return stats_; }
  std::size_t queued() const { return queue_.size(); }

 private:
  class Connection;
  void start_next();
  void finished(const Result& result);

  boost::asio::io_context& io_;
  SmtpOptions options_;
  Report report_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::deque<OutgoingMail> queue_;  // bounded by kMaxQueuedMails
  std::shared_ptr<Connection> current_;
  std::uint64_t next_id_ = 1;
  Stats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::mail
