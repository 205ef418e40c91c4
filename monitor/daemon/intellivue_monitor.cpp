#include "daemon/intellivue_monitor.hpp"

#include <spdlog/spdlog.h>

#include "common/wall_time.hpp"

namespace vigil::daemon {

IntelliVueMonitor::IntelliVueMonitor(boost::asio::io_context& io, std::string bed, std::string source,
                                     const LinkFactory& make_link, Sink sink, LinkStateFn on_link,
                                     IntelliVueMonitorOptions options)
    : bed_(std::move(bed)),
      source_(std::move(source)),
      options_(std::move(options)),
      sink_(std::move(sink)),
      on_link_(std::move(on_link)),
      session_(options_.session),
      mapper_(source_, options_.mapper),
      timer_(io),
      link_(make_link(IvLinkCallbacks{[this](std::string_view m) { on_message(m); }, [this] { on_up(); },
                                      [this](const std::string& r) { on_down(r); }})) {}

IntelliVueMonitor::~IntelliVueMonitor() {
  *alive_ = false;
  stop();
}

void IntelliVueMonitor::start() {
  spdlog::info("intellivue {}: {} ({})", bed_, link_->describe(), source_);
  link_->start();
}

void IntelliVueMonitor::stop() {
  if (stopped_) return;
  session_.stop(out_);
  for (std::string& m : out_.send) link_->send(std::move(m));  // best effort: frees the monitor's slot
  stopped_ = true;
  timer_.cancel();
  link_->stop();
}

WallMillis IntelliVueMonitor::now() const {
  return options_.wall_clock ? options_.wall_clock() : wall_now_ms();
}

void IntelliVueMonitor::set_state(LinkState state, const std::string& detail) {
  // A new reason in the same state is news too (aborted, then refused while it reboots).
  if (reported_ && state == state_ && detail == detail_) return;
  reported_ = true;
  state_ = state;
  detail_ = detail;
  if (state == LinkState::Lost || state == LinkState::Silent)
    spdlog::warn("intellivue {} ({}): link {}: {}", bed_, link_->describe(), to_string(state), detail);
  else
    spdlog::info("intellivue {} ({}): link {}{}{}", bed_, link_->describe(), to_string(state),
                 detail.empty() ? "" : ": ", detail);
  if (on_link_) on_link_(bed_, state, detail);
}

void IntelliVueMonitor::on_up() {
  if (stopped_) return;
  session_.start(intellivue::SessionClock::now(), out_);
  apply(out_);
}

void IntelliVueMonitor::on_down(const std::string& reason) {
  if (stopped_) return;
  session_.on_transport_lost(intellivue::SessionClock::now(), out_);
  timer_.cancel();
  set_state(LinkState::Lost, reason);
}

void IntelliVueMonitor::on_message(std::string_view bytes) {
  if (stopped_) return;
  session_.on_message(bytes, intellivue::SessionClock::now(), out_);
  apply(out_);
}

void IntelliVueMonitor::apply(intellivue::SessionOutput& out) {
  for (std::string& m : out.send) link_->send(std::move(m));
  if (out.mds_create) {
    mapper_.set_clock_anchor(*out.mds_create);
    unmapped_seen_.clear();  // a new association: report unknown codes once more
  }
  const bool got_results = !out.results.empty();
  for (const intellivue::PollResultPart& result : out.results) {
    store(result);
    if (stopped_) return;
  }
  if (out.state_changed || got_results) update_link_state(got_results);
  if (stopped_) return;
  arm_timer();
}

void IntelliVueMonitor::update_link_state(bool got_results) {
  using intellivue::SessionEndReason;
  using intellivue::SessionState;
  const SessionState s = session_.state();
  if (s == SessionState::Associated && (got_results || state_ == LinkState::Receiving) &&
      session_.end_reason() == SessionEndReason::None) {
    set_state(LinkState::Receiving, "");
  } else if (session_.end_reason() == SessionEndReason::PollTimeout) {
    set_state(LinkState::Silent, session_.end_detail());
  } else if (session_.end_reason() != SessionEndReason::None) {
    set_state(LinkState::Lost, session_.end_detail());
  } else if (s != SessionState::Idle) {
    set_state(LinkState::Connected, std::string("associating via ") + link_->describe());
  }
}

void IntelliVueMonitor::arm_timer() {
  const auto deadline = session_.next_deadline();
  if (!deadline) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(*deadline);
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || stopped_) return;
    session_.on_tick(intellivue::SessionClock::now(), out_);
    apply(out_);
  });
}

void IntelliVueMonitor::store(const intellivue::PollResultPart& result) {
  intellivue::MappedPoll mapped = mapper_.map(result);
  const WallMillis received = now();
  store::WriteBatch batch;
  batch.readings = std::move(mapped.readings);
  for (Reading& r : batch.readings) {
    r.bed = bed_;
    r.received_at_ms = received;
    // No usable monitor time (clock unset, no anchor): the receive time is the honest one.
    if (r.measured_at_ms <= 0) r.measured_at_ms = received;
  }
  for (UnmappedObservation& u : mapped.unmapped) {
    if (unmapped_seen_.count(u.code) || unmapped_seen_.size() >= kIvMaxUnmappedCodes) {
      ++counters_.unmapped_repeats;
      continue;
    }
    unmapped_seen_.insert(u.code);
    u.bed = bed_;
    u.received_at_ms = received;
    if (u.measured_at_ms <= 0) u.measured_at_ms = received;
    batch.unmapped.push_back(std::move(u));
    ++counters_.unmapped_stored;
  }
  if (batch.readings.empty() && batch.unmapped.empty()) return;
  counters_.readings += batch.readings.size();
  if (sink_) sink_(std::move(batch));
}

}  // namespace vigil::daemon
