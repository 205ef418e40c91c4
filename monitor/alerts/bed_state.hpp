#pragma once
// Everything the engine keeps for one chair. Plain data; the rule files update it.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts/alarm_state.hpp"
#include "alerts/baseline.hpp"
#include "alerts/clock_skew.hpp"
#include "alerts/late_readings.hpp"
#include "alerts/nibp_measurement.hpp"
#include "alerts/session.hpp"

namespace vigil::alerts {

/// How long a continuous condition (P6-P8) has held, and its clear condition.
struct LevelTracker {
  std::optional<MonoTime> medium_since;
  std::optional<MonoTime> high_since;
  std::optional<MonoTime> clear_since;
  std::optional<MonoTime> last_sample;
  double last_value = 0;
  // The last sample came from a spot-check monitor (vital_rules.hpp): it stands until the
  // next, and spot_beyond counts the consecutive ones beyond the MEDIUM level.
  bool spot = false;
  int spot_beyond = 0;
};

/// A device seen sending for this chair (T1 watches each).
struct SourceSeen {
  std::string source;
  MonoTime last_seen{};
  // A session restored after a restart has lost the names of its devices: a stand-in
  // ("any monitor") is refreshed by data from any device, so a chair whose monitor never
  // comes back still raises T1. It goes once a named device sends and its T1 is over.
  bool stand_in = false;
  // Streams numerics or heartbeats: lost after T1's 15 s. Told by a message of vitals with no
  // cuff's result in it, or by a heartbeat. A spot-check monitor sends its cuff's pulse rate
  // or SpO2 in the result's own message and is silent between cuffs by design
  // (technical_rules.cpp). Once known it stays: a monitor that stops streaming has lost the
  // patient's continuous vitals even if it still sends a cuff now and then.
  bool continuous = false;
  // Has sent vitals in a cuff result's own message: a spot-check monitor until it streams.
  bool spot_check = false;
  // The message last received from it (its readings share one arrival instant), and what it
  // carried so far; judged once a later instant comes (settle).
  MonoTime message_at{};
  bool message_vitals = false;
  bool message_nibp = false;
  // The newest cuff result's stamp and the message that brought it. Many streaming monitors
  // repeat their last result in every message: a result seen in an earlier message is not a
  // cuff completing (nor a vital), so it does not make a 1 Hz monitor look like a spot-check
  // one (whose silence between cuffs T1 allows for minutes).
  WallMillis nibp_stamp = 0;
  MonoTime nibp_stamp_at{};
  // This message carried a result already seen (nibp_stamp), and whether the one before it
  // brought a new cuff. A spot-check monitor resending its last message (a lost ACK) sends
  // its spot vitals with the old result right after that result's own message: no stream.
  // A 1 Hz monitor repeating its cuff does so message after message.
  bool message_resent_nibp = false;
  bool previous_new_cuff = false;

  // The message received before `now` is complete: vitals without a cuff's result in it
  // are a stream. True if that made the source continuous.
  bool settle(MonoTime now) {
    if (message_vitals && message_nibp) spot_check = true;
    if (continuous || now == message_at || !message_vitals || message_nibp) return false;
    if (message_resent_nibp && previous_new_cuff) return false;
    continuous = true;
    return true;
  }
  ClockSkewMeter clock{};                      // the device's clock against Vigil's (T8 "clock:<source>")
  std::optional<MonoTime> clock_over_since{};  // its skew over the limit since
  StampOrder order{};                          // its newest stamps: an older result sent again is late
  // Its name identifies one device (Reading::source_is_device): only then is the same name
  // on two chairs one monitor feeding both (T7).
  bool names_device = true;
};

/// A link Vigil opens itself that delivers nothing (refused, no answer, dropped) since
/// `since` (T8 "link:<source>"): unlike T1 it needs no data ever seen from the device.
struct LinkDownSeen {
  std::string source;
  MonoTime since{};
  std::string detail;  // why, in the transport's words, clipped
};

/// A device of this chair that sent observations Vigil could not read (T8 "unreadable:").
struct UnreadableSeen {
  std::string source;
  MonoTime last{};
  std::string detail;  // the latest message's first unreadable observation, clipped
};

struct BedState {
  static constexpr std::size_t kMaxSources = 8;  // devices tracked per chair (outside input)

  explicit BedState(std::string bed_name) : name(bed_name), book(std::move(bed_name)) {}

