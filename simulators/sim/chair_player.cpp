#include "sim/chair_player.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::sim {

using boost::system::error_code;

ChairPlayer::ChairPlayer(boost::asio::io_context& io, SessionPlan plan, ChairOptions options,
                         std::shared_ptr<MllpSender> sender)
    : ChairPlayer(io, std::move(plan), options,
                  std::make_shared<Hl7Output>(std::move(sender), options.chair, options.style,
                                              options.control_prefix)) {}

ChairPlayer::ChairPlayer(boost::asio::io_context& io, SessionPlan plan, ChairOptions options,
                         std::shared_ptr<MonitorOutput> output)
    : plan_(std::move(plan)), opt_(std::move(options)), output_(std::move(output)), timer_(io) {
  if (!(opt_.time_scale > 0)) opt_.time_scale = 1;
  if (!(opt_.numerics_interval_s > 0)) opt_.numerics_interval_s = 5;
  build_steps();
}

void ChairPlayer::build_steps() {
  const double interval_min = opt_.numerics_interval_s / 60.0;
  for (double m = plan_.start_minute; m < plan_.end_minute; m += interval_min) {
    auto idx = static_cast<std::size_t>(std::lround((m - plan_.start_minute) * 60));
    if (idx < plan_.numerics.size()) steps_.push_back({m, StepKind::Numerics, idx});
  }
  for (std::size_t i = 0; i < plan_.nibp.size(); ++i) {
    if (plan_.nibp[i].done_minute >= plan_.end_minute) continue;
    steps_.push_back({plan_.nibp[i].start_minute, StepKind::NibpStart, i});
    steps_.push_back({plan_.nibp[i].done_minute, StepKind::Nibp, i});
  }
  for (std::size_t i = 0; i < plan_.unplugged.size(); ++i) {
    steps_.push_back({plan_.unplugged[i].from, StepKind::UnplugStart, i});
    steps_.push_back({plan_.unplugged[i].to, StepKind::UnplugEnd, i});
  }
  for (std::size_t i = 0; i < plan_.actions.size(); ++i)
    steps_.push_back({plan_.actions[i].minute, StepKind::Action, i});
  steps_.push_back({plan_.end_minute, StepKind::End, 0});
  std::stable_sort(steps_.begin(), steps_.end(),
                   [](const Step& a, const Step& b) { return a.minute < b.minute; });
}

WallMillis ChairPlayer::wall_at(double minute) const {
  return opt_.wall_start_ms + static_cast<WallMillis>(std::llround((minute - plan_.start_minute) * 60000.0));
}

WallMillis ChairPlayer::wall_now() const {
  if (real_start_ == std::chrono::steady_clock::time_point{}) return opt_.wall_start_ms;
  const std::chrono::duration<double, std::milli> real = std::chrono::steady_clock::now() - real_start_;
  return opt_.wall_start_ms + static_cast<WallMillis>(std::llround(real.count() * opt_.time_scale));
}

std::chrono::steady_clock::time_point ChairPlayer::real_at(double minute) const {
  const double real_s = (minute - plan_.start_minute) * 60.0 / opt_.time_scale;
  return real_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(real_s));
}

void ChairPlayer::line(const std::string& text) {
  if (line_hook_) line_hook_(text);
}

void ChairPlayer::start(std::function<void()> on_done) {
  on_done_ = std::move(on_done);
  real_start_ = std::chrono::steady_clock::now();
  output_->start();
  schedule_next();
}

void ChairPlayer::schedule_next() {
  // Run every step already due (or due within a millisecond), then sleep until the next one.
  // A timer is never armed for "now": Asio arms its timerfd with an absolute time for that
  // case, which libfaketime shifts by its offset (the kernel then refuses it and the wait never
  // ends), and the suite must run a month ahead under libfaketime. A step run up to 1 ms early
  // keeps its own timestamps (they come from its minute, not from the clock).
  constexpr auto kEarly = std::chrono::milliseconds(1);
  while (next_ < steps_.size() &&
         real_at(steps_[next_].minute) <= std::chrono::steady_clock::now() + kEarly) {
    const Step step = steps_[next_++];
    run_step(step);
    if (step.kind == StepKind::End) return;
  }
  if (next_ >= steps_.size()) return;
  auto self = shared_from_this();
  timer_.expires_at(real_at(steps_[next_].minute));
  timer_.async_wait([this, self](error_code ec) {
    if (!ec) schedule_next();
  });
}

void ChairPlayer::run_step(const Step& step) {
  char buf[160];
  const bool unplugged = in_window(plan_.unplugged, step.minute);
  switch (step.kind) {
    case StepKind::Numerics: {
      if (unplugged) return;  // a monitor off the network does not back-fill numerics
      const auto& n = plan_.numerics[step.index];
      output_->numerics(n, wall_at(n.minute));
      return;
    }
    case StepKind::NibpStart: {
      if (!unplugged) output_->nibp_started(plan_.nibp[step.index], wall_at(step.minute));
      return;
    }
    case StepKind::Nibp: {
      const auto& s = plan_.nibp[step.index];
      if (unplugged) {
        std::snprintf(buf, sizeof buf, "%s t=%+.1fmin NIBP not sent (unplugged)", opt_.chair.c_str(),
                      s.done_minute);
        line(buf);
        return;
      }
      output_->nibp_done(s, wall_at(s.done_minute));
      if (s.outcome == NibpOutcome::Failed)
        std::snprintf(buf, sizeof buf, "%s t=%+.1fmin NIBP failed: %s", opt_.chair.c_str(), s.done_minute,
                      s.error.c_str());
      else
        std::snprintf(buf, sizeof buf, "%s t=%+.1fmin NIBP %d/%d (%d)%s", opt_.chair.c_str(), s.done_minute,
                      s.sys_mmhg, s.dia_mmhg, s.mean_mmhg,
                      s.outcome == NibpOutcome::Artifact ? " artifact" : "");
      line(buf);
      return;
    }
    case StepKind::UnplugStart:
      std::snprintf(buf, sizeof buf, "%s t=%+.1fmin unplugged (connection closed)", opt_.chair.c_str(),
                    step.minute);
      line(buf);
      output_->suspend();
      return;
    case StepKind::UnplugEnd:
      std::snprintf(buf, sizeof buf, "%s t=%+.1fmin plugged back in", opt_.chair.c_str(), step.minute);
      line(buf);
      output_->resume();
      return;
    case StepKind::Action:
      if (action_hook_) action_hook_(opt_.chair, plan_.actions[step.index]);
      return;
    case StepKind::End: drain(std::chrono::steady_clock::now() + opt_.drain_timeout); return;
  }
}

void ChairPlayer::drain(std::chrono::steady_clock::time_point deadline) {
  // The session is over once the last messages are acknowledged (or we give up on them).
  if (output_->idle() || std::chrono::steady_clock::now() >= deadline) {
    output_->stop();
    done_ = true;
    if (on_done_) on_done_();
    return;
  }
  auto self = shared_from_this();
  timer_.expires_after(std::chrono::milliseconds(20));
  timer_.async_wait([this, self, deadline](error_code ec) {
    if (!ec) drain(deadline);
  });
}

}  // namespace vigil::sim
