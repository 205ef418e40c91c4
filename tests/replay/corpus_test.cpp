// A small part of the labelled corpus (tests/data/replay/README.md): the defects of the
// trust issue stay fixed, the targets hold, and the corpus is the same on every run.
#include <gtest/gtest.h>

#include <algorithm>

#include "replay/corpus.hpp"
#include "replay/replay_report.hpp"

namespace vigil::replay {
namespace {

constexpr std::uint64_t kSeed = 14;
// The whole 48 sessions in the optimised build (CI stage 1). Under ASan+UBSan at -O0 with
// fuzzing instrumentation (stage 2) a session costs ~3 s instead of ~0.1 s, and the
// sanitizers need the code paths, not the statistics: there the first 24 (the corpus is
// generated in order, so they are the same sessions), which still meet every target below
// (6 episodes, 33 artifact readings on this seed).
#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_CORPUS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_CORPUS_SANITIZED 1
#endif
#endif
#ifdef VIGIL_CORPUS_SANITIZED
constexpr int kSessions = 24;
#else
constexpr int kSessions = 48;
#endif

std::vector<SessionResult> run_corpus(std::int64_t ack_after_ms, int sessions = kSessions) {
  RunOptions o;
  o.ack_after_ms = ack_after_ms;
  std::vector<SessionResult> out;
  for (const CorpusSession& c : make_corpus(kSeed, sessions))
    out.push_back(run_feed(corpus_feed(c), alerts::RuleProfile{}, o));
  return out;
}

TEST(Corpus, GeneratedFromTheSeedTheSameEveryTime) {
  const auto a = make_corpus(kSeed, 8), b = make_corpus(kSeed, 8);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Feed fa = corpus_feed(a[i]), fb = corpus_feed(b[i]);
    ASSERT_EQ(fa.items.size(), fb.items.size());
    EXPECT_EQ(fa.episodes.size(), fb.episodes.size());
    EXPECT_EQ(fa.artifact_ms, fb.artifact_ms);
  }
}

TEST(Corpus, TargetsHoldWithAndWithoutPromptAcknowledgment) {
  for (std::int64_t ack : {std::int64_t{60'000}, std::int64_t{0}}) {
    const auto results = run_corpus(ack);
    const ReplaySummary s = summarize(results);
    SCOPED_TRACE(format_text(s, results, "default", true));
    EXPECT_GT(s.episodes, 5);
    EXPECT_GT(s.artifacts, 10);
    EXPECT_EQ(s.missed, 0);
    // Every episode alarmed by the reading that confirms it: the second reading whose true
    // pressure meets the rule (artifacts skipped) or the first meeting P1. A verified reading
    // within the confirmation band under the limit counts as the first of the two.
    EXPECT_EQ(s.late, 0);
    EXPECT_LE(s.non_actionable / s.monitored_hours, 0.1);
    // LOW alarms and advisories of the P rules (P4, P9, the repeat requests of P2/P3/P5):
    // 0.28 / 0.25 an hour on these sessions, 0.46 / 0.43 while P4 asked for a 3-5 min cycle
    // the cuff already kept.
    EXPECT_LE(s.low_and_advisories_physiological / s.monitored_hours, 0.35);
    // With T5 (one per artifact reading Vigil doubts, 0.61 an hour on these sessions:
    // docs/alarms.md explains why that is the floor).
    EXPECT_LE(s.low_and_advisories / s.monitored_hours, 1.0);
  }
}

// One bad reading, one item: an artifact reading Vigil doubts raises T5 asking for the repeat
// and nothing else (no P1 advisory beside it, no P4); a NIBP-only monitor is not "unbound"
// (T7) while its first cuff is on the way. (A plausible-looking artifact Vigil cannot tell
// from a real reading is judged like one: e.g. P2 and P3 both ask for the repeat.)
TEST(Corpus, OneItemPerArtifactReadingAndNoT7ForSpotCheckMonitors) {
  for (const CorpusSession& c : make_corpus(kSeed, kSessions)) {
    const Feed f = corpus_feed(c);
    const SessionResult r = run_feed(f, alerts::RuleProfile{}, RunOptions{});
    for (const std::int64_t at : f.artifact_ms) {
      bool t5 = false;
      int others = 0;
      for (const Sounding& x : r.soundings) {
        if (x.at_ms != at || (x.priority != "LOW" && x.priority != "ADVISORY")) continue;
        if (x.rule == "T5")
          t5 = true;
        else
          ++others;
        EXPECT_FALSE(x.rule == "P1" && x.priority == "ADVISORY") << f.name << ": " << x.message;
      }
      EXPECT_FALSE(t5 && others > 0) << f.name << " at " << at / 60000.0 << " min";
    }
    if (c.feed.numerics) continue;
    for (const Sounding& x : r.soundings) EXPECT_NE(x.rule, "T7") << f.name << ": " << x.message;
  }
}

// No HIGH ever sounds at the time of an artifact reading (impossible or jumped), and no
// spot-check monitor is "lost" between its cuffs.
TEST(Corpus, ArtifactsRaiseNoHighAndSpotCheckMonitorsNoT1) {
  const auto corpus = make_corpus(kSeed, kSessions);
  for (const CorpusSession& c : corpus) {
    const Feed f = corpus_feed(c);
    const SessionResult r = run_feed(f, alerts::RuleProfile{}, RunOptions{});
    // The session's first reading has nothing to be compared with: a plausible-looking
    // spike there cannot be told from a real 200 (it is not excused anywhere else).
    std::int64_t first_nibp = -1;
    for (const FeedItem& it : f.items) {
      if (it.kind == FeedItem::Kind::Reading && it.reading.kind == VitalKind::NibpSys) {
        first_nibp = it.at_ms;
        break;
      }
    }
    for (const Sounding& x : r.soundings) {
      if (x.priority == "HIGH" && x.physiological && x.at_ms != first_nibp) {
        const bool on_artifact =
            std::find(f.artifact_ms.begin(), f.artifact_ms.end(), x.at_ms) != f.artifact_ms.end();
        EXPECT_FALSE(on_artifact) << f.name << ": " << x.message;
      }
      if (!c.feed.numerics) {
        EXPECT_NE(x.rule, "T1") << f.name << ": " << x.message;
      }
    }
  }
}

TEST(Corpus, RepeatedRunsGiveIdenticalFigures) {
  const auto a = run_corpus(60'000, 16), b = run_corpus(60'000, 16);
  EXPECT_EQ(format_json(summarize(a), a, "default"), format_json(summarize(b), b, "default"));
}

}  // namespace
}  // namespace vigil::replay
