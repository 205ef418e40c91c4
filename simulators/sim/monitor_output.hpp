#pragma once
// What a ChairPlayer plays into: one simulated monitor's way out to vigild. The HL7 monitor
// (hl7_output.hpp) sends a message per numerics sample and per NIBP result; the S/5 serial
// monitor (s5_serial_monitor.hpp) keeps the latest values and sends displayed-values records
// on its own cadence, as the real ones do.
//
// Threading: implementations run on the player's io_context thread.

#include <cstdint>

#include "reading/reading.hpp"
#include "sim/session_plan.hpp"

namespace vigil::sim {

/// One simulated monitor's output, driven by a ChairPlayer.
class MonitorOutput {
 public:
  virtual ~MonitorOutput() = default;
  /// Opens the link (connect, open the port).
  virtual void start() = 0;
  /// The latest HR/SpO2, observed at simulated wall time `at`.
  virtual void numerics(const NumericSample& sample, WallMillis at) = 0;
  /// The cuff starts inflating (a serial monitor shows "measuring").
  virtual void nibp_started(const NibpSample& sample, WallMillis at) = 0;
  /// The NIBP measurement completed at `at` (values, artifact or failure).
  virtual void nibp_done(const NibpSample& sample, WallMillis at) = 0;
  /// Unplugged: nothing goes out until resume().
  virtual void suspend() = 0;
  virtual void resume() = 0;
  /// Nothing left to deliver (the player waits for this at the end, with a deadline).
  virtual bool idle() const = 0;
  /// Closes the link.
  virtual void stop() = 0;
  /// Messages or records produced so far.
  virtual std::uint64_t messages_built() const = 0;
};

}  // namespace vigil::sim
