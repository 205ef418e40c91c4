// The SMTP reply parser: multi-line replies, chunked input, and the inputs it refuses.
#include <gtest/gtest.h>

#include "mail/smtp_reply.hpp"

namespace vigil::mail {
namespace {

using R = SmtpReplyParser::Result;

TEST(SmtpReply, MultiLineReplyInChunks) {
  SmtpReplyParser p;
  SmtpReply reply;
  std::size_t used = 0;
  EXPECT_EQ(p.feed("250-mail.clinic.lan\r\n250-STAR", used, reply), R::NeedMore);
  EXPECT_EQ(used, 29u);
  const std::string rest = "TTLS\r\n250 SIZE 1000\r\n354 go\r\n";
  ASSERT_EQ(p.feed(rest, used, reply), R::Reply);
  EXPECT_EQ(reply.code, 250);
  EXPECT_EQ(reply.lines, (std::vector<std::string>{"mail.clinic.lan", "STARTTLS", "SIZE 1000"}));
  EXPECT_EQ(reply.summary(), "250 mail.clinic.lan");
  std::size_t more = 0;
  ASSERT_EQ(p.feed(std::string_view(rest).substr(used), more, reply), R::Reply) << "the next reply follows";
  EXPECT_EQ(reply.code, 354);
}

TEST(SmtpReply, BareLfAndCodeOnlyLinesAreTaken) {
  SmtpReplyParser p;
  SmtpReply reply;
  std::size_t used = 0;
  ASSERT_EQ(p.feed("221\n", used, reply), R::Reply);
  EXPECT_EQ(reply.code, 221);
  EXPECT_EQ(reply.lines, std::vector<std::string>{""});
}

TEST(SmtpReply, RefusesWhatIsNotSmtp) {
  for (const std::string bad : {"hello\r\n", "199 too low\r\n", "600 too high\r\n", "25x no\r\n", "250_x\r\n",
                                "250-a\r\n550 b\r\n"}) {
    SmtpReplyParser p;
    SmtpReply reply;
    std::size_t used = 0;
    R r = p.feed(bad, used, reply);
    if (r == R::Reply) r = p.feed(std::string_view(bad).substr(used), used, reply);
    EXPECT_EQ(r, R::Bad) << bad;
    EXPECT_FALSE(p.error().empty()) << bad;
    EXPECT_EQ(p.feed("250 ok\r\n", used, reply), R::Bad) << "stays bad";
  }
}

TEST(SmtpReply, BoundsLineLengthAndLineCount) {
  SmtpReplyParser p;
  SmtpReply reply;
  std::size_t used = 0;
  EXPECT_EQ(p.feed("250 " + std::string(SmtpReplyParser::kMaxLine, 'x'), used, reply), R::Bad);
  SmtpReplyParser q;
  std::string many;
  for (std::size_t i = 0; i <= SmtpReplyParser::kMaxLines; ++i) many += "250-x\r\n";
  EXPECT_EQ(q.feed(many, used, reply), R::Bad);
}

}  // namespace
}  // namespace vigil::mail
