#include "store/store_impl.hpp"

// Retention runs on the writer thread, in steps between group commits (store.cpp's loop):
// requested from any thread, started when the writer next comes round, reported once.

namespace vigil::store {

bool Store::retain(RetentionPolicy policy, WallMillis now_ms, RetentionDone done) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping || impl_->retention_busy) return false;
    impl_->retention_busy = true;
    impl_->retention_request = RetentionRequest{std::move(policy), now_ms, std::move(done)};
  }
  impl_->work_cv.notify_one();
  return true;
}

// One retention step between group commits: a chunk holds the writer for a few
// milliseconds (RetentionPolicy::rows_per_step), then queued batches go first again.
void Store::Impl::retention_step() {
  if (!retention) {
    std::optional<RetentionRequest> request;
    {
      std::lock_guard lock(mu);
      request.swap(retention_request);
    }
    if (!request) return;
    retention_done = std::move(request->done);
    if (unusable.empty()) unusable = file_problem();
    if (!unusable.empty() || !damaged.empty()) {
      RetentionReport report;
      report.at_ms = request->now_ms;
      report.error = damaged.empty() ? "database unusable: " + unusable : damaged;
      retention_done_call(report);
      return;
    }
    retention = std::make_unique<RetentionRun>(*db, *gate, std::move(request->policy), request->now_ms);
  }
  if (!retention_due()) return;
  const auto started = std::chrono::steady_clock::now();
  const bool more = retention->step();
  const auto took = std::chrono::steady_clock::now() - started;
  retention_rest_until = started + 4 * took;
  if (more) return;
  const RetentionReport report = retention->report();
  retention.reset();
  retention_done_call(report);
}

void Store::Impl::retention_done_call(const RetentionReport& report) {
  Store::RetentionDone done = std::move(retention_done);
  retention_done = nullptr;
  {
    std::lock_guard lock(mu);
    retention_busy = false;
  }
  if (!done) return;
  try {
    done(report);
  } catch (...) {
    // As for a batch's done(): the writer carries on.
  }
}

void Store::Impl::end_retention(const std::string& error) {
  std::optional<RetentionRequest> request;
  {
    std::lock_guard lock(mu);
    request.swap(retention_request);
  }
  if (!retention && !request) return;
  RetentionReport report;
  if (retention) {
    report = retention->report();
    retention.reset();
  } else {
    report.at_ms = request->now_ms;
    retention_done = std::move(request->done);
  }
  if (report.error.empty()) report.error = error;
  retention_done_call(report);
}

}  // namespace vigil::store
