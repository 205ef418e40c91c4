// The SMTP client against a fake relay on loopback: a plain delivery, STARTTLS with AUTH
// (nothing but EHLO and STARTTLS in clear), a relay without STARTTLS, refused recipients,
// a silent relay (timeout), nothing listening, and the queue bound.
#include <gtest/gtest.h>

#include <optional>

#include "mail/fake_smtp_server.hpp"
#include "mail/smtp_client.hpp"
#include "support/test_pki.hpp"

namespace vigil::mail {
namespace {

using namespace std::chrono_literals;
using test::FakeSmtpServer;

SmtpOptions options_for(std::uint16_t port) {
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.from = "vigil@clinic.lan";
  o.timeout = std::chrono::seconds(5);
  return o;
}

// Runs the io_context until the client reports `count` outcomes, or 20 s pass.
std::vector<SmtpClient::Result> send_and_wait(const SmtpOptions& options, int count = 1,
                                              std::vector<std::string> to = {"oncall@clinic.lan"}) {
  boost::asio::io_context io;
  std::vector<SmtpClient::Result> results;
  SmtpClient client(io, options, [&](const SmtpClient::Result& r) { results.push_back(r); });
  for (int i = 0; i < count; ++i)
    client.send(to, "Vigil: CHAIR3 HIGH alarm unacknowledged (tier 1)", "CHAIR3: HIGH alarm.\n.dot line\n",
                1'800'000'000'000 + i);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (static_cast<int>(results.size()) < count && std::chrono::steady_clock::now() < deadline)
    io.run_one_for(100ms);
  return results;
}

TEST(SmtpClient, PlainDeliveryToEveryRecipient) {
  FakeSmtpServer relay({});
  auto results = send_and_wait(options_for(relay.port()), 1, {"a@clinic.lan", "b@clinic.lan"});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].ok) << results[0].detail;
  EXPECT_EQ(results[0].detail, "delivered to 2 recipients");
  const auto sessions = relay.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].commands,
            (std::vector<std::string>{"EHLO vigil", "MAIL FROM:<vigil@clinic.lan>", "RCPT TO:<a@clinic.lan>",
                                      "RCPT TO:<b@clinic.lan>", "DATA", "QUIT"}));
  EXPECT_NE(sessions[0].data.find("Subject: Vigil: CHAIR3 HIGH alarm unacknowledged (tier 1)\r\n"),
            std::string::npos)
      << sessions[0].data;
  EXPECT_NE(sessions[0].data.find("\r\n..dot line\r\n"), std::string::npos) << "dot-stuffed on the wire";
}

TEST(SmtpClient, StartTlsAndAuthNothingButEhloAndStartTlsInClear) {
  test::TempDir dir;
  test::TestPki pki(dir);
  FakeSmtpServer relay({true, pki.server().cert, pki.server().key, "", false});
  auto options = options_for(relay.port());
  options.starttls = true;
  options.ca_file = pki.ca_cert();
  options.user = "vigil";
  options.password = "secret";
  auto results = send_and_wait(options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].ok) << results[0].detail;
  const auto s = relay.sessions().at(0);
  ASSERT_GE(s.commands.size(), 4u);
  EXPECT_EQ(s.commands[0], "EHLO vigil");
  EXPECT_EQ(s.commands[1], "STARTTLS");
  for (std::size_t i = 0; i < s.commands.size(); ++i)
    EXPECT_EQ(s.commands_over_tls[i], i >= 2) << s.commands[i];
  EXPECT_EQ(s.commands[3], "AUTH PLAIN AHZpZ2lsAHNlY3JldA==");
}

TEST(SmtpClient, StartTlsRequiredButNotOfferedSendsNothing) {
  FakeSmtpServer relay({});
  auto options = options_for(relay.port());
  options.starttls = true;
  options.user = "vigil";
  options.password = "secret";
  auto results = send_and_wait(options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].ok);
  EXPECT_EQ(results[0].detail, "relay does not offer STARTTLS (starttls is set)");
  EXPECT_EQ(relay.sessions().at(0).commands, std::vector<std::string>{"EHLO vigil"});
}

TEST(SmtpClient, UntrustedRelayCertificateFails) {
  test::TempDir dir;
  test::TestPki pki(dir);
  FakeSmtpServer relay({true, pki.server().cert, pki.server().key, "", false});
  auto options = options_for(relay.port());
  options.starttls = true;
  options.ca_file = pki.client("other", /*from_other_ca=*/true).cert;  // not the relay's CA
  auto results = send_and_wait(options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].ok);
  EXPECT_NE(results[0].detail.find("TLS handshake with the relay failed"), std::string::npos)
      << results[0].detail;
}

TEST(SmtpClient, RefusedRecipients) {
  FakeSmtpServer relay({false, "", "", "b@clinic.lan", false});
  auto some = send_and_wait(options_for(relay.port()), 1, {"a@clinic.lan", "b@clinic.lan"});
  ASSERT_EQ(some.size(), 1u);
  EXPECT_TRUE(some[0].ok) << "a@ got it";
  EXPECT_NE(some[0].detail.find("refused b@clinic.lan (550 no such user)"), std::string::npos)
      << some[0].detail;
  auto none = send_and_wait(options_for(relay.port()), 1, {"b@clinic.lan"});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_FALSE(none[0].ok);
}

TEST(SmtpClient, SilentRelayTimesOut) {
  FakeSmtpServer relay({false, "", "", "", true});
  auto options = options_for(relay.port());
  options.timeout = std::chrono::seconds(1);
  auto results = send_and_wait(options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].ok);
  EXPECT_NE(results[0].detail.find("timed out waiting for the relay's reply"), std::string::npos)
      << results[0].detail;
}

TEST(SmtpClient, NothingListeningFailsAndTheNextMailIsTried) {
  std::uint16_t port = 0;
  {
    FakeSmtpServer gone({});
    port = gone.port();
  }
  auto results = send_and_wait(options_for(port), 2);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].ok);
  EXPECT_NE(results[0].detail.find("cannot connect"), std::string::npos) << results[0].detail;
  EXPECT_FALSE(results[1].ok);
}

TEST(SmtpClient, QueueIsBounded) {
  boost::asio::io_context io;
  int reports = 0;
  SmtpClient client(io, options_for(9), [&](const SmtpClient::Result&) { ++reports; });
  const int extra = 5;
  // One in progress (not yet run), kMaxQueuedMails waiting, the oldest beyond that dropped.
  for (std::size_t i = 0; i < kMaxQueuedMails + 1 + extra; ++i) client.send({"a@b"}, "s", "b", 0);
  EXPECT_EQ(client.queued(), kMaxQueuedMails);
  EXPECT_EQ(client.stats().dropped, static_cast<std::uint64_t>(extra));
  EXPECT_EQ(reports, extra) << "each drop is reported";
  client.stop();
  EXPECT_EQ(client.queued(), 0u);
}

}  // namespace
}  // namespace vigil::mail
