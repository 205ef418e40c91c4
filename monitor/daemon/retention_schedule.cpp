#include "daemon/retention_schedule.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <filesystem>

namespace vigil::daemon {

std::string default_archive_dir(const std::string& db_path) {
  const std::filesystem::path parent = std::filesystem::path(db_path).parent_path();
  return (parent.empty() ? std::filesystem::path("archive") : parent / "archive").string();
}

RetentionSchedule::RetentionSchedule(boost::asio::io_context& io, store::Store& store,
                                     const DaemonClock& clock, store::RetentionPolicy policy,
                                     std::chrono::milliseconds period)
    : io_(io),
      timer_(io),
      store_(store),
      clock_(clock),
      policy_(std::move(policy)),
      period_(period),
      alive_(std::make_shared<bool>(true)) {}

RetentionSchedule::~RetentionSchedule() { *alive_ = false; }

void RetentionSchedule::start() {
  run_now();
  arm();
}

void RetentionSchedule::arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: we are being destroyed
    run_now();
    arm();
  });
}

void RetentionSchedule::run_now() {
  std::weak_ptr<bool> alive = alive_;
  auto& io = io_;
  const bool started =
      store_.retain(policy_, clock_.wall_ms(), [alive, &io](const store::RetentionReport& r) {
        boost::asio::post(io, [alive, r] {
          if (auto a = alive.lock(); !a || !*a) return;
          if (r.error.empty()) {
            spdlog::info("retention: {}", r.summary());
          } else {
            spdlog::error("retention run failed: {}", r.summary());
          }
        });
      });
  if (!started) spdlog::debug("retention: the previous run is still going");
}

}  // namespace vigil::daemon
