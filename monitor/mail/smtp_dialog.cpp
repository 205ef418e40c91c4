#include "mail/smtp_dialog.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace vigil::mail {

namespace {

DialogStep send_line(std::string line) { return {DialogStep::Kind::Send, std::move(line) + "\r\n", {}}; }

bool offers(const SmtpReply& ehlo, const std::string& keyword) {
  for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
    std::string word = ehlo.lines[i].substr(0, ehlo.lines[i].find(' '));
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
    if (word == keyword) return true;
  }
  return false;
}

}  // namespace

SmtpDialog::SmtpDialog(Settings settings, OutgoingMail mail)
    : settings_(std::move(settings)), mail_(std::move(mail)) {}

DialogStep SmtpDialog::fail(const std::string& what, const SmtpReply& reply) {
  state_ = State::Over;
  return {DialogStep::Kind::Failed, {}, "relay answered " + reply.summary() + " to " + what};
}

DialogStep SmtpDialog::on_reply(const SmtpReply& reply) {
  const int c = reply.code;
  switch (state_) {
    case State::Greeting:
      if (c != 220) return fail("the connection", reply);
      state_ = State::Ehlo;
      return send_line("EHLO " + settings_.helo_name);
    case State::Ehlo:
      if (c != 250) return fail("EHLO", reply);
      return after_ehlo(reply);
    case State::StartTls:
      if (c != 220) return fail("STARTTLS", reply);
      return {DialogStep::Kind::StartTls, {}, {}};
    case State::Auth:
      if (c != 235) return fail("AUTH", reply);
      state_ = State::MailFrom;
      return send_line("MAIL FROM:<" + mail_.from + ">");
    case State::MailFrom:
      if (c != 250) return fail("MAIL FROM", reply);
      state_ = State::RcptTo;
      return next_rcpt_or_data();
    case State::RcptTo:
      if (c != 250 && c != 251) refused_.push_back(mail_.to[rcpt_ - 1] + " (" + reply.summary() + ")");
      return next_rcpt_or_data();
    case State::Data:
      if (c != 354) return fail("DATA", reply);
      state_ = State::Body;
      return {DialogStep::Kind::Send, dot_stuffed(mail_.message), {}};
    case State::Body:
      if (c != 250) return fail("the message", reply);
      delivered_ = true;
      state_ = State::Quit;
      return send_line("QUIT");
    case State::Quit: {
      // Delivered when the message was taken; QUIT's answer does not change that.
      state_ = State::Over;
      std::string refused;
      for (const auto& r : refused_) refused += (refused.empty() ? "refused " : ", ") + r;
      return {DialogStep::Kind::Done, {}, refused};
    }
    case State::Over: break;
  }
  state_ = State::Over;
  return {DialogStep::Kind::Failed, {}, "relay sent " + reply.summary() + " after the conversation ended"};
}

DialogStep SmtpDialog::after_ehlo(const SmtpReply& reply) {
  if (settings_.starttls && !tls_) {
    if (!offers(reply, "STARTTLS")) {
      state_ = State::Over;
      return {DialogStep::Kind::Failed, {}, "relay does not offer STARTTLS (starttls is set)"};
    }
    state_ = State::StartTls;
    return send_line("STARTTLS");
  }
  if (!settings_.user.empty()) {
    state_ = State::Auth;
    return send_line("AUTH PLAIN " +
                     base64(std::string(1, '\0') + settings_.user + '\0' + settings_.password));
  }
  state_ = State::MailFrom;
  return send_line("MAIL FROM:<" + mail_.from + ">");
}

DialogStep SmtpDialog::on_tls_ready() {
  tls_ = true;
  state_ = State::Ehlo;
  return send_line("EHLO " + settings_.helo_name);
}

DialogStep SmtpDialog::next_rcpt_or_data() {
  if (rcpt_ < mail_.to.size()) return send_line("RCPT TO:<" + mail_.to[rcpt_++] + ">");
  if (refused_.size() == mail_.to.size()) {
    state_ = State::Over;
    std::string why = "relay refused every recipient:";
    for (const auto& r : refused_) why += " " + r;
    return {DialogStep::Kind::Failed, {}, why};
  }
  state_ = State::Data;
  return send_line("DATA");
}

std::string compose_mail(const std::string& from, const std::vector<std::string>& to,
                         const std::string& subject, const std::string& body, long long at_ms,
                         const std::string& message_id) {
  const std::time_t t = static_cast<std::time_t>(at_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string recipients;
  for (const auto& r : to) recipients += (recipients.empty() ? "" : ", ") + r;
  std::string out = "From: " + from + "\r\nTo: " + recipients + "\r\nSubject: " + subject +
                    "\r\nDate: " + date + "\r\nMessage-ID: <" + message_id + ">\r\nMIME-Version: 1.0\r\n" +
                    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  // The body's own line ends become CR LF; a lone CR is dropped.
  for (char c : body) {
    if (c == '\r') continue;
    if (c == '\n')
      out += "\r\n";
    else
      out += c;
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

std::string dot_stuffed(const std::string& message) {
  std::string out;
  out.reserve(message.size() + 8);
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace vigil::mail
