#include "net/host_port.hpp"

#include <gtest/gtest.h>

namespace vigil::client {
namespace {

TEST(ParseHostPort, AcceptsNamesAddressesAndBracketedIpv6) {
  auto a = net::parse_host_port("127.0.0.1:7420");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "127.0.0.1");
  EXPECT_EQ(a->second, 7420);
  auto b = net::parse_host_port("vigil.local:1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->first, "vigil.local");
  EXPECT_EQ(b->second, 1);
  auto c = net::parse_host_port("[::1]:65535");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first, "::1");
  EXPECT_EQ(c->second, 65535);
}

TEST(ParseHostPort, RejectsBadSyntax) {
  for (const char* bad : {"", "7420", "host", "host:", ":7420", "host:0", "host:65536", "host:12x", "host:-1",
                          "::1:7420", "[::1]7420", "[::1]:", "[::1", "host:+80", "ho st:80", "host:123456"}) {
    EXPECT_FALSE(net::parse_host_port(bad)) << bad;
  }
}

}  // namespace
}  // namespace vigil::client
