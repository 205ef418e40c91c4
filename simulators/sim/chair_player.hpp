#pragma once
// Plays one chair's planned session in (scaled) real time into a MonitorOutput (an HL7
// sender or a serial S/5 monitor): numerics every few simulated seconds, each NIBP
// measurement's start and completion, unplugged windows (output suspended), nurse actions
// (handed to a hook) and the end.
//
// Time scaling: session minute m is reached (m - start) * 60 s / time_scale after start();
// timestamps in messages are simulated wall time: wall_start_ms at the session start,
// advancing time_scale times faster than the real clock.
//
// Threading: not thread-safe; runs on the io_context's thread with its sender.
// Create with std::make_shared.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/hl7_output.hpp"
#include "sim/mllp_sender.hpp"
#include "sim/monitor_output.hpp"
#include "sim/oru_writer.hpp"
#include "sim/session_plan.hpp"

namespace vigil::sim {

/// How one chair is played.
struct ChairOptions {
  std::string chair = "CHAIR1";
  MessageStyle style = MessageStyle::Ihe;
  double time_scale = 1;                           // > 0
  double numerics_interval_s = 5;                  // simulated seconds between numerics messages
  WallMillis wall_start_ms = 0;                    // simulated wall time at the session start
  std::string control_prefix = "SIM";              // MSH-10 = prefix + sequence number
  std::chrono::milliseconds drain_timeout{10000};  // real time to wait for the last ACKs
};

/// Plays a SessionPlan for one chair.
class ChairPlayer : public std::enable_shared_from_this<ChairPlayer> {
 public:
  using ActionHook = std::function<void(const std::string& chair, const NurseAction&)>;
  using LineHook = std::function<void(const std::string& line)>;

  /// An HL7 monitor: messages go out through `sender` (style and MSH-10 from `options`).
  ChairPlayer(boost::asio::io_context& io, SessionPlan plan, ChairOptions options,
              std::shared_ptr<MllpSender> sender);
  /// Any monitor output (e.g. a serial S/5 monitor).
  ChairPlayer(boost::asio::io_context& io, SessionPlan plan, ChairOptions options,
              std::shared_ptr<MonitorOutput> output);

  /// Starts the sender and the session clock; `on_done` runs once after the end (and the
  /// drain of the sender's queue, or its timeout).
  void start(std::function<void()> on_done);
  /// Nurse actions as they fall due (the main sends them to vigild's stream).
  void set_action_hook(ActionHook hook) { action_hook_ = std::move(hook); }
  /// One human-readable line per NIBP reading sent, unplug and replug.
  void set_line_hook(LineHook hook) { line_hook_ = std::move(hook); }

  bool done() const { return done_; }
  const SessionPlan& plan() const { return plan_; }
  const std::string& chair() const { return opt_.chair; }
  /// Messages built so far (the sender counts what went out).
  std::uint64_t messages_built() const { return output_->messages_built(); }
  /// Simulated wall time at a session minute.
  WallMillis wall_at(double minute) const;
  /// Simulated wall time now (the session start before start()).
  WallMillis wall_now() const;

 private:
  enum class StepKind { Numerics, NibpStart, Nibp, UnplugStart, UnplugEnd, Action, End };
  struct Step {
    double minute;
    StepKind kind;
    std::size_t index;
  };

  void build_steps();
  void schedule_next();
  void run_step(const Step& step);
  void drain(std::chrono::steady_clock::time_point deadline);
  std::chrono::steady_clock::time_point real_at(double minute) const;
  void line(const std::string& text);

  SessionPlan plan_;
  ChairOptions opt_;
  std::shared_ptr<MonitorOutput> output_;
  boost::asio::steady_timer timer_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  std::chrono::steady_clock::time_point real_start_;
  bool done_ = false;
  std::function<void()> on_done_;
  ActionHook action_hook_;
  LineHook line_hook_;
};

}  // namespace vigil::sim
