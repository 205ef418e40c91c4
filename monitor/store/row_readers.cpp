#include "store/row_readers.hpp"

#include <limits>

#include "common/vocabulary.hpp"
#include "legacy_records.pb.h"
#include "store/schema.hpp"

namespace vigil::store {

namespace {

std::optional<double> optional_double(const sqlite::Statement& s, int column) {
  if (s.column_is_null(column)) return std::nullopt;
  return s.column_double(column);
}

// A word as its value; "not set" for "" and words this build does not know.
template <class E>
E word_or_unset(const std::string& text) {
  return from_word<E>(text).value_or(static_cast<E>(0));
}

// A column's word as its value ("not set" for NULL too).
template <class E>
E value_of(const sqlite::Statement& s, int column) {
  return word_or_unset<E>(s.column_text(column));
}

// A session state logged before the vocabulary became enums carries its phase, baseline
// source and action names as text under numbers SessionInfo now reserves: read them from
// the same bytes and fill in the values (a newer blob has none of them, so nothing changes).
void upgrade_text_era(const std::string& blob, proto::SessionInfo& info) {
  proto::LegacySessionText old;
  if (!old.ParseFromString(blob)) return;
  if (info.phase() == proto::PHASE_UNSET) info.set_phase(word_or_unset<proto::Phase>(old.phase()));
  if (old.has_baseline() && info.baseline().source() == proto::BASELINE_SOURCE_UNSET)
    info.mutable_baseline()->set_source(word_or_unset<proto::BaselineSource>(old.baseline().source()));
  for (int i = 0; i < old.actions_size() && i < info.actions_size(); ++i) {
    proto::SessionActionInfo& a = *info.mutable_actions(i);
    if (a.action() == proto::SESSION_ACTION_UNSET)
      a.set_action(word_or_unset<proto::SessionActionKind>(old.actions(i).action()));
  }
}

}  // namespace

std::string reading_columns(std::int64_t version) {
  std::string columns = "id, bed, kind, value, measured_at_ms, received_at_ms, source, valid, status, ";
  columns += version >= 2 ? "verified, phase, baseline_sys, baseline_dia, session_id"
                          : "NULL, NULL, NULL, NULL, NULL";
  return columns;
}

bool read_reading_row(const sqlite::Statement& s, StoredReading& out) {
  auto kind = vital_kind_from_string(s.column_text(2));
  if (!kind) return false;
  out.id = static_cast<std::uint64_t>(s.column_int(0));
  Reading& r = out.reading;
  r.bed = s.column_text(1);
  r.kind = *kind;
  r.value = s.column_is_null(3) ? std::numeric_limits<double>::quiet_NaN() : s.column_double(3);
  r.measured_at_ms = s.column_int(4);
  r.received_at_ms = s.column_int(5);
  r.source = s.column_text(6);
  r.valid = s.column_int(7) != 0;
  r.status = s.column_text(8);
  // `verified` is written whenever a context is, so its NULL means "no context".
  if (s.column_is_null(9)) {
    out.context.reset();
  } else {
    ReadingContext c;
    c.verified = s.column_int(9) != 0;
    c.phase = value_of<proto::Phase>(s, 10);
    c.baseline_sys = optional_double(s, 11);
    c.baseline_dia = optional_double(s, 12);
    c.session_id = s.column_text(13);
    out.context = std::move(c);
  }
  return true;
}

std::string alert_columns(std::int64_t version) {
  std::string columns =
      "id, alert_id, bed, rule, priority, state, transition, kind, value, limit_value, baseline, "
      "message, limits, profile, user, phase, at_ms, onset_ms, seq, subject, escalated, "
      "acknowledged_by, ";
  columns += version >= kFirstAlertMetricVersion ? "metric, direction" : "NULL, NULL";
  return columns;
}

void read_alert_row(const sqlite::Statement& s, proto::AlertEvent& out) {
  out.Clear();
  out.set_log_id(static_cast<std::uint64_t>(s.column_int(0)));
  out.set_id(s.column_text(1));
  out.set_bed(s.column_text(2));
  out.set_rule(value_of<proto::AlertRule>(s, 3));
  out.set_priority(value_of<proto::Priority>(s, 4));
  out.set_state(value_of<proto::AlertState>(s, 5));
  out.set_transition(value_of<proto::Transition>(s, 6));
  out.set_kind(value_of<proto::AlertKind>(s, 7));
  if (!s.column_is_null(8)) out.set_value(s.column_double(8));
  if (!s.column_is_null(9)) out.set_limit(s.column_double(9));
  if (!s.column_is_null(10)) out.set_baseline(s.column_double(10));
  out.set_message(s.column_text(11));
  out.set_limits(s.column_text(12));
  out.set_profile(s.column_text(13));
  out.set_user(s.column_text(14));
  out.set_phase(value_of<proto::Phase>(s, 15));
  out.set_at_ms(s.column_int(16));
  out.set_onset_ms(s.column_int(17));
  out.set_seq(static_cast<std::uint64_t>(s.column_int(18)));
  out.set_subject(s.column_text(19));
  out.set_escalated(s.column_int(20) != 0);
  out.set_acknowledged_by(s.column_text(21));
  out.set_metric(value_of<proto::VitalKind>(s, 22));
  out.set_direction(value_of<proto::Direction>(s, 23));
}

const char* const kSessionColumns = "id, bed, session_id, event, user, at_ms, phase, state";

void read_session_row(const sqlite::Statement& s, proto::SessionEvent& out) {
  out.Clear();
  out.set_log_id(static_cast<std::uint64_t>(s.column_int(0)));
  out.set_bed(s.column_text(1));
  out.set_event(value_of<proto::SessionEventKind>(s, 3));
  out.set_user(s.column_text(4));
  out.set_at_ms(s.column_int(5));
  proto::SessionInfo* info = out.mutable_session();
  const std::string blob = s.column_blob(7);
  if (info->ParseFromString(blob)) {
    upgrade_text_era(blob, *info);
  } else {
    // A damaged blob must not hide the row: keep what the plain columns say.
    info->Clear();
    info->set_bed(out.bed());
    info->set_session_id(s.column_text(2));
    info->set_phase(value_of<proto::Phase>(s, 6));
  }
}

}  // namespace vigil::store
