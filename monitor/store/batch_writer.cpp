#include "store/batch_writer.hpp"

#include "common/vocabulary.hpp"

namespace vigil::store {

namespace {

// A vocabulary value as its word; NULL when it is not set.
template <class E>
void bind_word_or_null(sqlite::Statement& s, int index, E value) {
  if (static_cast<int>(value) == 0) {
    s.bind_null(index);
  } else {
    s.bind(index, word(value));
  }
}

}  // namespace

BatchWriter::BatchWriter(sqlite::Connection& db)
    : db_(db),
      sets_(db),
      insert_unmapped_(db,
                       "INSERT INTO unmapped_observations (bed, source, code, value, unit, "
                       "measured_at_ms, received_at_ms, reason) VALUES (?,?,?,?,?,?,?,?)"),
      insert_alert_(db,
                    "INSERT INTO alert_log (alert_id, bed, rule, priority, state, transition, "
                    "kind, value, limit_value, baseline, message, limits, profile, user, phase, "
                    "at_ms, onset_ms, seq, subject, escalated, acknowledged_by, session_id, "
                    "metric, direction) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      insert_session_(db,
                      "INSERT INTO session_log (bed, session_id, event, user, at_ms, phase, "
                      "state) VALUES (?,?,?,?,?,?,?)"),
      insert_config_(db, "INSERT INTO config_log (at_ms, what, detail) VALUES (?,?,?)"),
      insert_escalation_(db,
                         "INSERT INTO escalation_log (alert_id, bed, tier, target, priority, message, at_ms, "
                         "user, no_one_on_call) VALUES (?,?,?,?,?,?,?,?,?)"),
      outbox_(std::make_unique<OutboxWriter>(db)) {}

WriteOutcome BatchWriter::write(const WriteBatch& batch) {
  WriteOutcome out;
  out.reading_ids.reserve(batch.readings.size());
  pending_.clear();
  for (std::size_t i = 0; i < batch.readings.size(); ++i) {
    const ReadingContext* context = i < batch.reading_context.size() ? &batch.reading_context[i] : nullptr;
    add_to_sets(batch.readings[i], context, pending_);
  }
  // Sets hold consecutive readings: this walks them in batch order.
  for (const PendingSet& set : pending_) {
    const std::uint64_t set_id = sets_.insert(set);
    for (const Reading* r : set.readings) {
      out.reading_ids.push_back(reading_id(set_id, set.kinds, r->kind));
    }
  }
  for (const UnmappedObservation& u : batch.unmapped) insert(u);
  out.alert_ids.reserve(batch.alerts.size());
  static const std::string kNoSession;
  for (std::size_t i = 0; i < batch.alerts.size(); ++i) {
    const std::string& session_id =
        i < batch.alert_session_ids.size() ? batch.alert_session_ids[i] : kNoSession;
    out.alert_ids.push_back(insert(batch.alerts[i], session_id));
  }
  out.session_ids.reserve(batch.sessions.size());
  for (const proto::SessionEvent& e : batch.sessions) out.session_ids.push_back(insert(e));
  for (const ConfigRecord& c : batch.config) insert(c);
  for (const proto::EscalationEvent& e : batch.escalations) insert(e);
  for (const OutboxEntry& e : batch.outbox) outbox_->insert(e);
  for (const OutboxUpdate& u : batch.outbox_updates) outbox_->update(u);
  if (batch.outbox_trim) out.outbox_trimmed = outbox_->trim(*batch.outbox_trim);
  return out;
}

// The row id is exact: this connection is the only writer and nothing else runs between a
// step and this call on the writer thread.
std::uint64_t BatchWriter::last_row_id() const {
  return static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_.get()));
}

void BatchWriter::insert(const UnmappedObservation& u) {
  sqlite::Statement& s = insert_unmapped_;
  sqlite::ResetGuard guard(s);
  s.bind(1, u.bed);
  s.bind(2, u.source);
  s.bind(3, u.code);
  s.bind(4, u.value);
  s.bind(5, u.unit);
  s.bind(6, std::int64_t{u.measured_at_ms});
  s.bind(7, std::int64_t{u.received_at_ms});
  s.bind(8, u.reason);
  s.step();
}

std::uint64_t BatchWriter::insert(const proto::AlertEvent& a, const std::string& session_id) {
  sqlite::Statement& s = insert_alert_;
  sqlite::ResetGuard guard(s);
  s.bind(1, a.id());
  s.bind(2, a.bed());
  // The vocabulary is stored as its words: the columns read the same as vigilctl's lines.
  s.bind(3, word(a.rule()));
  s.bind(4, word(a.priority()));
  s.bind(5, word(a.state()));
  s.bind(6, word(a.transition()));
  s.bind(7, word(a.kind()));
  if (a.has_value()) s.bind_number(8, a.value());
  if (a.has_limit()) s.bind_number(9, a.limit());
  if (a.has_baseline()) s.bind_number(10, a.baseline());
  s.bind(11, a.message());
  s.bind(12, a.limits());
  s.bind(13, a.profile());
  s.bind(14, a.user());
  s.bind(15, word(a.phase()));
  s.bind(16, std::int64_t{a.at_ms()});
  s.bind(17, std::int64_t{a.onset_ms()});
  // SQLite integers are signed; the bits round-trip through the cast either way.
  s.bind(18, static_cast<std::int64_t>(a.seq()));
  s.bind(19, a.subject());
  s.bind(20, std::int64_t{a.escalated() ? 1 : 0});
  s.bind(21, a.acknowledged_by());
  s.bind(22, session_id);
  bind_word_or_null(s, 23, a.metric());
  bind_word_or_null(s, 24, a.direction());
  s.step();
  return last_row_id();
}

std::uint64_t BatchWriter::insert(const proto::SessionEvent& e) {
  const proto::SessionInfo& info = e.session();
  sqlite::Statement& s = insert_session_;
  sqlite::ResetGuard guard(s);
  s.bind(1, e.bed().empty() ? info.bed() : e.bed());
  s.bind(2, info.session_id());
  s.bind(3, word(e.event()));
  s.bind(4, e.user());
  s.bind(5, std::int64_t{e.at_ms()});
  s.bind(6, word(info.phase()));
  // The whole state after the event: what the daemon restores after a restart. The patient
  // label lives only in here, not in a column of its own.
  s.bind_blob(7, info.SerializeAsString());
  s.step();
  return last_row_id();
}

void BatchWriter::insert(const ConfigRecord& c) {
  sqlite::Statement& s = insert_config_;
  sqlite::ResetGuard guard(s);
  s.bind(1, std::int64_t{c.at_ms});
  s.bind(2, c.what);
  s.bind(3, c.detail);
  s.step();
}

void BatchWriter::insert(const proto::EscalationEvent& e) {
  sqlite::Statement& s = insert_escalation_;
  sqlite::ResetGuard guard(s);
  s.bind(1, e.alert_id());
  s.bind(2, e.bed());
  s.bind(3, std::int64_t{e.tier()});
  s.bind(4, e.target());
  s.bind(5, word(e.priority()));
  s.bind(6, e.message());
  s.bind(7, std::int64_t{e.at_ms()});
  s.bind(8, e.user());
  s.bind(9, std::int64_t{e.no_one_on_call() ? 1 : 0});
  s.step();
}

}  // namespace vigil::store
