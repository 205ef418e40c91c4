#include "daemon/ingest_pipeline.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <utility>
#include <vector>

#include "common/proto_convert.hpp"
#include "hl7/mllp_deframer.hpp"

namespace vigil::daemon {

namespace {
// When the writer's queue is full we hold the batch (and the sender, who waits for its ACK)
// and try again shortly: back-pressure instead of unbounded memory.
constexpr auto kStoreRetryDelay = std::chrono::milliseconds(5);
constexpr std::size_t kRecentPerSource = 64;
constexpr std::size_t kMaxSources = 50000;

// A feed in the wrong set repeats the same problem in every message: the first few are
// logged, then only every power of two (the counts are in the stop line).
bool worth_logging(std::uint64_t nth) { return nth <= 10 || (nth & (nth - 1)) == 0; }
}  // namespace

struct IngestPipeline::Pending {
  // Shared with the store's queue (no copy): read-only from submit until done.
  std::shared_ptr<const store::WriteBatch> batch;
  Stored done;
};

// Commit results on their way from the writer thread to the io thread: one post per group
// commit rather than one per batch, so a commit of 64 batches wakes the io thread once.
struct IngestPipeline::Completions {
  std::mutex mu;
  std::vector<std::pair<std::shared_ptr<Pending>, store::WriteOutcome>> items;  // commit order
  bool posted = false;  // a deliver_completions() is queued on the io thread
};

IngestPipeline::IngestPipeline(boost::asio::io_context& io, const DaemonClock& clock,
                               store::Store& store, BedBoard& board, stream::StreamServer& stream,
                               BedResolver resolver, hl7::MapOptions options)
    : io_(io),
      clock_(clock),
      store_(store),
      board_(board),
      stream_(stream),
      resolver_(std::move(resolver)),
      options_(options),
      retry_timer_(io),
      completions_(std::make_shared<Completions>()) {}

IngestPipeline::~IngestPipeline() { alive_->store(false); }

std::string IngestPipeline::ack_for(const hl7::IngestResult& result, hl7::AckCode code,
                                    std::string_view text, int error_code, bool with_observation_errors) {
  switch (code) {
    case hl7::AckCode::AA: ++stats_.acked_aa; break;
    case hl7::AckCode::AE: ++stats_.acked_ae; break;
    case hl7::AckCode::AR: ++stats_.acked_ar; break;
  }
  std::string id = "VIGIL" + std::to_string(++ack_counter_);
  hl7::AckContext ctx = result.ack;
  // Monitors usually leave MSH-5 empty; the ACK's sender (MSH-3) should still say who we are.
  if (ctx.receiving_application.empty()) ctx.receiving_application = "VIGIL";
  return hl7::mllp_wrap(hl7::build_ack(ctx, code, text, error_code, clock_.wall_ms(), id,
                                       with_observation_errors ? &result.errors : nullptr));
}

void IngestPipeline::handle(std::string_view message, Reply reply) {
  ++stats_.messages;
  auto result = std::make_shared<hl7::IngestResult>(hl7::ingest_message(message, options_));
  note_text_problems(*result);

  // AE for observations that could not be read still goes on: what came is logged first.
  const bool unreadable_only = result->code == hl7::AckCode::AE && result->unreadable > 0;
  if (result->code != hl7::AckCode::AA && !unreadable_only) {
    spdlog::warn("hl7: {} from '{}': {} (control id '{}')", hl7::to_string(result->code),
                 result->identity.source(), result->error_text, result->ack.control_id);
    reply(ack_for(*result, result->code, result->error_text, result->error_code));
    return;
  }

  const std::size_t digest = std::hash<std::string_view>{}(message);
  if (is_duplicate(result->identity.source(), result->ack.control_id, digest)) {
    ++stats_.duplicates;
    spdlog::debug("hl7: duplicate of {} from '{}' acknowledged, not stored again",
                  result->ack.control_id, result->identity.source());
    reply(ack_for(*result, result->code, result->error_text, result->error_code, true));
    return;
  }

  std::string bed = resolver_.resolve(result->identity);
  if (bed.empty()) {
    // Nothing says where the patient is: storing it would put numbers on no chair.
    reply(ack_for(*result, hl7::AckCode::AE,
                  "no bed identity: PV1-3, OBX-18, MSH-3 and MSH-4 are all empty", 101));
    return;
  }
  if (chair_gate_) {
    if (auto refused = chair_gate_(bed)) {
      // Nothing is stored, so nothing is acknowledged: the monitor keeps the message.
      ++stats_.rejected;
      reply(ack_for(*result, hl7::AckCode::AR, *refused, kRateLimitedError));
      return;
    }
  }
  const WallMillis now = clock_.wall_ms();
  store::WriteBatch batch;
  batch.readings = std::move(result->readings);
  batch.unmapped = std::move(result->unmapped);
  for (auto& r : batch.readings) {
    r.bed = bed;
    r.received_at_ms = now;
    // No usable time in the message: the moment we received it is the honest answer.
    if (r.measured_at_ms == 0) r.measured_at_ms = now;
  }
  for (auto& u : batch.unmapped) {
    u.bed = bed;
    u.received_at_ms = now;
    if (u.measured_at_ms == 0) u.measured_at_ms = now;
  }
  board_.touch(bed, result->identity.source(), now);
  if (result->nibp_failed && nibp_failed_) {
    // Vendors put the reason in a row of their own ("NIBP_ERR ... CUFF LEAK").
    std::string detail = "NIBP measurement failed";
    for (const auto& u : batch.unmapped) {
      if (u.code.find("ERR") != std::string::npos && !u.value.empty()) detail += ": " + u.value;
    }
    nibp_failed_(bed, result->identity.source(), detail);
  }
  if (result->unreadable > 0) {
    spdlog::warn("hl7: {} observation(s) from '{}' on {} not readable: {} ({} control id '{}')", result->unreadable,
                 result->identity.source(), bed, result->unreadable_summary, hl7::to_string(result->code),
                 result->ack.control_id);
    if (unreadable_) unreadable_(bed, result->identity.source(), result->unreadable_summary);
  }
  store_and_announce(std::move(batch), [this, result, digest, reply = std::move(reply)](
                                           const store::WriteOutcome& outcome) {
    if (!outcome.ok) {
      reply(ack_for(*result, hl7::AckCode::AR, "receiver could not store the message; resend later", 207));
      return;
    }
    remember(result->identity.source(), result->ack.control_id, digest);
    reply(ack_for(*result, result->code, result->error_text, result->error_code, true));
  });
}

void IngestPipeline::note_text_problems(const hl7::IngestResult& result) {
  if (result.charset_unknown) {
    ++stats_.unknown_charsets;
    if (worth_logging(stats_.unknown_charsets)) {
      spdlog::warn("hl7: message {} from '{}': MSH-18 '{}' is not a character set Vigil reads; "
                   "read as {} ({} such messages)",
                   result.ack.control_id, result.identity.source(), result.declared_charset,
                   hl7::to_string(result.charset), stats_.unknown_charsets);
    }
  }
  if (result.replaced_characters == 0) return;
  stats_.replaced_characters += result.replaced_characters;
  ++stats_.messages_with_replacements;
  if (worth_logging(stats_.messages_with_replacements)) {
    spdlog::warn("hl7: message {} from '{}': {} byte(s) not valid in {} shown as U+FFFD "
                 "({} such messages, {} bytes)",
                 result.ack.control_id, result.identity.source(), result.replaced_characters,
                 hl7::to_string(result.charset), stats_.messages_with_replacements,
                 stats_.replaced_characters);
  }
}

void IngestPipeline::reject(std::string_view message, std::string_view why, int error_code, Reply reply) {
  ++stats_.messages;
  ++stats_.rejected;
  // Parsed only for the ACK's header fields (control id, separators, sender).
  const hl7::IngestResult result = hl7::ingest_message(message, options_);
  reply(ack_for(result, hl7::AckCode::AR, why, error_code));
}

bool IngestPipeline::is_duplicate(const std::string& source, const std::string& control_id,
                                  std::size_t digest) const {
  auto it = recent_.find(source);
  if (it == recent_.end()) return false;
  for (const auto& seen : it->second) {
    if (seen.digest == digest && seen.control_id == control_id) return true;
  }
  return false;
}

void IngestPipeline::remember(const std::string& source, const std::string& control_id,
                              std::size_t digest) {
  if (recent_.size() >= kMaxSources && !recent_.count(source)) recent_.clear();
  auto& seen = recent_[source];
  seen.push_back({control_id, digest});
  if (seen.size() > kRecentPerSource) seen.pop_front();
}

void IngestPipeline::store_and_announce(store::WriteBatch batch, Stored done) {
  if (enricher_) enricher_(batch);
  log_and_announce(std::move(batch), std::move(done));
}

void IngestPipeline::log_and_announce(store::WriteBatch batch, Stored done) {
  if (outbox_) outbox_(batch);
  if (batch.empty()) {
    if (done) done(store::WriteOutcome{});
    return;
  }
  auto pending = std::make_shared<Pending>();
  pending->batch = std::make_shared<const store::WriteBatch>(std::move(batch));
  pending->done = std::move(done);
  if (!waiting_.empty()) {
    waiting_.push_back(std::move(pending));  // keep the order: behind those already waiting
    return;
  }
  submit(std::move(pending));
}

void IngestPipeline::submit(std::shared_ptr<Pending> pending) {
  auto alive = alive_;
  bool queued = store_.submit(pending->batch, [this, alive, pending, completions = completions_,
                                               &io = io_](store::WriteOutcome outcome) {
    {
      std::lock_guard lock(completions->mu);
      completions->items.emplace_back(pending, std::move(outcome));
      if (completions->posted) return;  // the queued delivery will take this one too
      completions->posted = true;
    }
    boost::asio::post(io, [this, alive] {
      if (alive->load()) deliver_completions();
    });
  });
  if (queued) return;
  ++stats_.store_retries;
  waiting_.push_front(std::move(pending));
  if (retry_armed_) return;
  retry_armed_ = true;
  retry_timer_.expires_after(kStoreRetryDelay);
  retry_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || !alive->load()) return;
    retry_armed_ = false;
    drain_waiting();
  });
}

