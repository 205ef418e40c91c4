#pragma once
// Drives an AlertEngine from arbitrary bytes: readings with odd values, events, nurse
// actions, acknowledgments of real and bogus ids, restores, time steps. Used by the
// libFuzzer target (alert_engine_fuzz.cpp) and by a seeded gtest, and checks invariants
// that must hold whatever the input: ordered transitions, ids never reused, bounded and
// sorted active lists.

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "alerts/alert_engine.hpp"

namespace vigil::alerts::test {

class EngineDriver {
 public:
  /// Runs the byte program; returns an empty string, or the first invariant broken.
  std::string run(const std::uint8_t* data, std::size_t size) {
    data_ = data;
    size_ = size;
    pos_ = 0;
    while (pos_ < size_ && failure_.empty()) step();
    return failure_;
  }

 private:
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::string bed() { return "BED" + std::to_string(byte() % 4); }
  Now now() const {
    return Now{MonoTime{} + std::chrono::hours(1) + elapsed_, 1'790'000'000'000 + elapsed_.count()};
  }

  double value() {
    const std::uint8_t k = byte();
    if (k == 250) return std::numeric_limits<double>::quiet_NaN();
    if (k == 251) return std::numeric_limits<double>::infinity();
    if (k == 252) return -1e300;
    return static_cast<double>(k) * 1.2 + byte() % 10 - 20;
  }

  void check(const EngineOutput& out) {
    for (const AlertTransition& t : out.transitions) {
      if (t.seq <= last_seq_) failure_ = "transition seq not increasing";
      last_seq_ = t.seq;
      if (resolved_.count(t.alert_id)) failure_ = "transition on resolved alert " + t.alert_id;
      if (t.kind == TransitionKind::Raised && !seen_.insert(t.alert_id).second &&
          t.state == AlertState::Advisory)
        failure_ = "advisory id reused " + t.alert_id;
      if (t.kind == TransitionKind::Resolved) resolved_.insert(t.alert_id);
    }
    for (int b = 0; b < 4; ++b) {
      const auto alerts = engine_.active_alerts("BED" + std::to_string(b));
      if (alerts.size() > 40) failure_ = "too many active alerts";
      std::set<std::string> ids;
      for (std::size_t i = 0; i < alerts.size(); ++i) {
        if (!ids.insert(alerts[i].id).second) failure_ = "duplicate active id";
        if (alerts[i].state == AlertState::Resolved) failure_ = "resolved alert listed";
        if (i > 0 && alerts[i - 1].priority < alerts[i].priority) failure_ = "active list not sorted";
      }
    }
  }

  void step() {
    switch (byte() % 10) {
      case 0: {
        Reading r;
        r.bed = bed();
        r.kind = static_cast<VitalKind>(byte() % 8);
        r.value = value();
        r.valid = byte() % 8 != 0;
        r.source = "MON" + std::to_string(byte() % 3);
        r.measured_at_ms = now().wall_ms - byte() % 3;
        check(engine_.on_reading(r, now()));
        break;
      }
      case 1:
        elapsed_ += Duration(byte() * 50);
        check(engine_.tick(now()));
        break;
      case 2: {
        DeviceEvent e;
        e.bed = bed();
        e.source = "MON" + std::to_string(byte() % 3);
        e.kind = static_cast<DeviceEventKind>(byte() % 4);
        e.code = std::string(byte() % 40, 'E');
        check(engine_.on_device_event(e, now()));
        break;
      }
      case 3: {
        SystemEvent e;
        e.kind = static_cast<SystemEventKind>(byte() % 9);  // every kind, forwarding (T8) included
        e.clock_skew_s = value() / 10;
        check(engine_.on_system_event(e, now()));
        break;
      }
      case 4: check(engine_.on_dashboard_confirmed(now())); break;
      case 5: {
        SessionAction a;
        a.bed = bed();
        a.kind = static_cast<SessionActionKind>(byte() % 7);
        a.user = byte() % 10 ? "nurse" : "";
        a.planned_minutes = byte() - 10;
        a.profile = byte() % 10 ? "" : "nope";
        a.override_sys = value();
        a.override_dia = value();
        check(engine_.session_action(a, now()));
        break;
      }
      case 6: {
        const std::string b = bed();
        const auto alerts = engine_.active_alerts(b);
        const std::uint8_t k = byte();
        const std::string id =
            alerts.empty() || k % 5 == 0 ? "junk" + std::to_string(k) : alerts[k % alerts.size()].id;
        check(engine_.acknowledge(b, id, byte() % 10 ? "nurse" : "", now()));
        break;
      }
      case 7: check(engine_.pause_audio(bed(), "nurse", now())); break;
      case 8: {
        if (auto s = engine_.session(bed(), now())) {
          SessionState st = s->state;
          st.bed = bed();
          st.infusion_elapsed_ms = byte() * 1000;
          check(engine_.restore(st, now()));
        }
        break;
      }
      case 9:
        elapsed_ += std::chrono::minutes(byte() % 30);
        check(engine_.tick(now()));
        break;
    }
  }

  AlertEngine engine_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t pos_ = 0;
  Duration elapsed_{0};
  std::uint64_t last_seq_ = 0;
  std::set<std::string> resolved_, seen_;
  std::string failure_;
};

}  // namespace vigil::alerts::test
