#include "mail/smtp_reply.hpp"

namespace vigil::mail {

std::string SmtpReply::summary() const {
  std::string first = lines.empty() ? std::string() : lines.front().substr(0, 200);
  for (char& c : first)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return std::to_string(code) + (first.empty() ? "" : " " + first);
}

SmtpReplyParser::Result SmtpReplyParser::feed(std::string_view data, std::size_t& used, SmtpReply& out) {
  used = 0;
  if (!error_.empty()) return Result::Bad;
  while (used < data.size()) {
    const char c = data[used++];
    if (c != '\n') {
      if (line_.size() >= kMaxLine) {
        error_ = "reply line longer than " + std::to_string(kMaxLine) + " bytes";
        return Result::Bad;
      }
      line_.push_back(c);
      continue;
    }
    // CR LF ends a line; a bare LF is taken too (some relays), the CR dropped.
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    const Result r = line_done(out);
    line_.clear();
    if (r != Result::NeedMore) return r;
  }
  return Result::NeedMore;
}

SmtpReplyParser::Result SmtpReplyParser::line_done(SmtpReply& out) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool coded =
      line_.size() >= 3 && line_[0] >= '2' && line_[0] <= '5' && digit(line_[1]) && digit(line_[2]);
  const char sep = line_.size() > 3 ? line_[3] : ' ';
  if (!coded || (sep != ' ' && sep != '-')) {
    error_ = "not an SMTP reply line";
    return Result::Bad;
  }
  const int code = (line_[0] - '0') * 100 + (line_[1] - '0') * 10 + (line_[2] - '0');
  if (!pending_.lines.empty() && code != pending_.code) {
    error_ = "reply lines with different codes (" + std::to_string(pending_.code) + ", " +
             std::to_string(code) + ")";
    return Result::Bad;
  }
  if (pending_.lines.size() >= kMaxLines) {
    error_ = "reply of more than " + std::to_string(kMaxLines) + " lines";
    return Result::Bad;
  }
  pending_.code = code;
  pending_.lines.push_back(line_.size() > 4 ? line_.substr(4) : std::string());
  if (sep == '-') return Result::NeedMore;
  out = std::move(pending_);
  pending_ = SmtpReply{};
  return Result::Reply;
}

}  // namespace vigil::mail
