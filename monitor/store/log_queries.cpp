#include "store/log_queries.hpp"

#include "common/vocabulary.hpp"

#include "store/read_connection.hpp"
#include "store/row_readers.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

namespace {

bool has_logs(const ReadConnection& c) { return c.version >= kFirstLogSchemaVersion; }

}  // namespace

void for_each_alert(const std::string& path, const AlertFilter& filter,
                    const std::function<void(const proto::AlertEvent&)>& fn) {
  ReadConnection c = open_for_reading(path);
  if (!has_logs(c)) return;
  try {
    std::string sql = "SELECT " + alert_columns(c.version) + " FROM alert_log WHERE 1";
    if (filter.bed) sql += " AND bed = ?1";
    if (filter.since_ms) sql += " AND at_ms >= ?2";
    sql += " ORDER BY id";
    sqlite::Statement s(*c.db, sql);
    if (filter.bed) s.bind(1, *filter.bed);
    if (filter.since_ms) s.bind(2, std::int64_t{*filter.since_ms});
    proto::AlertEvent event;
    while (s.step()) {
      read_alert_row(s, event);
      fn(event);
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

void for_each_session_event(const std::string& path, const SessionFilter& filter,
                            const std::function<void(const proto::SessionEvent&)>& fn) {
  ReadConnection c = open_for_reading(path);
  if (!has_logs(c)) return;
  try {
    std::string sql = std::string("SELECT ") + kSessionColumns + " FROM session_log WHERE 1";
    if (filter.bed) sql += " AND bed = ?1";
    if (filter.session_id) sql += " AND session_id = ?2";
    sql += " ORDER BY id";
    sqlite::Statement s(*c.db, sql);
    if (filter.bed) s.bind(1, *filter.bed);
    if (filter.session_id) s.bind(2, *filter.session_id);
    proto::SessionEvent event;
    while (s.step()) {
      read_session_row(s, event);
      fn(event);
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

void for_each_config_record(const std::string& path,
                            const std::function<void(std::uint64_t, const ConfigRecord&)>& fn) {
  ReadConnection c = open_for_reading(path);
  if (!has_logs(c)) return;
  try {
    sqlite::Statement s(*c.db, "SELECT id, at_ms, what, detail FROM config_log ORDER BY id");
    ConfigRecord record;
    while (s.step()) {
      record.at_ms = s.column_int(1);
      record.what = s.column_text(2);
      record.detail = s.column_text(3);
      fn(static_cast<std::uint64_t>(s.column_int(0)), record);
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

void for_each_escalation(const std::string& path,
                         const std::function<void(const proto::EscalationEvent&)>& fn) {
  ReadConnection c = open_for_reading(path);
  if (c.version < 9) return;
  try {
    sqlite::Statement s(*c.db,
                        "SELECT alert_id, bed, tier, target, priority, message, at_ms, user, no_one_on_call "
                        "FROM escalation_log ORDER BY id");
    proto::EscalationEvent e;
    while (s.step()) {
      e.Clear();
      e.set_alert_id(s.column_text(0));
      e.set_bed(s.column_text(1));
      e.set_tier(static_cast<std::uint32_t>(s.column_int(2)));
      e.set_target(s.column_text(3));
      if (auto priority = from_word<proto::Priority>(s.column_text(4))) e.set_priority(*priority);
      e.set_message(s.column_text(5));
      e.set_at_ms(s.column_int(6));
      e.set_user(s.column_text(7));
      e.set_no_one_on_call(s.column_int(8) != 0);
      fn(e);
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

std::vector<proto::SessionInfo> open_sessions_in(const std::string& path) {
  ReadConnection c = open_for_reading(path);
  std::vector<proto::SessionInfo> out;
  if (!has_logs(c)) return out;
  try {
    // The last row of each bed says where its latest session stands; MAX(id) per bed walks
    // the (bed, at_ms) index, which carries the row id.
    sqlite::Statement s(*c.db, std::string("SELECT ") + kSessionColumns +
                                   " FROM session_log WHERE id IN "
                                   "(SELECT MAX(id) FROM session_log GROUP BY bed) "
                                   "AND phase <> ?1 ORDER BY bed");
    s.bind(1, word(proto::closed));
    proto::SessionEvent event;
    while (s.step()) {
      read_session_row(s, event);
      out.push_back(event.session());
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
  return out;
}

std::uint64_t alert_log_rows_in(const std::string& path) {
  ReadConnection c = open_for_reading(path);
  if (!has_logs(c)) return 0;
  try {
    // MAX of the rowid is one b-tree seek; COUNT(*) would read the whole table.
    return static_cast<std::uint64_t>(c.db->query_int("SELECT COALESCE(MAX(id), 0) FROM alert_log"));
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

std::vector<proto::AlertEvent> unresolved_alerts_in(const std::string& path) {
  ReadConnection c = open_for_reading(path);
  std::vector<proto::AlertEvent> out;
  if (!has_logs(c)) return out;
  try {
    sqlite::Statement s(*c.db, "SELECT " + alert_columns(c.version) +
                                   " FROM alert_log WHERE id IN "
                                   "(SELECT MAX(id) FROM alert_log GROUP BY alert_id) "
                                   "AND state <> ?1 ORDER BY id");
    s.bind(1, word(proto::RESOLVED));
    while (s.step()) {
      read_alert_row(s, out.emplace_back());
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
  return out;
}

}  // namespace vigil::store
