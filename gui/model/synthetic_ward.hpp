#pragma once
// A made-up ward for the dashboard's frame benchmark (vigil-dashboard --bench-frames): the
// messages vigild would have streamed for `chairs` chairs, each 90 minutes into a session
// (baseline, a 40-minute infusion, recovery) with 1 Hz HR and SpO2, an NIBP every 5
// minutes, and a few live alerts of every priority. No daemon, no network: the frames are
// built from a full model so their cost is that of a busy clinic's screen.
//
// Pure: time comes from the caller.

#include <cstdint>
#include <vector>

#include "stream.pb.h"

namespace vigil::dashboard {

struct SyntheticWardOptions {
  int chairs = 16;
  int session_minutes = 90;   // how far into its session every chair is
  int numerics_period_s = 1;  // HR / SpO2
  int nibp_period_s = 300;
};

/// Hello, snapshot (one bed_state per chair, with session and live alerts), snapshot end,
/// then every reading of the sessions in time order; all on the clock `now_ms`.
std::vector<proto::ServerMessage> synthetic_ward(const SyntheticWardOptions& options, std::int64_t now_ms);

}  // namespace vigil::dashboard
