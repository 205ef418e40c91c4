// libFuzzer target: what an SMTP relay sends, on arbitrary bytes. The reply parser is fed
// the bytes in chunks the input picks and must agree with one piece (replies and verdict);
// every reply it yields then drives an SMTP conversation (with STARTTLS and AUTH, so every
// state is reached), which must never crash, never send before it is asked to, and stop at
// Done or Failed. Bounds: no reply line over kMaxLine, no reply over kMaxLines.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "mail/smtp_dialog.hpp"
#include "mail/smtp_reply.hpp"

namespace {

using vigil::mail::SmtpReply;
using vigil::mail::SmtpReplyParser;

struct Parsed {
  std::vector<SmtpReply> replies;
  bool bad = false;
};

Parsed parse_in_chunks(std::string_view bytes, std::uint8_t seed) {
  Parsed out;
  SmtpReplyParser parser;
  std::uint32_t state = seed * 2654435761u + 1;
  std::size_t at = 0;
  while (at < bytes.size() && !out.bad) {
    state = state * 1664525u + 1013904223u;
    std::string_view chunk = bytes.substr(at, 1 + (state >> 24) % 97);
    at += chunk.size();
    while (!chunk.empty()) {
      std::size_t used = 0;
      SmtpReply reply;
      const auto r = parser.feed(chunk, used, reply);
      vigil::fuzz::check(used <= chunk.size());
      chunk.remove_prefix(used);
      if (r == SmtpReplyParser::Result::Bad) {
        out.bad = true;
        break;
      }
      if (r == SmtpReplyParser::Result::NeedMore) {
        vigil::fuzz::check(chunk.empty());
        break;
      }
      vigil::fuzz::check(reply.code >= 200 && reply.code <= 599);
      vigil::fuzz::check(!reply.lines.empty() && reply.lines.size() <= SmtpReplyParser::kMaxLines);
      for (const auto& line : reply.lines) vigil::fuzz::check(line.size() <= SmtpReplyParser::kMaxLine);
      out.replies.push_back(std::move(reply));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const Parsed whole = parse_in_chunks(bytes, 0);
  const Parsed chunked = parse_in_chunks(bytes, data[0]);
  vigil::fuzz::check(whole.bad == chunked.bad);
  vigil::fuzz::check(whole.replies.size() == chunked.replies.size());
  for (std::size_t i = 0; i < whole.replies.size(); ++i) {
    vigil::fuzz::check(whole.replies[i].code == chunked.replies[i].code);
    vigil::fuzz::check(whole.replies[i].lines == chunked.replies[i].lines);
  }

  using Kind = vigil::mail::DialogStep::Kind;
  vigil::mail::SmtpDialog dialog(
      {"vigil", (data[0] & 1) != 0, (data[0] & 2) ? "vigil" : "", "secret"},
      {"vigil@clinic.lan", {"a@clinic.lan", "b@clinic.lan"}, "Subject: x\r\n\r\n.body\r\n"});
  bool over = false;
  for (const SmtpReply& reply : whole.replies) {
    auto step = dialog.on_reply(reply);
    if (step.kind == Kind::StartTls) step = dialog.on_tls_ready();
    if (over) vigil::fuzz::check(step.kind == Kind::Failed);  // nothing is sent after the end
    if (step.kind == Kind::Send) vigil::fuzz::check(!step.bytes.empty() && step.bytes.size() >= 2);
    if (step.kind == Kind::Done || step.kind == Kind::Failed) over = true;
  }
  return 0;
}
