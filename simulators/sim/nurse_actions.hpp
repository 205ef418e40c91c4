#pragma once
// Turns a chair's scripted nurse actions (begin, start, stop, end) into vigild requests
// through a NurseClient, the way a nurse at the chair would: a refused "start" (no baseline
// yet, pre-infusion gate) is tried again every simulated minute, a few times, then given up.
//
//   action due ──> request ──ok──> done
//                     └─refused─> start: retry after 1 simulated minute (max_start_retries)
//                                 other: logged, done
//
// Threading: not thread-safe; runs on the io_context of its NurseClient.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sim/nurse_client.hpp"
#include "sim/scenario.hpp"

namespace vigil::sim {

/// What the driver did so far, over all chairs.
struct NurseActionCounters {
  std::uint64_t requested = 0;  // actions due (retries not counted)
  std::uint64_t done = 0;       // answered ok
  std::uint64_t refused = 0;    // refusals, retries included
  std::uint64_t retries = 0;    // start requests sent again after a refusal
  std::uint64_t given_up = 0;   // actions finally not done
};

/// Plays nurse actions for any number of chairs over one NurseClient.
class NurseActionDriver : public std::enable_shared_from_this<NurseActionDriver> {
 public:
  using LogFn = std::function<void(const std::string& line)>;

  /// `time_scale` turns the simulated retry minute into real time.
  NurseActionDriver(boost::asio::io_context& io, NurseClient& client, double time_scale,
                    int max_start_retries = 5);

  /// Sends `action` for `chair`; `planned_minutes` goes into begin.
  void act(const std::string& chair, const NurseAction& action, int planned_minutes);
  /// No action waiting for an answer or a retry.
  bool idle() const { return in_progress_ == 0; }
  const NurseActionCounters& counters() const { return counters_; }
  void set_log_hook(LogFn fn) { log_ = std::move(fn); }

 private:
  void send(const std::string& chair, NurseActionKind kind, int planned_minutes, int attempt);
  void log(const std::string& line);

  boost::asio::io_context& io_;
  NurseClient& client_;
  double time_scale_;
  int max_start_retries_;
  int in_progress_ = 0;
  NurseActionCounters counters_;
  LogFn log_;
};

/// The request for one action: begin carries a patient label made from the chair name.
proto::NurseRequest nurse_request_for(const std::string& chair, NurseActionKind kind, int planned_minutes);

}  // namespace vigil::sim
