#include "daemon/hl7_receiver.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <utility>

#include "alerts/alert_engine.hpp"
#include "daemon/chair_name.hpp"
#include "hl7/mllp_deframer.hpp"

namespace vigil::daemon {

namespace {
constexpr std::size_t kMaxSources = 50000;

// A feed in the wrong set repeats the same problem in every message: the first few are
// logged, then only every power of two (the counts are in the stop line).
bool worth_logging(std::uint64_t nth) { return nth <= 10 || (nth & (nth - 1)) == 0; }
}  // namespace

Hl7Receiver::Hl7Receiver(const DaemonClock& clock, Journal& journal, AlertService& alerts, BedBoard& board,
                         ChairBounds& chairs, BedResolver resolver, hl7::MapOptions options)
    : clock_(clock),
      journal_(journal),
      alerts_(alerts),
      board_(board),
      chairs_(chairs),
      resolver_(std::move(resolver)),
      options_(std::move(options)) {}

std::string Hl7Receiver::ack_for(const hl7::IngestResult& result, hl7::AckCode code, std::string_view text,
                                 int error_code, bool with_observation_errors) {
  int outcome = 0;  // the metrics' code label: 0 AA, 1 AE, 2 AR (commit codes as their outcome)
  switch (code) {
    case hl7::AckCode::AA:
    case hl7::AckCode::CA: ++stats_.acked_aa; break;
    case hl7::AckCode::AE:
    case hl7::AckCode::CE:
      ++stats_.acked_ae;
      outcome = 1;
      break;
    case hl7::AckCode::AR:
    case hl7::AckCode::CR:
      ++stats_.acked_ar;
      outcome = 2;
      break;
  }
  tally_.count(result.identity.source(), outcome);
  hl7::AckContext ctx = result.ack;
  // Monitors usually leave MSH-5 empty; the ACK's sender (MSH-3) should still say who we are.
  if (ctx.receiving_application.empty()) ctx.receiving_application = "VIGIL";
  const auto* errors = with_observation_errors ? &result.errors : nullptr;
  // Enhanced mode (MSH-15/16): the commit ACK first, then the application ACK, each only
  // if the sender asked for it; every one is sent after the commit, as an AA is.
  const hl7::AckPlan plan = hl7::plan_acks(ctx, code);
  std::string framed;
  if (plan.commit) {
    framed += hl7::mllp_wrap(hl7::build_ack(ctx, hl7::commit_code(code), text, error_code, clock_.wall_ms(),
                                            "VIGIL" + std::to_string(++ack_counter_), errors));
  }
  if (plan.application) {
    framed += hl7::mllp_wrap(hl7::build_ack(ctx, code, text, error_code, clock_.wall_ms(),
                                            "VIGIL" + std::to_string(++ack_counter_), errors));
  }
  return framed;  // empty: the sender asked for no acknowledgment (NE/NE)
}

void Hl7Receiver::handle(std::string_view message, Reply reply) {
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

  const SeenMessage seen{std::hash<std::string_view>{}(result->ack.control_id),
                         std::hash<std::string_view>{}(message)};
  if (is_duplicate(result->identity.source(), seen)) {
    ++stats_.duplicates;
    spdlog::debug("hl7: duplicate of {} from '{}' acknowledged, not stored again", result->ack.control_id,
                  result->identity.source());
    reply(ack_for(*result, result->code, result->error_text, result->error_code, true));
    return;
  }

  std::string bed = resolver_.resolve(result->identity);
  if (bed.empty()) {
    // Nothing says where the patient is: storing it would put numbers on no chair.
    reply(ack_for(*result, hl7::AckCode::AE, "no bed identity: PV1-3, OBX-18, MSH-3 and MSH-4 are all empty",
                  101));
    return;
  }
  if (auto problem = chair_name_problem(bed)) {
    // Too long for the alert engine (shown, never alarmed on), or bytes that would rewrite
    // a terminal, a CSV row or a log line. Nothing is stored; resending the same name cannot
    // help, so AE, not AR.
    ++stats_.rejected;
    spdlog::warn("hl7: refused a message from '{}': {}", result->identity.source().substr(0, 64), *problem);
    reply(ack_for(*result, hl7::AckCode::AE, *problem + "; message not stored", 102));
    return;
  }
  if (auto refused = chairs_.refuse(bed)) {
    // Nothing is stored, so nothing is acknowledged: the monitor keeps the message.
    ++stats_.rejected;
    reply(ack_for(*result, hl7::AckCode::AR, *refused, kRateLimitedError));
    return;
  }
  const WallMillis now = clock_.wall_ms();
  store::WriteBatch batch = batch_for(*result, bed, now);
  board_.touch(bed, result->identity.source(), now);
  report_device_trouble(*result, batch, bed);
  alerts_.enrich(batch);
  journal_.write(std::move(batch), [this, result, seen,
                                    reply = std::move(reply)](const store::WriteOutcome& outcome) {
    if (!outcome.ok) {
      reply(ack_for(*result, hl7::AckCode::AR, "receiver could not store the message; resend later", 207));
      return;
    }
    remember(result->identity.source(), seen);
    reply(ack_for(*result, result->code, result->error_text, result->error_code, true));
  });
}

store::WriteBatch Hl7Receiver::batch_for(hl7::IngestResult& result, const std::string& bed,
                                         WallMillis now) const {
  store::WriteBatch batch;
  batch.readings = std::move(result.readings);
  batch.unmapped = std::move(result.unmapped);
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
  return batch;
}

void Hl7Receiver::report_device_trouble(const hl7::IngestResult& result, const store::WriteBatch& batch,
                                        const std::string& bed) {
  if (result.nibp_failed) {
    // Vendors put the reason in a row of their own ("NIBP_ERR ... CUFF LEAK").
    std::string detail = "NIBP measurement failed";
    for (const auto& u : batch.unmapped) {
      if (u.code.find("ERR") != std::string::npos && !u.value.empty()) detail += ": " + u.value;
    }
    alerts_.on_device_conditions(bed, result.identity.source(), {"NIBP_FAILED"}, false, detail);
  }
  if (result.unreadable > 0) {
    spdlog::warn("hl7: {} observation(s) from '{}' on {} not readable: {} ({} control id '{}')",
                 result.unreadable, result.identity.source(), bed, result.unreadable_summary,
                 hl7::to_string(result.code), result.ack.control_id);
    alerts_.on_unreadable(bed, result.identity.source(), result.unreadable_summary);
  }
}

void Hl7Receiver::note_text_problems(const hl7::IngestResult& result) {
  if (result.charset_unknown) {
    ++stats_.unknown_charsets;
    if (worth_logging(stats_.unknown_charsets)) {
      spdlog::warn(
          "hl7: message {} from '{}': MSH-18 '{}' is not a character set Vigil reads; "
          "read as {} ({} such messages)",
          result.ack.control_id, result.identity.source(), result.declared_charset,
          hl7::to_string(result.charset), stats_.unknown_charsets);
    }
  }
  if (result.replaced_characters == 0) return;
  stats_.replaced_characters += result.replaced_characters;
  ++stats_.messages_with_replacements;
  if (worth_logging(stats_.messages_with_replacements)) {
    spdlog::warn(
        "hl7: message {} from '{}': {} byte(s) not valid in {} shown as U+FFFD "
        "({} such messages, {} bytes)",
        result.ack.control_id, result.identity.source(), result.replaced_characters,
        hl7::to_string(result.charset), stats_.messages_with_replacements, stats_.replaced_characters);
  }
}

void Hl7Receiver::reject(std::string_view message, std::string_view why, int error_code, Reply reply) {
  ++stats_.messages;
  ++stats_.rejected;
  // Parsed only for the ACK's header fields (control id, separators, sender).
  const hl7::IngestResult result = hl7::ingest_message(message, options_);
  reply(ack_for(result, hl7::AckCode::AR, why, error_code));
}

void Hl7Receiver::reject_oversize(std::string_view head, std::size_t frame_bytes, std::size_t limit,
                                  Reply reply) {
  // MSH alone: what follows it in the head is a piece of a segment cut anywhere.
  const std::size_t first = head.find_first_not_of("\r\n");
  const std::size_t msh_end = first == std::string_view::npos ? first : head.find_first_of("\r\n", first);
  reject(head.substr(0, msh_end),
         "message of " + std::to_string(frame_bytes) + " bytes is over the limit of " +
             std::to_string(limit) + "; not stored",
         kOversizeError, std::move(reply));
}

bool Hl7Receiver::is_duplicate(const std::string& source, const SeenMessage& message) const {
  auto it = recent_.find(source);
  if (it == recent_.end()) return false;
  const RecentMessages& r = it->second;
  const std::size_t filled = std::min(r.count, kRecentPerSource);
  for (std::size_t i = 0; i < filled; ++i) {
    if (r.seen[i].digest == message.digest && r.seen[i].id_hash == message.id_hash) return true;
  }
  return false;
}

void Hl7Receiver::remember(const std::string& source, const SeenMessage& message) {
  if (recent_.size() >= kMaxSources && !recent_.count(source)) recent_.clear();
  RecentMessages& r = recent_[source];
  r.seen[r.count % kRecentPerSource] = message;
  ++r.count;
}

}  // namespace vigil::daemon
