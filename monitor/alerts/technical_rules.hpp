#pragma once
// T1-T8: technical alarms from real signals. Each is a condition that holds or not; the
// alert follows it (not latching, priority follows the phase):
//
//   condition holds ──► ACTIVE (priority from phase) ── phase changes ──► PriorityChanged
//   condition ends  ──► RESOLVED (or ACKNOWLEDGED -> RESOLVED)
//
//   T1 link silent: a device of the chair sent nothing (data or heartbeat) for > 15 s
//   T2 no dashboard confirmed receipt for 30 s during an infusion
//   T3 no valid NIBP within the expected cycle + 2 min (infusion / recovery)
//   T4 NIBP measurement failed (device event); LOW, MEDIUM from the 2nd in a row
//   T5 implausible reading (per vital group), until a plausible one
//   T6 SpO2 probe off > 30 s LOW; > 60 s during infusion MEDIUM
//   T7 session without monitor data (pre-infusion), or one monitor feeding two sessions
//   T8 alarm log write failure, audio failure (HIGH), hospital link down (forwarding
//      delivered nothing for link_alert_s) and forwarding warnings (a message refused with
//      AE, readings dropped from a full outbox) (every chair); per chair and source, a
//      monitor clock off from Vigil's by more than max_clock_skew_s for 30 s (subject
//      "clock:<source>", from the source's own messages: clock_skew.hpp); and per chair,
//      subject "unreadable:<source>": a monitor sends data Vigil cannot read (until
//      t8.unreadable_clear without unreadable data from it)

#include <string>
#include <string_view>
#include <vector>

#include "alerts/bed_state.hpp"
#include "alerts/events.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// The NIBP cycle a chair is on now (T3's): infusion 5 min, recovery 10 then 15 min; before
/// the infusion and without a session the longest, as cuffs then come when a nurse asks.
Duration nibp_cycle(const BedState& bed, const RuleProfile& p, MonoTime now);

/// The daemon's own health (T8), shared by all chairs.
struct SystemHealth {
  bool log_failed = false;
  bool audio_failed = false;
  std::string log_detail, audio_detail;
  bool forward_failed = false;   // HL7 forwarding: the hospital link delivers nothing
  bool forward_warning = false;  // HL7 forwarding: a message refused (AE) or readings dropped
  std::string forward_detail, forward_warning_detail;
  bool disk_low = false;  // the database's filesystem below its free-space minimum
  std::string disk_detail;
  bool chairs_full = false;  // messages for a new chair are refused (max_chairs reached)
  std::string chairs_detail;
  bool restarted = false;  // vigild came back after an abnormal stop: monitoring had a gap
  std::string restart_detail;
  bool mail_failed = false;  // the SMTP relay did not take an escalation mail
  std::string mail_detail;
};

/// Raises, updates or ends a condition-following alert. `present` false ends it.
void follow_condition(AlertBook& book, const AlertSpec& spec, bool present, Emit& emit);
/// The same for a condition checked on every tick: `build()` makes the spec (its texts are
/// strings) only when the condition holds or its alert is up. Nearly always neither is so,
/// and the tick runs four times a second for every chair.
template <class Build>
void follow_condition(AlertBook& book, RuleId rule, std::string_view subject, bool present, Emit& emit,
                      Build build) {
  if (!present && book.find(rule, subject) == nullptr) return;
  follow_condition(book, build(), present, emit);
}

void t1_link(BedState& bed, const RuleProfile& p, Emit& emit);
void t2_dashboard(BedState& bed, const RuleProfile& p, std::optional<MonoTime> last_confirmed, Emit& emit);
void t3_stale_nibp(BedState& bed, const RuleProfile& p, Emit& emit);
void t4_nibp_failed(BedState& bed, const RuleProfile& p, const DeviceEvent& event, Emit& emit);
/// A valid NIBP arrived: T4 ends, the failure count restarts.
void t4_nibp_ok(BedState& bed, const RuleProfile& p, Emit& emit);
/// `group` is "NIBP", "HR" or "SpO2"; an empty reason ends the group's T5.
void t5_plausibility(BedState& bed, const RuleProfile& p, const std::string& group, const std::string& reason,
                     std::optional<double> value, Emit& emit);
void t6_probe(BedState& bed, const RuleProfile& p, Emit& emit);
/// `shared` lists the sources this chair shares with another chair's pre-infusion session.
void t7_binding(BedState& bed, const RuleProfile& p, const std::vector<std::string>& shared, Emit& emit);
void t8_system(BedState& bed, const RuleProfile& p, const SystemHealth& health, Emit& emit);
/// A reading of `source` arrived at `received_at` (Vigil's clock) stamped `measured_at` by
/// the device: measures that source's clock (if the chair watches it) and follows T8.
void t8_clock(BedState& bed, const RuleProfile& p, const std::string& source, WallMillis received_at,
              WallMillis measured_at, Emit& emit);
/// Raises T8 "clock:<source>" for a skew that has now held long enough (sources still sending).
void t8_clock_tick(BedState& bed, const RuleProfile& p, Emit& emit);
/// A source of the chair sent observations Vigil cannot read (at emit.now when `detail` is
/// set); follows every such source and ends those quiet for t8.unreadable_clear.
/// T8 "link:<source>" for each link down longer than kLinkDownGrace; ends when it delivers.
void t8_links(BedState& bed, const RuleProfile& p, Emit& emit);
void t8_unreadable(BedState& bed, const RuleProfile& p, const std::string& source, const std::string& detail,
                   Emit& emit);

}  // namespace vigil::alerts