  std::string name;
  AlertBook book;
  std::optional<Session> session;
  NibpAssembler nibp;
  BaselineCalculator baseline_calc;
  LevelTracker p6, p7, p8;
  std::optional<MonoTime> last_ecg_hr;  // ECG HR present: pulse rate is not used
  std::vector<SourceSeen> sources;
  // The watched device named `source` (already cut to the engine's text bound), not the
  // restart's stand-in; nullptr beyond the bound of watched devices or before it sent.
  SourceSeen* named_source(std::string_view source) {
    for (SourceSeen& s : sources) {
      if (!s.stand_in && s.source == source) return &s;
    }
    return nullptr;
  }
  const SourceSeen* named_source(std::string_view source) const {
    return const_cast<BedState*>(this)->named_source(source);
  }
  // The stamp order of devices no longer watched (forgotten after their T1 on a chair with
  // no session), for when they come back: a monitor that buffered through the outage sends
  // its backlog then, and without its order every old result in it would be judged as now.
  // At most kMaxSources, oldest dropped.
  std::vector<std::pair<std::string, StampOrder>> past_orders;
  // Whether the chair's monitor streams numerics or heartbeats (true) or sends only NIBP
  // (false), learned from what its devices sent, kept across sessions (T7's wait for the
  // first data); unknown until a device has sent.
  std::optional<bool> monitor_streams;
  std::vector<UnreadableSeen> unreadable;  // at most kMaxSources, oldest dropped
  std::vector<LinkDownSeen> links_down;    // at most kMaxSources, oldest dropped
  std::optional<MonoTime> last_data;
  std::optional<MonoTime> last_valid_nibp;
  // Arrival of the last NIBP measurement, valid or not, and the phase it came in: the cuff's
  // cycle as P4 sees it.
  std::optional<MonoTime> last_nibp;
  Phase last_nibp_phase = Phase::Monitoring;
  // The last measurement judged, as its device stamped it, and when it arrived. Many monitors
  // and gateways send their last NIBP result again with every message until the next cuff:
  // the same device, measurement time and values in a later message (a message's readings
  // share their arrival) are that one result, never a repeat reading that confirms it, a
  // second baseline reading or a 1-minute cuff cycle.
  std::optional<std::pair<MonoTime, NibpMeasurement>> last_judged_nibp;
  // The last verified measurement: the T5 jump check compares with it, and P2/P3/P5 count it
  // as the reading before (confirmation band).
  std::optional<std::pair<MonoTime, NibpMeasurement>> last_verified_nibp;
  // What last_verified_nibp and last_valid_nibp were before the last verified measurement:
  // put back when its device takes that measurement back (withdraw_nibp).
  std::optional<std::pair<MonoTime, NibpMeasurement>> verified_nibp_before;
  std::optional<MonoTime> valid_nibp_before;
  // The measurement just before, if it was unverified only for want of agreement (a jump, or
  // a severe reading with nothing verified to compare with): a next one agreeing with it is real.
  std::optional<std::pair<MonoTime, double>> last_jumped_sys;
  // The SBP of the last late result (late_readings.hpp) and when it came. Not current, but a
  // repeat agreeing with it is not a jump: after a monitor clock set back, the late result
  // was the first of the two readings, and the nurse's repeat confirms it.
  std::optional<std::pair<MonoTime, double>> last_late_sys;
  int nibp_failures_in_row = 0;
  std::optional<MonoTime> probe_off_since;
  // Set when a session was restored after a restart: T2 and T3 count from here at the
  // earliest, since receipts and readings during the downtime are unknown to us.
  std::optional<MonoTime> restored_at;
  // Set when the chair's session ended: a T1 on the empty chair ends after t1.after_session_end.
  std::optional<MonoTime> session_ended_at;

  Phase phase() const { return session ? session->phase() : Phase::Monitoring; }
  bool pre_infusion() const { return phase() == Phase::Setup || phase() == Phase::Baseline; }
  /// The baseline relative rules use: the session's, once the infusion started.
  const Baseline* relative_baseline() const {
    if (!session || !(phase() == Phase::Infusion || phase() == Phase::Recovery)) return nullptr;
    const Baseline& b = session->state().baseline;
    return b.has_nibp() ? &b : nullptr;
  }
};

}  // namespace vigil::alerts
