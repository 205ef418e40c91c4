#pragma once
// Plays one chair of an infusion session against a real vigild, as a monitor and a nurse
// would: ORU^R01 messages over MLLP with explicit NIBP measurement times (the engine groups
// NIBP parts by source and measured time, so every measurement needs its own), and nurse
// actions through `vigilctl`. Every call waits for the daemon's answer (the HL7 ACK or the
// request result), and both come only after the log has the record, so a test can read the
// alert log right after a call without waiting or sleeping.
//
// Threading: one driver per thread; drivers of different chairs may run in parallel.

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {

/// An HL7 TS (UTC, explicit +0000) for the epoch second `t`.
std::string hl7_time_at(std::time_t t);

/// One NIBP measurement: its parts (SYS, DIA, MEAN) all carry `time` in OBX-14.
struct NibpValues {
  double sys = 120;
  double dia = 80;
  std::optional<double> mean;  // default: DIA + (SYS - DIA) / 3, as a monitor would send
  std::string time;            // HL7 TS
  std::string status = "R";    // OBX-11 of each part: "W" takes the result of that time back
};

/// An ORU^R01 for `bed` with any of NIBP, HR (ECG) and SpO2. HR and SpO2 carry no OBX-14,
/// so vigild stamps them with the time it received them.
std::string make_vitals_oru(const std::string& bed, const std::string& control_id,
                            const std::optional<NibpValues>& nibp, std::optional<double> hr,
                            std::optional<double> spo2);

class ChairDriver {
 public:
  /// Connects a monitor for `bed` to `vigild`'s HL7 port; nurse actions go to its stream
  /// port as `user`. NIBP minute 0 is four hours before now (so a whole session fits in
  /// the past).
  ChairDriver(const Vigild& vigild, std::string bed, std::string user = "nurse1");

  const std::string& bed() const { return bed_; }

  /// Sends a NIBP measured at `minute` of the session's timeline (plus HR 72, SpO2 98) and
  /// waits for the ACK. Returns an empty string on AA, else what went wrong.
  /// `status` "W": the monitor takes back its result of that minute.
  std::string nibp(int minute, double sys, double dia, const std::string& status = "R");
  /// Sends HR and SpO2 only (a monitor's continuous values) and waits for the ACK.
  std::string vitals(double hr, double spo2);
  /// Sends a ready-made message and waits for the ACK ("" on AA).
  std::string send(const std::string& message);

  /// Runs `vigilctl <args> --bed B --connect HOST:PORT --user U` to completion.
  /// `user` empty: the driver's user.
  RunResult nurse(std::vector<std::string> args, const std::string& user = {}) const;

  /// Begins a 40-minute session for `patient`, sends two agreeing baseline cuffs (`sys`/`dia`
  /// at minutes 0 and 5) and starts the infusion. "" when all of it was done, else what failed.
  std::string begin_and_start(double sys, double dia, const std::string& patient = "PT-0042");

  /// The next unused control id for this chair (MSH-10).
  std::string next_control_id();
  /// The HL7 time of `minute` on this chair's cuff clock (what nibp() stamps).
  std::string time_at(int minute) const;

 private:
  std::string bed_;
  std::string user_;
  std::string stream_;
  MllpClient monitor_;
  std::time_t minute_zero_;
  int messages_ = 0;
};

}  // namespace vigil::test
