#include "sim/load_runner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/chair_player.hpp"

namespace vigil::sim {

using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {
// Load mode stamps messages with the real wall clock: it is an edge, not a model.
WallMillis wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

std::string format_summary(const LoadSummary& s) {
  const auto& t = s.totals;
  const std::uint64_t errors = t.acked_ae + t.acked_ar + t.timeouts + t.connect_failures + t.dropped;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "load: t=%.1fs links=%d/%d built=%llu sent=%llu AA=%llu AE=%llu AR=%llu timeouts=%llu "
                "retries=%llu reconnects=%llu connect_failures=%llu dropped=%llu errors=%llu queued=%zu "
                "ack p50=%.2fms p99=%.2fms",
                s.elapsed_s, s.connected, s.links, static_cast<unsigned long long>(s.built),
                static_cast<unsigned long long>(t.sent), static_cast<unsigned long long>(t.acked_aa),
                static_cast<unsigned long long>(t.acked_ae), static_cast<unsigned long long>(t.acked_ar),
                static_cast<unsigned long long>(t.timeouts), static_cast<unsigned long long>(t.retries),
                static_cast<unsigned long long>(t.reconnects),
                static_cast<unsigned long long>(t.connect_failures),
                static_cast<unsigned long long>(t.dropped), static_cast<unsigned long long>(errors), s.queued,
                static_cast<double>(s.latency.percentile(50).count()) / 1000.0,
                static_cast<double>(s.latency.percentile(99).count()) / 1000.0);
  return buf;
}

LoadRunner::LoadRunner(boost::asio::io_context& io, LoadOptions options)
    : io_(io), opt_(std::move(options)), report_timer_(io), end_timer_(io), rng_(opt_.sender.seed) {
  opt_.beds = std::max(opt_.beds, 1);
  opt_.connections_per_bed = std::max(opt_.connections_per_bed, 1);
  if (!(opt_.rate_hz > 0)) opt_.rate_hz = 1;
  period_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / opt_.rate_hz));
}

void LoadRunner::start(std::function<void()> on_done) {
  on_done_ = std::move(on_done);
  started_ = Clock::now();
  auto self = shared_from_this();
  beds_.resize(static_cast<std::size_t>(opt_.beds));
  std::uniform_real_distribution<double> phase(0.0, 1.0);
  for (std::size_t i = 0; i < beds_.size(); ++i) {
    Bed& bed = beds_[i];
    char name[32];
    std::snprintf(name, sizeof name, "%s%04zu", opt_.bed_prefix.c_str(), i + 1);
    bed.name = name;
    bed.equipment = equipment_id_for(bed.name);
    bed.nibp_every = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(60 * opt_.rate_hz)));
    bed.nibp_phase = static_cast<std::uint64_t>(phase(rng_) * static_cast<double>(bed.nibp_every));
    for (int k = 0; k < opt_.connections_per_bed; ++k) {
      SenderOptions so = opt_.sender;
      so.name = bed.name + "/" + std::to_string(k);
      so.seed = opt_.sender.seed * 1000003ULL + i * 16 + static_cast<std::uint64_t>(k);
      auto link = std::make_shared<MllpSender>(io_, so);
      std::weak_ptr<LoadRunner> weak = self;  // links must not keep the runner alive
      link->set_ack_hook([weak](const std::string&, Clock::duration d) {
        if (auto runner = weak.lock()) runner->latency_.add(d);
      });
      link->start();
      bed.links.push_back(std::move(link));
    }
    bed.timer = std::make_unique<boost::asio::steady_timer>(io_);
    // Spread the beds over one period so the receiver sees a steady stream, not bursts.
    arm(bed, started_ + std::chrono::duration_cast<Clock::duration>(period_ * phase(rng_)));
  }
  report_timer_.expires_after(opt_.report_every);
  report_timer_.async_wait([this, self](error_code ec) {
    if (!ec) report();
  });
  if (opt_.duration_s > 0) {
    end_timer_.expires_after(
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt_.duration_s)));
    end_timer_.async_wait([this, self](error_code ec) {
      if (!ec) stop();
    });
  }
}

