// Rule profiles from the config file's text format.
#include <google/protobuf/text_format.h>

#include "alert_harness.hpp"
#include "alerts/profile_config.hpp"

namespace vigil::alerts::test {
namespace {

proto::AlertConfig parse(const std::string& text) {
  proto::AlertConfig c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

TEST(ProfileConfig, EmptyFileGivesTheDefaultProfile) {
  auto profiles = profiles_from_config(proto::AlertConfig{});
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].name, "default");
  EXPECT_EQ(profiles[0].p2.alarm.sys_mmhg, 180);
  EXPECT_EQ(profiles[0].p8.high_delay, std::chrono::seconds(10));
}

TEST(ProfileConfig, FieldsOverrideTheBaseAndBasedOnInherits) {
  auto profiles = profiles_from_config(parse(R"(
    profile {
      name: "cautious"
      p2 { alarm { sys_mmhg: 170 } clear { sys_mmhg: 160 } priority: ALERT_PRIORITY_HIGH }
      p8 { medium: 92 clear_at: 94 medium_delay_s: 20 }
      t3 { infusion_cycle_s: 180 }
      p5 { map_drop_percent: 25 }
    }
    profile { name: "cautious-night" based_on: "cautious" alarm { audio_pause_s: 60 } }
  )"));
  ASSERT_EQ(profiles.size(), 3u);
  const RuleProfile& c = profiles[0];
  EXPECT_EQ(c.name, "cautious");
  EXPECT_EQ(c.p2.alarm.sys_mmhg, 170);
  EXPECT_EQ(c.p2.alarm.dia_mmhg, 110);  // unset: default kept
  EXPECT_EQ(c.p2.clear.sys_mmhg, 160);
  EXPECT_EQ(c.p2.priority, Priority::High);
  EXPECT_EQ(c.p8.medium, 92);
  EXPECT_EQ(c.p8.medium_delay, std::chrono::seconds(20));
  EXPECT_EQ(c.t3.infusion_cycle, std::chrono::minutes(3));
  EXPECT_DOUBLE_EQ(c.p5.map_drop_fraction, 0.25);
  const RuleProfile& n = profiles[1];
  EXPECT_EQ(n.p2.alarm.sys_mmhg, 170);
  EXPECT_EQ(n.alarm.audio_pause, std::chrono::seconds(60));
  EXPECT_EQ(profiles[2].name, "default");
}

TEST(ProfileConfig, ErrorsNameTheProfileAndField) {
  auto fails = [](const std::string& text, const std::string& needle) {
    try {
      profiles_from_config(parse(text));
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  fails(R"(profile { name: "a" based_on: "b" })", "based_on 'b'");
  fails(R"(profile { name: "a" } profile { name: "a" })", "defined twice");
  fails(R"(profile { name: "a" t1 { silence_s: -1 } })", "t1.silence_s");
  fails(R"(profile { name: "a" p2 { confirm_readings: 0 } })", "p2.confirm_readings");
  fails(R"(profile { name: "a" p2 { clear { sys_mmhg: 190 } } })", "P2 clear");
  fails(R"(profile { name: "a" p1 { alarm { sys_mmhg: nan } } })", "p1.alarm");
  fails(R"(profile { p1 { } })", "without a name");
}

TEST(ProfileConfig, EngineUsesTheSessionProfile) {
  auto profiles =
      profiles_from_config(parse(R"(profile { name: "cautious" p2 { alarm { sys_mmhg: 170 } } })"));
  Harness h(profiles);
  SessionAction a;
  a.bed = h.bed;
  a.user = "nurse1";
  a.profile = "cautious";
  ASSERT_TRUE(h.engine.session_action(a, h.now()).ok);
  h.nibp(172, 90);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.of(RuleId::P2).back().profile, "cautious");
  EXPECT_NE(h.of(RuleId::P2).back().limits.find("SBP>=170"), std::string::npos);
  // Another chair without a session uses "default": 172 is no P2 there.
  h.nibp(172, 90, "BED2");
  h.bed = "BED2";
  EXPECT_FALSE(h.alert(RuleId::P2));
}

TEST(ProfileConfig, EngineRefusesAnInvalidProfileAtStartUp) {
  RuleProfile bad;
  bad.name = "bad";
  bad.p2.confirm_readings = 0;
  EXPECT_THROW(AlertEngine({bad}), std::invalid_argument);
  EXPECT_THROW(AlertEngine({RuleProfile{}, RuleProfile{}}), std::invalid_argument);
}

// The numbers added by the trust fixes are the clinic's too.
TEST(ProfileConfig, ConfirmationBandAndEmptyChairT1AreConfigurable) {
  auto profiles = profiles_from_config(parse(R"(
    profile {
      name: "strict"
      p2 { confirm_band_mmhg: 0 }
      p3 { confirm_band_mmhg: 3 }
      p5 { confirm_band_mmhg: 4 }
      t1 { after_session_end_s: 60 }
    }
  )"));
  const RuleProfile& p = profiles[0];
  EXPECT_EQ(p.p2.confirm_band_mmhg, 0);
  EXPECT_EQ(p.p3.confirm_band_mmhg, 3);
  EXPECT_EQ(p.p5.confirm_band_mmhg, 4);
  EXPECT_EQ(p.t1.after_session_end, std::chrono::seconds(60));
  EXPECT_EQ(RuleProfile{}.p3.confirm_band_mmhg, 5);
  EXPECT_THROW(profiles_from_config(parse(R"(profile { name: "wide" p3 { confirm_band_mmhg: 25 } })")),
               std::invalid_argument);
}

// P4's clearing band and T7's wait for a NIBP-only monitor are the clinic's too.
TEST(ProfileConfig, P4ClearBandAndT7SpotCheckWaitAreConfigurable) {
  auto profiles = profiles_from_config(parse(R"(
    profile {
      name: "spot"
      p4 { clear_band_mmhg: 3 }
      t7 { unbound_spot_check_after_s: 600 }
    }
  )"));
  const RuleProfile& p = profiles[0];
  EXPECT_EQ(p.p4.clear_band_mmhg, 3);
  EXPECT_EQ(p.t7.unbound_spot_check_after, std::chrono::seconds(600));
  EXPECT_EQ(RuleProfile{}.p4.clear_band_mmhg, 5);
  EXPECT_EQ(RuleProfile{}.t7.unbound_spot_check_after, std::chrono::minutes(7));
  EXPECT_THROW(profiles_from_config(parse(R"(profile { name: "wide" p4 { clear_band_mmhg: 21 } })")),
               std::invalid_argument);
}

// Whether P4 speaks while the cuff already cycles every 5 min is the clinic's choice too.
TEST(ProfileConfig, P4CycleGateIsConfigurable) {
  auto profiles = profiles_from_config(parse(R"(
    profile { name: "always" p4 { quiet_if_cycle_within_s: 0 } }
    profile { name: "three" p4 { quiet_if_cycle_within_s: 240 } }
  )"));
  EXPECT_EQ(profiles[0].p4.quiet_if_cycle_within, Duration(0));
  EXPECT_EQ(profiles[1].p4.quiet_if_cycle_within, std::chrono::seconds(240));
  EXPECT_EQ(RuleProfile{}.p4.quiet_if_cycle_within, std::chrono::seconds(360));
  EXPECT_THROW(profiles_from_config(parse(R"(profile { name: "neg" p4 { quiet_if_cycle_within_s: -1 } })")),
               std::invalid_argument);
}

}  // namespace
}  // namespace vigil::alerts::test
