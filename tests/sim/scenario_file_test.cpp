// The scenario file parser: the example in docs/scenarios.md parses, errors name the line.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/scenario_file.hpp"
#include "sim/session_plan.hpp"
#include "support/file_text.hpp"

namespace vigil::sim {
namespace {

// The first ```text block after "### Example" in docs/scenarios.md.
std::string documented_example() {
  const std::string doc = test::read_file(VIGIL_TEST_DATA_DIR "/../../docs/scenarios.md");
  const auto section = doc.find("### Example");
  if (section == std::string::npos) return "";
  const auto open = doc.find("```text\n", section);
  if (open == std::string::npos) return "";
  const auto close = doc.find("```", open + 8);
  if (close == std::string::npos) return "";
  return doc.substr(open + 8, close - open - 8);
}

TEST(ScenarioFile, DocumentedExampleParses) {
  const std::string text = documented_example();
  ASSERT_FALSE(text.empty()) << "example block not found in docs/scenarios.md";
  const auto r = parse_scenario_text(text, 1);
  ASSERT_TRUE(r.scenario.has_value()) << r.error;
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.name, "surge-then-cuff-leak");
  EXPECT_DOUBLE_EQ(s.patient.baseline_sys_mmhg, 148);
  EXPECT_DOUBLE_EQ(s.patient.baseline_dia_mmhg, 92);
  EXPECT_DOUBLE_EQ(s.patient.baseline_hr_bpm, 78);
  EXPECT_DOUBLE_EQ(s.patient.peak_rise_sys_mmhg, 42);
  EXPECT_DOUBLE_EQ(s.patient.peak_rise_dia_mmhg, 26);
  EXPECT_DOUBLE_EQ(s.patient.peak_minute, 32);
  EXPECT_DOUBLE_EQ(s.nibp_cycle_min, 3);
  ASSERT_EQ(s.events.size(), 4u);
  EXPECT_EQ(s.events[1].kind, EventKind::CuffFailure);
  EXPECT_DOUBLE_EQ(s.events[1].minute, 25);
  EXPECT_DOUBLE_EQ(s.events[1].duration_min, 4);
  EXPECT_EQ(s.events[3].kind, EventKind::Desaturation);
  EXPECT_DOUBLE_EQ(s.events[3].magnitude, 87);
  ASSERT_EQ(s.actions.size(), 4u);
  EXPECT_EQ(s.actions[3].kind, NurseActionKind::End);
  EXPECT_DOUBLE_EQ(s.actions[3].minute, 95);

  // And it plays: cuff failures during the event, the unplug window, the listed actions.
  const SessionPlan plan = plan_session(s, 1);
  int failed = 0;
  for (const auto& n : plan.nibp) failed += n.outcome == NibpOutcome::Failed;
  EXPECT_GE(failed, 1);
  ASSERT_EQ(plan.unplugged.size(), 1u);
  EXPECT_DOUBLE_EQ(plan.unplugged[0].to, 32.5);
  EXPECT_EQ(plan.actions.size(), 4u);
}

TEST(ScenarioFile, FromStartsWithABuiltInScenario) {
  const auto r = parse_scenario_text("from hypertensive-responder\nname mine\ninfusion 60\n", 5);
  ASSERT_TRUE(r.scenario.has_value()) << r.error;
  EXPECT_EQ(r.scenario->name, "mine");
  EXPECT_DOUBLE_EQ(r.scenario->infusion_minutes, 60);
  EXPECT_GE(r.scenario->patient.baseline_sys_mmhg, 138);
}

struct BadCase {
  const char* text;
  int line;
  const char* words;
};

TEST(ScenarioFile, ErrorsNameTheLine) {
  const BadCase cases[] = {
      {"name x\n\n# fine\nfoo 1\n", 4, "unknown key 'foo'"},
      {"baseline 150\n", 1, "SYS/DIA"},
      {"name a\nheart-rate fast\n", 2, "not a number"},
      {"heart-rate 900\n", 1, "out of range"},
      {"event 10 explode 2\n", 1, "unknown event 'explode'"},
      {"event 10 dip\n", 1, "takes 3 to 4"},
      {"action 5 celebrate\n", 1, "unknown nurse action"},
      {"name a\nfrom normal-responder\n", 2, "first line"},
      {"from nothing-like-it\n", 1, "unknown scenario"},
      {"spo2 97 98\n", 1, "takes 1"},
      {"infusion nan\n", 1, "not a number"},
  };
  for (const auto& c : cases) {
    const auto r = parse_scenario_text(c.text, 1);
    EXPECT_FALSE(r.scenario.has_value()) << c.text;
    EXPECT_EQ(r.error_line, c.line) << c.text;
    EXPECT_NE(r.error.find("line " + std::to_string(c.line) + ":"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find(c.words), std::string::npos) << r.error;
  }
}

TEST(ScenarioFile, CommentsBlankLinesAndCrlfAreFine) {
  const auto r = parse_scenario_text("# header\r\n\r\n  baseline 130/80   # trailing\r\n\tspo2 97\r\n", 1);
  ASSERT_TRUE(r.scenario.has_value()) << r.error;
  EXPECT_DOUBLE_EQ(r.scenario->patient.baseline_sys_mmhg, 130);
  EXPECT_DOUBLE_EQ(r.scenario->patient.baseline_spo2_pct, 97);
}

TEST(ScenarioFile, MissingFileIsAnError) {
  const auto r = load_scenario_file("/nonexistent/vigil.scenario", 1);
  EXPECT_FALSE(r.scenario.has_value());
  EXPECT_NE(r.error.find("cannot open"), std::string::npos);
}

TEST(ScenarioFile, ADirectoryIsNoScenario) {
  const auto r = load_scenario_file("/tmp", 1);
  EXPECT_FALSE(r.scenario.has_value()) << "read as an empty scenario";
  EXPECT_EQ(r.error, "scenario file '/tmp' is a directory");
}

}  // namespace
}  // namespace vigil::sim
