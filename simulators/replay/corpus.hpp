#pragma once
// A labelled corpus of simulated infusion sessions for `vigilctl replay`, generated from a
// seed (the same seed gives the same corpus, on every machine): normal, pre-hypertensive,
// hypertensive, severe, late-peak and artifact-heavy responders; NIBP-only spot-check
// monitors and 1 Hz numerics monitors; artifacts of several shapes (inverted, flat,
// absurdly wide, and plausible-looking spikes). Labels come from the patient's true
// pressures (episodes) and from the plan (artifact readings).

#include <cstdint>
#include <string>
#include <vector>

#include "replay/replay_feed.hpp"
#include "sim/scenario.hpp"

namespace vigil::replay {

struct CorpusSession {
  std::string kind;  // "normal", "hypertensive", ...
  sim::Scenario scenario;
  std::uint64_t seed = 0;
  FeedOptions feed;
  double artifact_rate = 0.04;  // share of readings replaced by an artifact
};

/// `count` sessions drawn from `seed`; kinds in a fixed rotation.
std::vector<CorpusSession> make_corpus(std::uint64_t seed, int count);

/// The session as a labelled feed.
Feed corpus_feed(const CorpusSession& session);

}  // namespace vigil::replay