void LoadRunner::arm(Bed& bed, Clock::time_point at) {
  auto self = shared_from_this();
  bed.timer->expires_at(at);
  bed.timer->async_wait([this, self, &bed](error_code ec) {
    if (ec || stopping_) return;
    tick(bed);
    arm(bed, bed.timer->expiry() + period_);
  });
}

void LoadRunner::tick(Bed& bed) {
  std::normal_distribution<double> step(0.0, 0.5);
  bed.hr = std::clamp(bed.hr + step(rng_), 55.0, 100.0);
  bed.spo2 = std::clamp(bed.spo2 + step(rng_) * 0.3, 94.0, 100.0);
  const auto wall = wall_clock_ms();
  OruContent c;
  c.numerics = NumericsObservation{static_cast<int>(std::lround(bed.hr)),
                                   static_cast<int>(std::lround(bed.spo2)), wall};
  if ((bed.ticks + bed.nibp_phase) % bed.nibp_every == 0) {
    bed.sys = std::clamp(bed.sys + step(rng_) * 8, 100.0, 170.0);
    bed.dia = std::clamp(bed.dia + step(rng_) * 5, 60.0, 100.0);
    NibpObservation n;
    n.sys_mmhg = static_cast<int>(std::lround(bed.sys));
    n.dia_mmhg = static_cast<int>(std::lround(bed.dia));
    n.mean_mmhg = static_cast<int>(std::lround(bed.dia + (bed.sys - bed.dia) / 3));
    n.completed_at_ms = wall;
    c.nibp = n;
  }
  const std::string id = opt_.control_prefix + std::to_string(++seq_);
  auto& link = bed.links[bed.ticks % bed.links.size()];
  ++bed.ticks;
  ++built_;
  link->enqueue(build_oru(c, {bed.name, bed.equipment}, opt_.style, id, wall), id);
}

LoadSummary LoadRunner::summary() const { return finished_ ? final_ : live_summary(); }

LoadSummary LoadRunner::live_summary() const {
  LoadSummary s;
  s.elapsed_s = std::chrono::duration<double>(Clock::now() - started_).count();
  s.built = built_;
  s.latency = latency_;
  for (const auto& bed : beds_) {
    for (const auto& l : bed.links) {
      ++s.links;
      if (l->connected()) ++s.connected;
      s.queued += l->queued();
      const auto& c = l->counters();
      auto& t = s.totals;
      t.sent += c.sent;
      t.acked_aa += c.acked_aa;
      t.acked_ae += c.acked_ae;
      t.acked_ar += c.acked_ar;
      t.retries += c.retries;
      t.timeouts += c.timeouts;
      t.connects += c.connects;
      t.reconnects += c.reconnects;
      t.connect_failures += c.connect_failures;
      t.dropped += c.dropped;
      t.rejected += c.rejected;
      t.faults_injected += c.faults_injected;
      t.stray_acks += c.stray_acks;
    }
  }
  return s;
}

void LoadRunner::report() {
  if (finished_) return;
  if (line_hook_) line_hook_(format_summary(summary()));
  auto self = shared_from_this();
  report_timer_.expires_after(opt_.report_every);
  report_timer_.async_wait([this, self](error_code ec) {
    if (!ec) report();
  });
}

void LoadRunner::stop() {
  if (stopping_) return;
  stopping_ = true;
  end_timer_.cancel();
  for (auto& bed : beds_) bed.timer->cancel();
  finish(Clock::now() + opt_.drain_timeout);
}

void LoadRunner::finish(Clock::time_point deadline) {
  bool idle = true;
  for (const auto& bed : beds_)
    for (const auto& l : bed.links) idle = idle && l->idle();
  if (!idle && Clock::now() < deadline) {
    auto self = shared_from_this();
    end_timer_.expires_after(std::chrono::milliseconds(50));
    end_timer_.async_wait([this, self, deadline](error_code ec) {
      if (!ec) finish(deadline);
    });
    return;
  }
  final_ = live_summary();
  finished_ = true;
  report_timer_.cancel();
  for (auto& bed : beds_)
    for (auto& l : bed.links) l->stop();
  if (on_done_) on_done_();
}

}  // namespace vigil::sim
