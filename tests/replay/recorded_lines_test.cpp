// The words vigilctl prints, pinned on a recorded session. A hypertensive responder (vigil-sim's
// patient model, seed 1) is played through the alert engine on a fake clock, with a nurse who
// pauses the audio and acknowledges every alarm; what the engine decides is logged to a
// database as vigild logs it and announced as vigild streams it. The test then prints
//   alerts.jsonl / alerts.csv  as `vigilctl alerts --db` prints the log,
//   watch.jsonl                as `vigilctl watch` prints the stream (NIBP readings, alert and
//                              session events, and a connect-time snapshot every 15 minutes),
//   timeline.txt               as `vigilctl timeline --bed CHAIR2` prints the session,
// and compares them with tests/data/golden/hypertensive-responder/. Those files were written
// by this test while the stream still carried rule, priority, state, transition, phase and
// event names as text: the typed vocabulary must print exactly the same bytes.
// VIGIL_WRITE_GOLDEN=1 rewrites them (only for a change of output that is meant).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>

#include "alerts/alert_engine.hpp"
#include "alerts/alert_records.hpp"
#include "client/event_lines.hpp"
#include "common/proto_convert.hpp"
#include "replay/replay_feed.hpp"
#include "sim/named_scenarios.hpp"
#include "store/alert_export.hpp"
#include "store/log_queries.hpp"
#include "store/store.hpp"
#include "store/store_test_support.hpp"
#include "store/timeline.hpp"
#include "store/timeline_text.hpp"
#include "support/file_text.hpp"

namespace vigil::replay {
namespace {

constexpr const char* kBed = "CHAIR2";
constexpr std::int64_t kAckAfterMs = 3 * 60'000;  // after the 2-minute audio pause ran out
constexpr std::int64_t kPauseAfterMs = 10'000;
constexpr std::int64_t kSnapshotEveryMs = 15 * 60'000;

const std::string kGoldenDir = std::string(VIGIL_TEST_DATA_DIR) + "/golden/hypertensive-responder/";

// What one step sent to the stream: a logged batch (readings, alerts, sessions), a
// connect-time snapshot of the chair, or a monitor link's state.
struct Step {
  store::WriteBatch batch;
  std::shared_ptr<store::WriteOutcome> outcome = std::make_shared<store::WriteOutcome>();
  std::optional<proto::BedState> snapshot;
  std::optional<proto::DeviceStatus> device;
};

// The daemon's loop in small: the engine on a fake clock, its output logged and announced.
class Recorder {
 public:
  explicit Recorder(const Feed& feed) : feed_(feed), engine_({alerts::RuleProfile{}}) {}

