#include "daemon/ingest_pipeline.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/proto_convert.hpp"
#include "common/wall_time.hpp"
#include "hl7/mllp_deframer.hpp"

namespace vigil::daemon {

namespace {
// When the writer's queue is full we hold the message (and its sender, who waits for the
// ACK) and try again shortly: back-pressure instead of unbounded memory.
constexpr auto kStoreRetryDelay = std::chrono::milliseconds(5);
}  // namespace

struct IngestPipeline::Pending {
  store::WriteBatch batch;
  Stored done;
  std::unique_ptr<boost::asio::steady_timer> retry_timer;
};

IngestPipeline::IngestPipeline(boost::asio::io_context& io, store::Store& store, BedBoard& board,
                               stream::StreamServer& stream, BedResolver resolver,
                               hl7::MapOptions options)
    : io_(io),
      store_(store),
      board_(board),
      stream_(stream),
      resolver_(std::move(resolver)),
      options_(options) {}

IngestPipeline::~IngestPipeline() { alive_->store(false); }

std::string IngestPipeline::ack_for(const hl7::IngestResult& result, hl7::AckCode code,
                                    std::string_view text, int error_code) {
  switch (code) {
    case hl7::AckCode::AA: ++stats_.acked_aa; break;
    case hl7::AckCode::AE: ++stats_.acked_ae; break;
    case hl7::AckCode::AR: ++stats_.acked_ar; break;
  }
  std::string id = "VIGIL" + std::to_string(++ack_counter_);
  hl7::AckContext ctx = result.ack;
  // Monitors usually leave MSH-5 empty; the ACK's sender (MSH-3) should still say who we are.
  if (ctx.receiving_application.empty()) ctx.receiving_application = "VIGIL";
  return hl7::mllp_wrap(hl7::build_ack(ctx, code, text, error_code, wall_now_ms(), id));
}

void IngestPipeline::handle(std::string_view message, Reply reply) {
  ++stats_.messages;
  auto result = std::make_shared<hl7::IngestResult>(hl7::ingest_message(message, options_));

  if (result->code != hl7::AckCode::AA) {
    spdlog::warn("hl7: {} from '{}': {} (control id '{}')", hl7::to_string(result->code),
                 result->identity.source(), result->error_text, result->ack.control_id);
    reply(ack_for(*result, result->code, result->error_text, result->error_code));
    return;
  }

  std::string bed = resolver_.resolve(result->identity);
  if (bed.empty()) {
    // Nothing says where the patient is: storing it would put numbers on no chair.
    reply(ack_for(*result, hl7::AckCode::AE,
                  "no bed identity: PV1-3, OBX-18, MSH-3 and MSH-4 are all empty", 101));
    return;
  }
  const WallMillis now = wall_now_ms();
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
  store_and_announce(std::move(batch), [this, result, reply = std::move(reply)](const store::WriteOutcome& outcome) {
    if (!outcome.ok) {
      reply(ack_for(*result, hl7::AckCode::AR, "receiver could not store the message; resend later", 207));
      return;
    }
    reply(ack_for(*result, hl7::AckCode::AA, "", 0));
  });
}

void IngestPipeline::store_and_announce(store::WriteBatch batch, Stored done) {
  auto pending = std::make_shared<Pending>();
  pending->batch = std::move(batch);
  pending->done = std::move(done);
  submit(std::move(pending));
}

void IngestPipeline::submit(std::shared_ptr<Pending> pending) {
  auto alive = alive_;
  // The batch is copied into the queue: we still need it to announce after the commit.
  bool queued = store_.submit(pending->batch, [this, alive, pending, &io = io_](store::WriteOutcome outcome) {
    boost::asio::post(io, [this, alive, pending, outcome = std::move(outcome)]() mutable {
      if (!alive->load()) return;
      committed(pending, std::move(outcome));
    });
  });
  if (queued) return;
  ++stats_.store_retries;
  if (!pending->retry_timer) pending->retry_timer = std::make_unique<boost::asio::steady_timer>(io_);
  pending->retry_timer->expires_after(kStoreRetryDelay);
  pending->retry_timer->async_wait([this, alive, pending](const boost::system::error_code& ec) {
    if (ec || !alive->load()) return;
    submit(pending);
  });
}

void IngestPipeline::committed(const std::shared_ptr<Pending>& pending, store::WriteOutcome outcome) {
  if (!outcome.ok) {
    ++stats_.store_failures;
    spdlog::error("store: could not commit {} readings: {}", pending->batch.readings.size(), outcome.error);
  } else {
    announce(pending->batch, outcome);
  }
  if (pending->done) pending->done(outcome);
}

void IngestPipeline::announce(const store::WriteBatch& batch, const store::WriteOutcome& outcome) {
  stats_.readings += batch.readings.size();
  stats_.unmapped += batch.unmapped.size();
  for (std::size_t i = 0; i < batch.readings.size(); ++i) {
    const Reading& r = batch.readings[i];
    std::uint64_t id = i < outcome.reading_ids.size() ? outcome.reading_ids[i] : 0;
    board_.update(r, id);
    proto::ServerMessage event;
    *event.mutable_reading() = to_proto(r, id);
    stream_.publish(event);
  }
}

}  // namespace vigil::daemon