void IngestPipeline::drain_waiting() {
  while (!waiting_.empty() && !retry_armed_) {
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    submit(std::move(next));  // on a full queue it goes back to the front and arms the timer
  }
}

void IngestPipeline::deliver_completions() {
  std::vector<std::pair<std::shared_ptr<Pending>, store::WriteOutcome>> ready;
  {
    std::lock_guard lock(completions_->mu);
    ready.swap(completions_->items);
    completions_->posted = false;
  }
  for (auto& [pending, outcome] : ready) committed(pending, std::move(outcome));
}

void IngestPipeline::committed(const std::shared_ptr<Pending>& pending, store::WriteOutcome outcome) {
  const store::WriteBatch& batch = *pending->batch;
  if (!outcome.ok) {
    ++stats_.store_failures;
    spdlog::error("store: could not commit {} readings, {} alert transitions: {}",
                  batch.readings.size(), batch.alerts.size(), outcome.error);
  }
  // On failure announce() shows what the engine decided, from memory (a nurse must never
  // miss an alarm for a full disk), but not the readings: their sender resends them (AR).
  announce(batch, outcome);
  if (outcome.ok != last_commit_ok_) {
    last_commit_ok_ = outcome.ok;
    if (health_) health_(outcome.ok, outcome.error);
  }
  if (pending->done) pending->done(outcome);
}

