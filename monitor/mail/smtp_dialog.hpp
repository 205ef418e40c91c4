#pragma once
// One mail's SMTP conversation as a pure state machine: replies in, the next bytes to send
// (or "start TLS now", or the outcome) out. The client (smtp_client.hpp) only moves bytes
// and does the TLS handshake; this decides. Fuzzed with the reply parser.
//
//   220 greeting -> EHLO -> 250 [-> STARTTLS -> 220 -> (TLS) -> EHLO -> 250]
//     [-> AUTH PLAIN -> 235] -> MAIL FROM -> 250 -> RCPT TO (each) -> 250/251
//     -> DATA -> 354 -> message, "." -> 250 -> QUIT -> Done
//   any other reply where one of those is expected -> Failed (the reply says why)
//
// With starttls set, nothing but EHLO and STARTTLS goes out before the handshake: a relay
// that does not offer STARTTLS fails the mail rather than receive it (or a password) in clear.

#include <string>
#include <vector>

#include "mail/smtp_reply.hpp"

namespace vigil::mail {

struct OutgoingMail {
  std::string from;
  std::vector<std::string> to;
  std::string message;  // headers, blank line, body; CR LF line ends (compose_mail)
};

struct DialogStep {
  enum class Kind { Send, StartTls, Done, Failed };
  Kind kind = Kind::Send;
  std::string bytes;  // Send: what to write
  std::string error;  // Failed: why; Done: refused recipients, if any ("" = all took it)
};

class SmtpDialog {
 public:
  struct Settings {
    std::string helo_name = "vigil";
    bool starttls = false;
    std::string user, password;  // AUTH PLAIN when user is set (only after STARTTLS)
  };
  SmtpDialog(Settings settings, OutgoingMail mail);

  // Every complete reply, the greeting first.
  DialogStep on_reply(const SmtpReply& reply);
  // The TLS handshake after StartTls succeeded: EHLO again (RFC 3207).
  DialogStep on_tls_ready();
  // The relay took the message (its 250 after the "."): a link lost after this, during QUIT,
  // still delivered it.
  bool delivered() const { return delivered_; }

 private:
  enum class State { Greeting, Ehlo, StartTls, Auth, MailFrom, RcptTo, Data, Body, Quit, Over };
  DialogStep after_ehlo(const SmtpReply& reply);
  DialogStep next_rcpt_or_data();
  DialogStep fail(const std::string& what, const SmtpReply& reply);

  Settings settings_;
  OutgoingMail mail_;
  State state_ = State::Greeting;
  bool tls_ = false;
  bool delivered_ = false;
  std::size_t rcpt_ = 0;  // recipients asked so far
  std::vector<std::string> refused_;
};

// The message text: From, To, Subject, Date (RFC 5322, UTC), Message-ID, plain text body;
// every line end CR LF. `at_ms` is the wall time stamped in Date.
std::string compose_mail(const std::string& from, const std::vector<std::string>& to,
                         const std::string& subject, const std::string& body, long long at_ms,
                         const std::string& message_id);
// Lines starting with "." get another (RFC 5321 4.5.2), then CR LF "." CR LF.
std::string dot_stuffed(const std::string& message);
// Standard base64 (AUTH PLAIN).
std::string base64(const std::string& bytes);

}  // namespace vigil::mail
