// forward_hl7 / daemon_id in the config file, and the checks done before start.
#include <gtest/gtest.h>

#include "daemon/settings.hpp"

namespace vigil::daemon {
namespace {

using namespace std::chrono_literals;

TEST(ForwardSettings, ConfigFileFieldsAndDefaults) {
  Settings s;
  apply_config_text("daemon_id: \"east-1\"\nforward_hl7 { target: \"10.0.0.5:2575\" link_alert_s: 30 }\n",
                    "t", s);
  ASSERT_TRUE(s.forward);
  EXPECT_EQ(s.forward->host, "10.0.0.5");
  EXPECT_EQ(s.forward->port, 2575);
  EXPECT_EQ(s.forward->link_alert, 30s);
  EXPECT_EQ(s.forward->ack_timeout, 10s);  // defaults for what the file leaves out
  EXPECT_EQ(s.forward->max_backoff, 60s);
  EXPECT_EQ(s.forward->outbox_max_rows, 1000000u);
  EXPECT_EQ(s.forward->outbox_max_age, std::chrono::hours(168));
  finish_forward_settings(s);
  EXPECT_EQ(s.forward->daemon_id, "east-1");
}

TEST(ForwardSettings, OffUnlessConfiguredAndDaemonIdDefaultsToTheHostName) {
  Settings s;
  apply_config_text("db: \"x.db\"\n", "t", s);
  EXPECT_FALSE(s.forward);
  finish_forward_settings(s);
  EXPECT_FALSE(s.forward);
  Settings f;
  apply_config_text("forward_hl7 { target: \"engine.example:2575\" }\n", "t", f);
  finish_forward_settings(f);
  EXPECT_EQ(f.forward->daemon_id, default_daemon_id());
  EXPECT_FALSE(default_daemon_id().empty());
  EXPECT_NO_THROW(check_daemon_id(default_daemon_id(), "host"));
}

TEST(ForwardSettings, BadValuesNameTheField) {
  auto error = [](const std::string& text) {
    Settings s;
    try {
      apply_config_text(text, "vigild.conf", s);
      finish_forward_settings(s);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("forward_hl7 { target: \"nohost\" }").find("field forward_hl7.target"), std::string::npos);
  EXPECT_NE(error("forward_hl7 { target: \"h:0\" }").find("forward_hl7.target"), std::string::npos);
  EXPECT_NE(error("forward_hl7 { target: \"h:1\" ack_timeout_s: 100000 }").find("ack_timeout_s"),
            std::string::npos);
  EXPECT_NE(error("forward_hl7 { target: \"h:1\" outbox_max_rows: 5 }").find("outbox_max_rows"),
            std::string::npos);
  EXPECT_NE(error("daemon_id: \"a b\"").find("field daemon_id"), std::string::npos);
  EXPECT_NE(error("daemon_id: \"x|y\"").find("field daemon_id"), std::string::npos);
}

}  // namespace
}  // namespace vigil::daemon
