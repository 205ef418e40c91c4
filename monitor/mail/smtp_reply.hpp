#pragma once
// SMTP replies (RFC 5321 4.2) out of the bytes a relay sends: an incremental parser that
// knows nothing of sockets, like the Asio http server's request_parser. Bytes in, complete
// replies out, a typed verdict for anything else.
//
//   "250-mail.clinic.lan\r\n250-STARTTLS\r\n250 SIZE 1000\r\n"  -> Reply{250, 3 lines}
//   "250-mail.cli"                                              -> NeedMore
//   "hello\r\n", "250-a\r\n550 b\r\n", a line over kMaxLine     -> Bad (the link is closed)
//
// Bounds: a line of at most kMaxLine bytes (RFC 5321 allows 512; relays send more in EHLO),
// at most kMaxLines lines per reply.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::mail {

struct SmtpReply {
  int code = 0;                    // 200..599
  std::vector<std::string> lines;  // the text after "250-" / "250 ", CR LF removed
  // "250 mail.clinic.lan ..." as one line for logs (the first line, clipped).
  std::string summary() const;
};

class SmtpReplyParser {
 public:
  static constexpr std::size_t kMaxLine = 2048;
  static constexpr std::size_t kMaxLines = 64;
  enum class Result { Reply, NeedMore, Bad };

  // Reads from `data` until a reply is complete (Reply: `out` holds it, `used` says how many
  // bytes were read; call again with the rest), the data ends (NeedMore, all used) or the
  // bytes are not SMTP (Bad: error() says why; the parser stays bad).
  Result feed(std::string_view data, std::size_t& used, SmtpReply& out);
  const std::string& error() const { return error_; }

 private:
  Result line_done(SmtpReply& out);
  std::string line_;
  SmtpReply pending_;
  std::string error_;
};

}  // namespace vigil::mail
