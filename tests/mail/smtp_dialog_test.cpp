// One mail's SMTP conversation as a state machine: what it sends for each reply.
#include <gtest/gtest.h>

#include "mail/smtp_dialog.hpp"

namespace vigil::mail {
namespace {

using Kind = DialogStep::Kind;

SmtpReply reply(int code, std::vector<std::string> lines = {"ok"}) { return {code, std::move(lines)}; }

OutgoingMail mail() {
  return {"vigil@clinic.lan", {"a@clinic.lan", "b@clinic.lan"}, "Subject: x\r\n\r\n.hi\r\n"};
}

TEST(SmtpDialog, PlainDelivery) {
  SmtpDialog d({"vigil", false, "", ""}, mail());
  EXPECT_EQ(d.on_reply(reply(220)).bytes, "EHLO vigil\r\n");
  EXPECT_EQ(d.on_reply(reply(250, {"relay", "SIZE 1000"})).bytes, "MAIL FROM:<vigil@clinic.lan>\r\n");
  EXPECT_EQ(d.on_reply(reply(250)).bytes, "RCPT TO:<a@clinic.lan>\r\n");
  EXPECT_EQ(d.on_reply(reply(250)).bytes, "RCPT TO:<b@clinic.lan>\r\n");
  EXPECT_EQ(d.on_reply(reply(251)).bytes, "DATA\r\n");
  EXPECT_EQ(d.on_reply(reply(354)).bytes, "Subject: x\r\n\r\n..hi\r\n.\r\n") << "dot-stuffed";
  EXPECT_FALSE(d.delivered());
  EXPECT_EQ(d.on_reply(reply(250)).bytes, "QUIT\r\n");
  EXPECT_TRUE(d.delivered());
  const auto done = d.on_reply(reply(221));
  EXPECT_EQ(done.kind, Kind::Done);
  EXPECT_EQ(done.error, "");
}

TEST(SmtpDialog, StartTlsThenAuthNothingElseInClear) {
  SmtpDialog d({"vigil", true, "vigil", "secret"}, mail());
  d.on_reply(reply(220));
  EXPECT_EQ(d.on_reply(reply(250, {"relay", "STARTTLS", "AUTH PLAIN"})).bytes, "STARTTLS\r\n");
  EXPECT_EQ(d.on_reply(reply(220)).kind, Kind::StartTls);
  EXPECT_EQ(d.on_tls_ready().bytes, "EHLO vigil\r\n");
  EXPECT_EQ(d.on_reply(reply(250, {"relay", "AUTH PLAIN"})).bytes, "AUTH PLAIN AHZpZ2lsAHNlY3JldA==\r\n");
  EXPECT_EQ(d.on_reply(reply(235)).bytes, "MAIL FROM:<vigil@clinic.lan>\r\n");
}

TEST(SmtpDialog, StartTlsNotOfferedFails) {
  SmtpDialog d({"vigil", true, "vigil", "secret"}, mail());
  d.on_reply(reply(220));
  const auto step = d.on_reply(reply(250, {"relay", "AUTH PLAIN"}));
  EXPECT_EQ(step.kind, Kind::Failed);
  EXPECT_EQ(step.error, "relay does not offer STARTTLS (starttls is set)");
}

TEST(SmtpDialog, RefusedRecipientsAreReportedEveryOneRefusedFails) {
  SmtpDialog some({"vigil", false, "", ""}, mail());
  for (int code : {220, 250, 250, 250}) some.on_reply(reply(code));  // greeting, EHLO, MAIL, RCPT a
  EXPECT_EQ(some.on_reply(reply(550, {"no such user"})).bytes, "DATA\r\n");
  for (int code : {354, 250}) some.on_reply(reply(code));
  EXPECT_EQ(some.on_reply(reply(221)).error, "refused b@clinic.lan (550 no such user)");

  SmtpDialog all({"vigil", false, "", ""}, mail());
  for (int code : {220, 250, 250, 550}) all.on_reply(reply(code));
  EXPECT_EQ(all.on_reply(reply(550)).kind, Kind::Failed);
}

TEST(SmtpDialog, UnexpectedReplyFailsWithWhatTheRelaySaid) {
  SmtpDialog d({"vigil", false, "", ""}, mail());
  const auto step = d.on_reply(reply(554, {"no service here"}));
  EXPECT_EQ(step.kind, Kind::Failed);
  EXPECT_EQ(step.error, "relay answered 554 no service here to the connection");
  EXPECT_EQ(d.on_reply(reply(220)).kind, Kind::Failed) << "over is over";
}

TEST(SmtpMessage, ComposeAndBase64) {
  const std::string m =
      compose_mail("vigil@clinic.lan", {"a@x", "b@y"}, "Vigil: CHAIR3", "line 1\n.dot\n", 0, "1@vigil");
  EXPECT_NE(m.find("From: vigil@clinic.lan\r\nTo: a@x, b@y\r\nSubject: Vigil: CHAIR3\r\n"), std::string::npos)
      << m;
  EXPECT_NE(m.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\r\n\r\nline 1\r\n.dot\r\n"), std::string::npos) << m;
  EXPECT_EQ(dot_stuffed("a\r\n.b"), "a\r\n..b\r\n.\r\n");
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
}

}  // namespace
}  // namespace vigil::mail
