// vigilctl replay on scenario files: labels, the figures, and that they repeat exactly.
#include <gtest/gtest.h>

#include "replay/replay_report.hpp"
#include "sim/scenario_file.hpp"
#include "sim/session_plan.hpp"

namespace vigil::replay {
namespace {

sim::Scenario parse(const std::string& text) {
  const sim::ScenarioParse p = sim::parse_scenario_text(text, 3);
  EXPECT_TRUE(p.scenario) << p.error;
  return p.scenario.value_or(sim::Scenario{});
}

// A late peak after the infusion, high enough for P3 and P2 a clinician would act on.
const char* kLatePeak = R"(name late-peak
baseline 124/78
peak-rise 66/34
peak-minute 50
recovery-tau 25
labelled
label-episode 35 80
)";

TEST(Replay, ScenarioLabelsParseAndUnknownLabelIsAnError) {
  const sim::Scenario s = parse(kLatePeak);
  EXPECT_TRUE(s.labelled);
  ASSERT_EQ(s.label_episodes.size(), 1u);
  EXPECT_EQ(s.label_episodes[0].from, 35);
  const sim::ScenarioParse bad = sim::parse_scenario_text("label-episode 40 30\n", 1);
  EXPECT_FALSE(bad.scenario);
  EXPECT_NE(bad.error.find("line 1"), std::string::npos);
}

TEST(Replay, LabelledLatePeakIsAlarmedAndCounted) {
  const sim::Scenario s = parse(kLatePeak);
  const Feed f = feed_from_plan(s, sim::plan_session(s, 3), FeedOptions{});
  const SessionResult r = run_feed(f, alerts::RuleProfile{}, RunOptions{});
  EXPECT_TRUE(r.labelled);
  EXPECT_EQ(r.episodes, 1);
  EXPECT_EQ(r.missed, 0);
  EXPECT_GT(r.monitored_hours, 1.5);
  const ReplaySummary sum = summarize({r});
  EXPECT_GT(sum.by_priority.count("MEDIUM") + sum.by_priority.count("HIGH"), 0u);
  const std::string text = format_text(sum, {r}, "default", true);
  EXPECT_NE(text.find("missed 0"), std::string::npos) << text;
  EXPECT_NE(text.find("late-peak"), std::string::npos) << text;
}

// The profile given is the one the sessions run under (they were begun with none).
TEST(Replay, SessionsRunUnderTheReplayedProfile) {
  const sim::Scenario s = parse(kLatePeak);
  const Feed f = feed_from_plan(s, sim::plan_session(s, 3), FeedOptions{});
  alerts::RuleProfile silent;
  silent.name = "silent";
  silent.p2.enabled = silent.p3.enabled = silent.p4.enabled = false;
  silent.p1.enabled = false;
  const SessionResult r = run_feed(f, silent, RunOptions{});
  for (const Sounding& x : r.soundings) {
    EXPECT_TRUE(x.rule != "P1" && x.rule != "P2" && x.rule != "P3" && x.rule != "P4")
        << x.rule << ": " << x.message;
  }
  EXPECT_EQ(r.missed, 1) << "the late peak, with the pressure rules off";
}

TEST(Replay, SameFeedGivesTheSameFiguresEveryRun) {
  const sim::Scenario s = parse(kLatePeak);
  const Feed f = feed_from_plan(s, sim::plan_session(s, 3), FeedOptions{});
  const auto once = [&] {
    const SessionResult r = run_feed(f, alerts::RuleProfile{}, RunOptions{});
    return format_json(summarize({r}), {r}, "default");
  };
  EXPECT_EQ(once(), once());
}

// A NIBP-only monitor (spot check) is not "lost" between its cuffs: no T1 all session.
TEST(Replay, SpotCheckMonitorRaisesNoT1) {
  const sim::Scenario s = parse("name quiet\n");
  FeedOptions o;
  o.numerics = false;
  const Feed f = feed_from_plan(s, sim::plan_session(s, 5), o);
  const SessionResult r = run_feed(f, alerts::RuleProfile{}, RunOptions{});
  for (const Sounding& x : r.soundings) EXPECT_NE(x.rule, "T1") << x.message;
}

// An acknowledged alarm never swallows a later crossing: every reading meeting P1 after the
// acknowledgment sounds again (replayed with acknowledgment one minute after onset).
TEST(Replay, AcknowledgedAlarmSoundsAgainOnTheNextCrossing) {
  const sim::Scenario s = parse("name surge\nbaseline 130/80\npeak-rise 85/48\npeak-minute 20\n");
  const Feed f = feed_from_plan(s, sim::plan_session(s, 2), FeedOptions{});
  const SessionResult r = run_feed(f, alerts::RuleProfile{}, RunOptions{});
  int p1 = 0;
  for (const Sounding& x : r.soundings)
    if (x.rule == "P1" && x.priority == "HIGH") {
      ++p1;
    }
  EXPECT_GE(p1, 2) << "one P1, acknowledged, then silence over the following severe readings";
}

// The checked-in labelled scenarios (tests/data/replay): the late peak is alarmed, the
// artifact burst raises no MEDIUM/HIGH physiological alarm.
TEST(Replay, CheckedInLabelledScenarios) {
  std::vector<SessionResult> results;
  for (const char* file : {"late-peak.scenario", "artifact-burst.scenario"}) {
    const sim::ScenarioParse p =
        sim::load_scenario_file(std::string(VIGIL_TEST_DATA_DIR) + "/replay/" + file, 1);
    ASSERT_TRUE(p.scenario) << p.error;
    const Feed f = feed_from_plan(*p.scenario, sim::plan_session(*p.scenario, 1), FeedOptions{});
    results.push_back(run_feed(f, alerts::RuleProfile{}, RunOptions{}));
  }
  const ReplaySummary s = summarize(results);
  EXPECT_EQ(s.episodes, 1);
  EXPECT_EQ(s.missed, 0);
  EXPECT_EQ(s.non_actionable, 0) << format_text(s, results, "default", true);
  EXPECT_GT(s.artifacts, 0);
}

// A medical director looking for the sessions alarmed late finds them in the per-session list
// (text and JSON), not only in the total.
TEST(Replay, SessionListNamesTheSessionsAlarmedLate) {
  std::vector<SessionResult> results(2);
  results[0].name = "on-time";
  results[1].name = "one-late";
  for (SessionResult& r : results) {
    r.labelled = true;
    r.monitored_hours = 2;
    r.episodes = 1;
  }
  results[1].late = 1;
  const ReplaySummary s = summarize(results);
  EXPECT_EQ(s.late, 1);
  const std::string text = format_text(s, results, "default", true);
  EXPECT_NE(text.find("on-time  2.00 h  HIGH 0  MEDIUM 0  LOW 0  advisories 0  episodes 1 missed 0 late 0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("one-late  2.00 h  HIGH 0  MEDIUM 0  LOW 0  advisories 0  episodes 1 missed 0 late 1"),
            std::string::npos)
      << text;
  const std::string json = format_json(s, results, "default");
  EXPECT_NE(json.find("{\"name\":\"one-late\",\"hours\":2.000,\"high\":0,\"medium\":0,\"low\":0,"
                      "\"advisories\":0,\"episodes\":1,\"missed\":0,\"late\":1,"),
            std::string::npos)
      << json;
}

// The confirming reading of an episode is its second reading, or its first meeting P1 when
// that comes first; a run turning severe later is not "confirmed" by its first reading.
// Artifacts and failed cuffs are no evidence: skipped, the run goes on across them.
TEST(Replay, EpisodeConfirmedBySecondReadingOrFirstSevereOne) {
  const double bs = 120, bd = 75;
  auto at = [](int minute) { return std::int64_t{minute} * 60'000; };
  // 182/112, 186/114, then 205/124: alarm due at the second reading, not the first.
  auto e = episodes_from_truth(
      {{at(30), 182, 112}, {at(35), 186, 114}, {at(40), 205, 124}, {at(45), 140, 80}}, bs, bd, at(5));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].from_ms, at(30));
  EXPECT_EQ(e[0].confirm_ms, at(35));
  EXPECT_EQ(e[0].to_ms, at(45));
  // A first reading meeting P1 needs no second one.
  e = episodes_from_truth({{at(30), 204, 100}, {at(35), 150, 90}}, bs, bd, at(5));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].confirm_ms, at(30));
  // An artifact in the run: the confirming reading is the next one the monitor reported truly.
  e = episodes_from_truth({{at(30), 182, 112}, {at(35), 184, 112, false}, {at(40), 186, 114}}, bs, bd, at(5));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].confirm_ms, at(40));
  EXPECT_EQ(e[0].to_ms, at(45));  // open at the end: one cycle after the last reading
  // One reading meeting P2 only is no episode.
  EXPECT_TRUE(episodes_from_truth({{at(30), 182, 100}, {at(35), 150, 90}}, bs, bd, at(5)).empty());
}

}  // namespace
}  // namespace vigil::replay
