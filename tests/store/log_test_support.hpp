#pragma once
// Builders for alert-log and session-log records in the store tests, and a helper that
// submits one batch and waits for its outcome.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/vocabulary.hpp"
#include "events.pb.h"
#include "store/reading_queries.hpp"
#include "store/store.hpp"

namespace vigil::store::testing {

// The vocabulary value a word names (the tests state records in the words vigilctl prints).
template <class E>
E value(std::string_view word) {
  const auto v = from_word<E>(word);
  EXPECT_TRUE(v) << "not a word of the vocabulary: " << word;
  return v.value_or(static_cast<E>(0));
}

// An alert transition with the fields a P2 (SBP ceiling) alert carries.
inline proto::AlertEvent make_alert(std::string id, std::string bed, std::string_view state,
                                    std::string_view transition, WallMillis at_ms) {
  proto::AlertEvent a;
  a.set_id(std::move(id));
  a.set_bed(std::move(bed));
  a.set_rule(proto::P2);
  a.set_priority(proto::MEDIUM);
  a.set_state(value<proto::AlertState>(state));
  a.set_transition(value<proto::Transition>(transition));
  a.set_kind(proto::physiological);
  a.set_value(184);
  a.set_limit(180);
  a.set_baseline(126);
  a.set_message("SBP 184 >= 180");
  a.set_limits("SBP >= 180 or >= baseline+40");
  a.set_profile("default");
  a.set_phase(proto::infusion);
  a.set_at_ms(at_ms);
  a.set_onset_ms(at_ms);
  a.set_seq(7);
  a.set_subject("NIBP_SYS");
  return a;
}

// A session event whose state says `phase`; the patient label lives only in the state.
inline proto::SessionEvent make_session_event(std::string bed, std::string session_id, std::string_view event,
                                              std::string_view phase, WallMillis at_ms,
                                              std::string user = "nurse1") {
  proto::SessionEvent e;
  e.set_event(value<proto::SessionEventKind>(event));
  e.set_bed(bed);
  e.set_user(std::move(user));
  e.set_at_ms(at_ms);
  proto::SessionInfo* s = e.mutable_session();
  s->set_session_id(std::move(session_id));
  s->set_bed(std::move(bed));
  s->set_patient("Patient 7");
  s->set_profile("default");
  s->set_planned_minutes(50);
  s->set_phase(value<proto::Phase>(phase));
  s->set_begun_at_ms(at_ms);
  s->set_snapshot_at_ms(at_ms);
  return e;
}

// Submits one batch and waits (flush) for its done().
inline WriteOutcome submit_and_wait(Store& store, WriteBatch batch) {
  WriteOutcome result;
  bool called = false;
  EXPECT_TRUE(store.submit(std::move(batch), [&](WriteOutcome o) {
    result = std::move(o);
    called = true;
  }));
  store.flush();
  EXPECT_TRUE(called);
  return result;
}

// Every reading in the database at `path` that `filter` lets through, in the store's order.
inline std::vector<StoredReading> read_all(const std::string& path, const ReadingFilter& filter = {}) {
  std::vector<StoredReading> rows;
  for_each_reading(path, filter, [&](const StoredReading& r) { rows.push_back(r); });
  return rows;
}

}  // namespace vigil::store::testing
