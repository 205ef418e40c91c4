// The config's escalation block: defaults, times down to 1 s, 0 for never, the SMTP relay's
// fields and the mistakes refused at start-up.
#include <gtest/gtest.h>

#include <fstream>

#include "config_error.hpp"
#include "daemon/settings.hpp"
#include "support/child_process.hpp"

namespace vigil::daemon {
namespace {

using std::chrono::milliseconds;
using test::config_error_of;

TEST(EscalationSettings, DefaultsWithoutTheBlock) {
  Settings s;
  apply_config_text("", "c", s);
  EXPECT_EQ(s.escalation.times.high, milliseconds(120'000));
  EXPECT_EQ(s.escalation.times.medium, milliseconds(300'000));
  EXPECT_FALSE(s.escalation.times.low);
  EXPECT_EQ(s.escalation.times.tier2_after, milliseconds(120'000));
  EXPECT_FALSE(s.escalation.smtp);
}

TEST(EscalationSettings, TimesDownToOneSecondAndZeroForNever) {
  Settings s;
  apply_config_text("escalation { high_after_s: 1 medium_after_s: 0 low_after_s: 2.5 tier2_after_s: 1 }", "c",
                    s);
  EXPECT_EQ(s.escalation.times.high, milliseconds(1000));
  EXPECT_FALSE(s.escalation.times.medium);
  EXPECT_EQ(s.escalation.times.low, milliseconds(2500));
  EXPECT_EQ(s.escalation.times.tier2_after, milliseconds(1000));
}

TEST(EscalationSettings, SmtpRelay) {
  vigil::test::TempDir dir;
  const std::string password = dir.file("pw");
  std::ofstream(password) << "s3cret\nignored\n";
  Settings s;
  apply_config_text(
      "escalation { smtp { host: \"mail.clinic.lan\" port: 587 starttls: true from: \"vigil@clinic.lan\" "
      "to: \"a@clinic.lan\" tier2_to: \"b@clinic.lan\" user: \"vigil\" password_file: \"" +
          password + "\" timeout_s: 10 } }",
      "c", s);
  ASSERT_TRUE(s.escalation.smtp);
  EXPECT_EQ(s.escalation.smtp->host, "mail.clinic.lan");
  EXPECT_EQ(s.escalation.smtp->port, 587);
  EXPECT_EQ(s.escalation.smtp->to, std::vector<std::string>{"a@clinic.lan"});
  EXPECT_EQ(s.escalation.smtp->tier2_to, std::vector<std::string>{"b@clinic.lan"});
  EXPECT_EQ(s.escalation.smtp->password, "s3cret");
  EXPECT_EQ(s.escalation.smtp->timeout, std::chrono::seconds(10));
}

TEST(EscalationSettings, MistakesAreRefused) {
  EXPECT_EQ(config_error_of("escalation { high_after_s: 0.5 }"),
            "config c: field escalation.high_after_s: 0 (never) or 1..86400 seconds");
  EXPECT_EQ(config_error_of("escalation { tier2_after_s: 0 }"),
            "config c: field escalation.tier2_after_s: 1..86400 seconds");
  EXPECT_EQ(config_error_of("escalation { smtp { from: \"v@c\" to: \"a@c\" } }"),
            "config c: field escalation.smtp.host: required (the clinic's SMTP relay)");
  EXPECT_EQ(config_error_of("escalation { smtp { host: \"m\" from: \"v@c\" } }"),
            "config c: field escalation.smtp.to: at least one recipient");
  EXPECT_EQ(
      config_error_of("escalation { smtp { host: \"m\" from: \"v@c\" to: \"a@c>\\r\\nRCPT TO:<x@y\" } }"),
      "config c: field escalation.smtp.to: 'a@c>\r\nRCPT TO:<x@y' is not a mail address (name@host)");
  EXPECT_EQ(
      config_error_of("escalation { smtp { host: \"m\" from: \"v@c\" to: \"a@c\" user: \"u\" "
                      "password_file: \"/nonexistent\" } }"),
      "config c: field escalation.smtp.user: AUTH only over starttls (a password is never sent in clear)");
}

}  // namespace
}  // namespace vigil::daemon