void IngestPipeline::announce(const store::WriteBatch& batch, const store::WriteOutcome& outcome) {
  stats_.readings += outcome.ok ? batch.readings.size() : 0;
  stats_.unmapped += outcome.ok ? batch.unmapped.size() : 0;
  stats_.alerts += batch.alerts.size();
  proto::ServerMessage event;
  // Readings the store refused are not shown: their sender resends them (AR).
  const std::size_t readings = outcome.ok ? batch.readings.size() : 0;
  for (std::size_t i = 0; i < readings; ++i) {
    const Reading& r = batch.readings[i];
    std::uint64_t id = i < outcome.reading_ids.size() ? outcome.reading_ids[i] : 0;
    proto::Reading* out = event.mutable_reading();
    *out = to_proto(r, id);
    if (i < batch.reading_context.size()) {
      const store::ReadingContext& c = batch.reading_context[i];
      out->set_verified(c.verified);
      out->set_phase(c.phase);
      if (c.baseline_sys) out->set_baseline_sys_mmhg(*c.baseline_sys);
      if (c.baseline_dia) out->set_baseline_dia_mmhg(*c.baseline_dia);
    } else {
      out->set_verified(r.valid);
    }
    board_.update(*out);
    stream_.publish(event);
  }
  for (std::size_t i = 0; i < batch.alerts.size(); ++i) {
    proto::AlertEvent* out = event.mutable_alert();
    *out = batch.alerts[i];
    out->set_log_id(i < outcome.alert_ids.size() ? outcome.alert_ids[i] : 0);
    stream_.publish(event);
  }
  for (std::size_t i = 0; i < batch.sessions.size(); ++i) {
    proto::SessionEvent* out = event.mutable_session();
    *out = batch.sessions[i];
    out->set_log_id(i < outcome.session_ids.size() ? outcome.session_ids[i] : 0);
    stream_.publish(event);
  }
}

}  // namespace vigil::daemon