  std::vector<Step> run() {
    std::vector<FeedItem> items = feed_.items;
    for (std::size_t i = 0; i < items.size(); ++i) {
      for (std::int64_t t = (now_ms_ / 1000 + 1) * 1000; t <= items[i].at_ms; t += 1000) tick(t);
      now_ms_ = items[i].at_ms;
      const FeedItem& it = items[i];
      switch (it.kind) {
        case FeedItem::Kind::Reading: reading(it.reading); break;
        case FeedItem::Kind::Device: log(engine_.on_device_event(it.device, now())); break;
        case FeedItem::Kind::Ack: break;
        case FeedItem::Kind::Nurse: {
          alerts::SessionAction a = it.action;
          a.user = "nurse1";
          const alerts::ActionResult r = engine_.session_action(a, now());
          log(r);
          if (!r.ok && a.kind == alerts::SessionActionKind::StartInfusion && retries_++ < 30) {
            retry_later(items, i, now_ms_, 60'000);
          }
          break;
        }
      }
    }
    // A quarter of an hour after the session: the chair back to monitoring.
    const std::int64_t end = now_ms_ + kSnapshotEveryMs;
    for (std::int64_t t = (now_ms_ / 1000 + 1) * 1000; t <= end; t += 1000) tick(t);
    return std::move(steps_);
  }

 private:
  alerts::Now now() const {
    return alerts::Now{alerts::MonoTime{} + std::chrono::hours(1) + alerts::Duration(now_ms_),
                       feed_.start_wall_ms + now_ms_};
  }

  std::string session_id() const {
    auto view = engine_.session(kBed, now());
    return view ? view->state.session_id : std::string();
  }

  // AlertService::append: transitions and session events become log records.
  void append(store::WriteBatch& batch, const alerts::EngineOutput& out) {
    for (const alerts::AlertTransition& t : out.transitions) {
      batch.alerts.push_back(alerts::to_proto(t));
      batch.alert_session_ids.push_back(session_id());
      schedule(t);
    }
    for (const alerts::SessionEvent& e : out.session_events) batch.sessions.push_back(alerts::to_proto(e));
  }

  void log(const alerts::EngineOutput& out) {
    Step step;
    append(step.batch, out);
    if (!step.batch.empty()) steps_.push_back(std::move(step));
  }

  // AlertService::enrich: the engine sees the reading first; its verdict is stored with it.
  void reading(const Reading& r) {
    Step step;
    const alerts::ReadingResult result = engine_.on_reading(r, now());
    store::ReadingContext c;
    c.verified = result.accepted && result.verified;
    c.phase = alerts::to_proto(result.phase);
    if (result.baseline) {
      c.baseline_sys = result.baseline->sys_mmhg;
      c.baseline_dia = result.baseline->dia_mmhg;
    }
    c.session_id = session_id();
    step.batch.readings.push_back(r);
    step.batch.reading_context.push_back(c);
    append(step.batch, result);
    steps_.push_back(std::move(step));
  }

  // The nurse pauses the audio 10 s after an alarm starts to sound (the first alarm and
  // the first HIGH one), and acknowledges every alarm 3 minutes after it starts to sound.
  void schedule(const alerts::AlertTransition& t) {
    using K = alerts::TransitionKind;
    if (t.alert_kind == alerts::AlertKind::Advisory) return;
    if (t.kind == K::Raised || t.kind == K::Confirmed || t.kind == K::Reactivated) {
      ack_due_.emplace(t.alert_id, now_ms_ + kAckAfterMs);
      if (pauses_ == 0 || (pauses_ == 1 && t.priority == alerts::Priority::High)) {
        pause_at_ = now_ms_ + kPauseAfterMs;
        ++pauses_;
      }
    }
    if (t.kind == K::Acknowledged || t.kind == K::Resolved) ack_due_.erase(t.alert_id);
  }

  // The serial link of a second monitor on the chair goes quiet at 30 minutes and comes back.
  void device(proto::DeviceLinkState state) {
    Step step;
    proto::DeviceStatus d;
    d.set_bed(kBed);
    d.set_source("datex-s5:/dev/ttyUSB0");
    d.set_transport("serial");
    d.set_state(state);
    d.set_detail("recorded");
    d.set_at_ms(now().wall_ms);
    step.device = d;
    steps_.push_back(std::move(step));
  }

  void tick(std::int64_t t) {
    now_ms_ = t;
    // The watching dashboard confirms receipt (T2 is about a live link, not this recording).
    log(engine_.on_dashboard_confirmed(now()));
    log(engine_.tick(now()));
    if (pause_at_ && *pause_at_ <= t) {
      pause_at_.reset();
      log(engine_.pause_audio(kBed, "nurse2", now()));
    }
    if (t == 30 * 60'000) device(proto::silent);
    if (t == 32 * 60'000) device(proto::receiving);
    std::vector<std::string> due;
    for (const auto& [id, at] : ack_due_)
      if (at <= t) due.push_back(id);
    for (const std::string& id : due) {
      ack_due_.erase(id);
      log(engine_.acknowledge(kBed, id, "nurse1", now()));
    }
    if (t % kSnapshotEveryMs == 0) snapshot();
  }

  // AlertService::fill_snapshot for the chair (the bed board's latest readings left out).
  void snapshot() {
    Step step;
    proto::BedState s;
    s.set_bed(kBed);
    const alerts::Phase phase = engine_.phase(kBed);
    s.set_phase(alerts::to_proto(phase));
    s.set_audio_paused(engine_.audio_paused(kBed));
    if (auto view = engine_.session(kBed, now())) *s.mutable_session() = alerts::to_proto(view->state);
    for (const alerts::Alert& a : engine_.active_alerts(kBed))
      *s.add_active_alerts() = alerts::to_proto(a, phase);
    step.snapshot = std::move(s);
    steps_.push_back(std::move(step));
  }

  const Feed& feed_;
  alerts::AlertEngine engine_;
  std::int64_t now_ms_ = 0;
  int retries_ = 0;
  std::optional<std::int64_t> pause_at_;
  int pauses_ = 0;
  std::map<std::string, std::int64_t> ack_due_;
  std::vector<Step> steps_;
};

// Journal::announce: what the stream carried for one logged batch, as watch prints it.
void watch_lines(const Step& step, std::vector<std::string>& out) {
  const client::EventFilter all;
  auto print = [&](const proto::ServerMessage& m) {
    for (std::string& l : client::event_lines(m, all)) out.push_back(std::move(l));
  };
  proto::ServerMessage m;
  if (step.snapshot) {
    *m.mutable_bed_state() = *step.snapshot;
    return print(m);
  }
  if (step.device) {
    *m.mutable_device() = *step.device;
    return print(m);
  }
  const store::WriteBatch& b = step.batch;
  const store::WriteOutcome& o = *step.outcome;
  for (std::size_t i = 0; i < b.readings.size(); ++i) {
    // HR and SpO2 every 5 s would swamp the file; NIBP readings show the reading shape.
    const VitalKind k = b.readings[i].kind;
    if (k != VitalKind::NibpSys && k != VitalKind::NibpDia && k != VitalKind::NibpMean) continue;
    proto::Reading* r = m.mutable_reading();
    *r = to_proto(b.readings[i], i < o.reading_ids.size() ? o.reading_ids[i] : 0);
    const store::ReadingContext& c = b.reading_context[i];
    r->set_verified(c.verified);
    r->set_phase(c.phase);
    if (c.baseline_sys) r->set_baseline_sys_mmhg(*c.baseline_sys);
    if (c.baseline_dia) r->set_baseline_dia_mmhg(*c.baseline_dia);
    print(m);
  }
  for (std::size_t i = 0; i < b.alerts.size(); ++i) {
    *m.mutable_alert() = b.alerts[i];
    m.mutable_alert()->set_log_id(i < o.alert_ids.size() ? o.alert_ids[i] : 0);
    print(m);
  }
  for (std::size_t i = 0; i < b.sessions.size(); ++i) {
    *m.mutable_session() = b.sessions[i];
    m.mutable_session()->set_log_id(i < o.session_ids.size() ? o.session_ids[i] : 0);
    print(m);
  }
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

using test::read_file;

// Equal to the golden file, or (VIGIL_WRITE_GOLDEN=1) written to it. On a difference the
// first differing line is shown, not 100 kB of text.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + name;
  if (const char* w = std::getenv("VIGIL_WRITE_GOLDEN"); w && std::string(w) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  const std::string expected = read_file(path);
  ASSERT_FALSE(expected.empty()) << "no golden file " << path;
  if (expected == actual) return;
  std::istringstream e(expected), a(actual);
  std::string le, la;
  for (int line = 1;; ++line) {
    const bool more_e = static_cast<bool>(std::getline(e, le)),
               more_a = static_cast<bool>(std::getline(a, la));
    if (!more_e && !more_a) break;
    if (le != la || more_e != more_a) {
      ADD_FAILURE() << name << " line " << line << " differs\n golden: " << (more_e ? le : "(end)")
                    << "\n actual: " << (more_a ? la : "(end)");
      return;
    }
  }
  ADD_FAILURE() << name << " differs (line ends or a final newline)";
}

TEST(RecordedLines, HypertensiveSessionPrintsTheGoldenLines) {
  const auto scenario = sim::make_named_scenario("hypertensive-responder", 1);
  ASSERT_TRUE(scenario);
  Feed feed = feed_from_plan(*scenario, sim::plan_session(*scenario, 1), FeedOptions{});
  for (FeedItem& it : feed.items) {
    it.reading.bed = it.device.bed = it.action.bed = kBed;
    it.action.patient = std::string("SIM-") + kBed;
  }
  // The monitor's numerics stop for 40 s at minute 45 (T1, a technical alarm).
  std::erase_if(feed.items, [](const FeedItem& it) {
    return it.kind == FeedItem::Kind::Reading && it.at_ms > 45 * 60'000 && it.at_ms < 45 * 60'000 + 40'000;
  });
  std::vector<Step> steps = Recorder(feed).run();

  store::testing::TempDir dir;
  const std::string db = dir.file("vigil.db");
  {
    store::Store store(store::StoreOptions{db});
    for (Step& s : steps) {
      if (s.snapshot || s.device) continue;
      ASSERT_TRUE(store.submit(s.batch, [out = s.outcome](store::WriteOutcome o) { *out = std::move(o); }));
    }
    store.flush();
  }

  std::vector<std::string> watch;
  for (const Step& s : steps) watch_lines(s, watch);
  expect_golden("watch.jsonl", join(watch));

  std::vector<std::string> jsonl, csv{store::alert_csv_header()};
  store::for_each_alert(db, store::AlertFilter{}, [&](const proto::AlertEvent& a) {
    jsonl.push_back(store::alert_jsonl_row(a));
    csv.push_back(store::alert_csv_row(a));
  });
  EXPECT_GT(jsonl.size(), 20u);
  expect_golden("alerts.jsonl", join(jsonl));
  expect_golden("alerts.csv", join(csv));

  auto session = store::find_session(db, kBed, std::nullopt);
  ASSERT_TRUE(session);
  std::vector<std::string> timeline = store::timeline_header(*session);
  store::TimelineTextRenderer renderer;
  store::for_each_timeline_item(db, kBed, *session, [&](const store::TimelineItem& item) {
    for (std::string& l : renderer.add(item)) timeline.push_back(std::move(l));
  });
  for (std::string& l : renderer.finish()) timeline.push_back(std::move(l));
  expect_golden("timeline.txt", join(timeline));
}

}  // namespace
}  // namespace vigil::replay
