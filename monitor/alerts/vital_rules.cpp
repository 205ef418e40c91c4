#include "alerts/vital_rules.hpp"

#include <algorithm>

#include "alerts/format.hpp"

namespace vigil::alerts {

namespace {

bool beyond(const LevelRule& r, double v, double limit) { return r.above ? v >= limit : v < limit; }

bool safe(const LevelRule& r, double v) { return r.above ? v < r.clear_at : v >= r.clear_at; }

void track(std::optional<MonoTime>& since, bool holds, MonoTime now) {
  if (!holds)
    since.reset();
  else if (!since)
    since = now;
}

bool held_for(const std::optional<MonoTime>& since, Duration d, MonoTime now) {
  return since && now - *since >= d;
}

}  // namespace

void sample_level(LevelTracker& t, const LevelRule& r, double v, MonoTime now, bool spot) {
  t.last_sample = now;
  t.last_value = v;
  if (spot) {
    t.spot = true;
    t.spot_beyond = beyond(r, v, r.medium) ? std::min(t.spot_beyond + 1, 2) : 0;
    t.medium_since.reset();
    t.high_since.reset();
    t.clear_since.reset();
    return;
  }
  t.spot = false;
  t.spot_beyond = 0;
  track(t.medium_since, beyond(r, v, r.medium), now);
  track(t.high_since, beyond(r, v, r.high), now);
  track(t.clear_since, safe(r, v), now);
}

void evaluate_level(AlertBook& book, LevelTracker& t, const LevelRule& r, RuleId id, const char* what,
                    const AlarmSystemRules& alarm, Emit& emit) {
  if (!r.enabled) return;
  const MonoTime now = emit.now.mono;
  std::optional<Priority> level;
  bool clear = false;
  bool recheck = false;  // a spot value beyond MEDIUM, not yet confirmed by the next
  if (t.spot && t.last_sample) {
    if (beyond(r, t.last_value, r.high))
      level = Priority::High;
    else if (t.spot_beyond >= 2)
      level = Priority::Medium;
    recheck = !level && t.spot_beyond == 1;
    clear = safe(r, t.last_value);
  } else {
    const bool fresh = t.last_sample && now - *t.last_sample <= alarm.continuous_stale;
    if (fresh && held_for(t.high_since, r.high_delay, now))
      level = Priority::High;
    else if (fresh && held_for(t.medium_since, r.medium_delay, now))
      level = Priority::Medium;
    clear = fresh && held_for(t.clear_since, r.clear_delay, now);
  }
  // Nothing raised and nothing to raise (nearly every reading): no text to build.
  if (!level && !recheck && book.find(id) == nullptr) return;

  AlertSpec spec = make_spec(id, {}, AlertKind::Physiological, level.value_or(Priority::Medium));
  const double limit = level == Priority::High ? r.high : r.medium;
  const char* op = r.above ? " >= " : " < ";
  spec.value = t.last_value;
  spec.limit = limit;
  spec.metric = id == RuleId::P8 ? VitalKind::SpO2 : VitalKind::HeartRate;
  spec.direction = r.above ? Direction::Above : Direction::Below;
  spec.message = std::string(what) + " " + num(t.last_value) + op + num(limit);
  spec.latching = level == Priority::High ? r.latch_high : r.latch_medium;
  spec.limits = std::string(what) + op + num(r.medium) + " MEDIUM (" + num(in_seconds(r.medium_delay)) +
                " s), " + what + op + num(r.high) + " HIGH (" + num(in_seconds(r.high_delay)) +
                " s); clears " + (r.above ? "< " : ">= ") + num(r.clear_at) + " for " +
                num(in_seconds(r.clear_delay)) + " s";
  if (t.spot) spec.limits += "; a spot-check value: HIGH at once, MEDIUM when the next confirms it";

  Alert* a = book.find(id);
  if (a == nullptr) {
    if (level) {
      book.raise(spec, false, emit);
    } else if (recheck) {
      book.raise(spec, true, emit);  // "...: repeat NIBP now": the next cuff brings the next value
    }
    return;
  }
  if (a->state == AlertState::Advisory) {
    if (level) {
      book.confirm(*a, spec, emit);
    } else if (!recheck) {
      book.resolve(*a, a->message + "; not confirmed: " + what + " " + num(t.last_value), emit);
    }
    return;
  }
  if (level) {
    if (a->state == AlertState::Latched) {
      spec.priority = a->priority;
      spec.latching = a->latching;
      book.reactivate(*a, spec, emit);
    }
    if (*level > a->priority) {
      a->latching = a->latching || spec.latching;
      AlertBook::refresh(*a, spec);
      book.set_priority(*a, *level, spec.message, emit);
    } else if (*level == a->priority) {
      AlertBook::refresh(*a, spec);
    } else {
      a->value = t.last_value;  // still alarming at the lower level: keep the worse message
    }
    return;
  }
  if (clear && a->state != AlertState::Latched) {
    std::string gone = a->message + "; " + what + " " + num(t.last_value);
    if (!t.spot) gone += " for " + num(in_seconds(r.clear_delay)) + " s";
    book.condition_gone(*a, std::move(gone), emit);
  }
}

void evaluate_vital_rules(BedState& bed, const RuleProfile& p, Emit& emit) {
  evaluate_level(bed.book, bed.p6, p.p6, RuleId::P6, "HR", p.alarm, emit);
  evaluate_level(bed.book, bed.p7, p.p7, RuleId::P7, "HR", p.alarm, emit);
  evaluate_level(bed.book, bed.p8, p.p8, RuleId::P8, "SpO2", p.alarm, emit);
}

}  // namespace vigil::alerts
