#include "daemon/chair_bounds.hpp"

#include <spdlog/spdlog.h>

namespace vigil::daemon {

ChairBounds::ChairBounds(boost::asio::io_context& io, const DaemonClock& clock, BedBoard& board,
                         AlertService& alerts, ForgetSource forget_source, Options options)
    : timer_(io),
      clock_(clock),
      board_(board),
      alerts_(alerts),
      forget_source_(std::move(forget_source)),
      options_(options) {}

std::string ChairBounds::full_text() const {
  return "too many chairs: " + std::to_string(board_.bed_count()) + " known, cap " +
         std::to_string(options_.max_chairs);
}

std::optional<std::string> ChairBounds::refuse(const std::string& bed) {
  if (board_.has(bed) || board_.bed_count() < options_.max_chairs) return std::nullopt;
  ++counters_.refused_messages;
  const std::string text = full_text();
  if (!alarm_) {
    alarm_ = true;
    alerts_.on_chairs_full(true, text + " (messages for new chairs are refused)");
  }
  // Once, then at most every warn_interval: a sender inventing chairs must not flood the log.
  const auto now = std::chrono::steady_clock::now();
  if (!warned_ || now - last_warn_ >= options_.warn_interval) {
    spdlog::warn(
        "chairs: {}; refused a message for a new chair (AR, not stored; {} more refused since the last "
        "warning); raise max_chairs or find the sender inventing chair ids",
        text, unlogged_);
    warned_ = true;
    last_warn_ = now;
    unlogged_ = 0;
  } else {
    ++unlogged_;
  }
  return text + "; message not stored";
}

void ChairBounds::start() {
  if (options_.idle_forget.count() > 0) arm();
}

void ChairBounds::stop() { timer_.cancel(); }

void ChairBounds::arm() {
  timer_.expires_after(options_.sweep_interval);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    sweep();
    arm();
  });
}

void ChairBounds::sweep() {
  if (options_.idle_forget.count() > 0) {
    const WallMillis before = clock_.wall_ms() - options_.idle_forget.count();
    std::size_t forgotten = 0;
    for (const auto& [bed, source] : board_.idle_since(before)) {
      if (!alerts_.forget_bed(bed)) continue;  // a session or a live alert keeps it
      board_.forget(bed);
      if (forget_source_) forget_source_(source);
      ++forgotten;
    }
    counters_.forgotten += forgotten;
    if (forgotten > 0)
      spdlog::info(
          "chairs: forgot {} idle chairs (nothing received for {} s, no session, no live alert); {} known",
          forgotten, options_.idle_forget.count() / 1000, board_.bed_count());
  }
  if (alarm_ && board_.bed_count() < options_.max_chairs) {
    alarm_ = false;
    alerts_.on_chairs_full(false, "");
    spdlog::warn("chairs: {} known, below the cap of {} again; new chairs are accepted", board_.bed_count(),
                 options_.max_chairs);
  }
}

}  // namespace vigil::daemon
