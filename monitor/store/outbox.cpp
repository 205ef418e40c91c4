#include "store/outbox.hpp"

#include "store/read_connection.hpp"
#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

namespace {

// AUTOINCREMENT: sqlite_sequence remembers the highest id ever used even after trims
// delete every row, so a restarted daemon never reuses a control id (MSH-10) that the
// engine has already seen. Not append-only, unlike the logs: this is a work queue.
constexpr const char* kCreateOutbox = R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  control_id TEXT NOT NULL,
  bed TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  message BLOB NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  updated_ms INTEGER
);
CREATE INDEX outbox_by_state ON outbox (state, id);
CREATE INDEX outbox_by_alert ON outbox (alert_id) WHERE alert_id != '';
)sql";

constexpr int kFirstOutboxVersion = 3;

std::uint64_t changes(sqlite::Connection& db) {
  return static_cast<std::uint64_t>(sqlite3_changes(db.get()));
}

template <typename Fn>
auto with_reader(const std::string& path, Fn fn) {
  ReadConnection c = open_for_reading(path);
  try {
    return fn(c);
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

OutboxRow read_row(const sqlite::Statement& s) {
  OutboxRow r;
  r.id = static_cast<std::uint64_t>(s.column_int(0));
  r.created_ms = s.column_int(1);
  r.kind = s.column_text(2);
  r.control_id = s.column_text(3);
  r.bed = s.column_text(4);
  r.alert_id = s.column_text(5);
  r.phase = s.column_text(6);
  r.message = s.column_blob(7);
  r.state = s.column_text(8);
  r.attempts = static_cast<std::uint32_t>(s.column_int(9));
  r.last_error = s.column_text(10);
  return r;
}

}  // namespace

void create_outbox_tables(sqlite::Connection& db) { db.exec(kCreateOutbox); }

struct OutboxWriter::Impl {
  explicit Impl(sqlite::Connection& c)
      : db(c),
        insert(c,
               "INSERT INTO outbox (id, created_ms, kind, control_id, bed, alert_id, phase, message) "
               "VALUES (?,?,?,?,?,?,?,?)"),
        update(c, "UPDATE outbox SET state = ?, attempts = ?, last_error = ?, updated_ms = ? WHERE id = ?"),
        delete_done_aged(c, "DELETE FROM outbox WHERE state != 'pending' AND created_ms < ?"),
        drop_readings_aged(c,
                           "DELETE FROM outbox WHERE state = 'pending' AND kind = 'R01' AND created_ms < ?"),
        count(c, "SELECT COUNT(*) FROM outbox"),
        delete_done_oldest(c,
                           "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state != 'pending' "
                           "ORDER BY id LIMIT ?)"),
        drop_readings_oldest(c,
                             "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' "
                             "AND kind = 'R01' ORDER BY id LIMIT ?)") {}

  std::uint64_t run(sqlite::Statement& s, std::int64_t arg) {
    sqlite::ResetGuard guard(s);
    s.bind(1, arg);
    s.step();
    return changes(db);
  }

  sqlite::Connection& db;
  sqlite::Statement insert, update, delete_done_aged, drop_readings_aged, count, delete_done_oldest,
      drop_readings_oldest;
};

OutboxWriter::OutboxWriter(sqlite::Connection& db) : impl_(std::make_unique<Impl>(db)) {}
OutboxWriter::~OutboxWriter() = default;

void OutboxWriter::insert(const OutboxEntry& e) {
  sqlite::Statement& s = impl_->insert;
  sqlite::ResetGuard guard(s);
  s.bind(1, static_cast<std::int64_t>(e.id));
  s.bind(2, std::int64_t{e.created_ms});
  s.bind(3, e.kind);
  s.bind(4, e.control_id);
  s.bind(5, e.bed);
  s.bind(6, e.alert_id);
  s.bind(7, e.phase);
  s.bind_blob(8, e.message);
  s.step();
}

void OutboxWriter::update(const OutboxUpdate& u) {
  sqlite::Statement& s = impl_->update;
  sqlite::ResetGuard guard(s);
  s.bind(1, u.state);
  s.bind(2, std::int64_t{u.attempts});
  s.bind(3, u.last_error);
  s.bind(4, std::int64_t{u.at_ms});
  s.bind(5, static_cast<std::int64_t>(u.id));
  s.step();  // a row trimmed meanwhile updates nothing: fine
}

OutboxTrimResult OutboxWriter::trim(const OutboxTrim& t) {
  OutboxTrimResult out;
  out.done_deleted = impl_->run(impl_->delete_done_aged, t.drop_before_ms);
  out.readings_dropped = impl_->run(impl_->drop_readings_aged, t.drop_before_ms);
  std::uint64_t rows = 0;
  {
    sqlite::ResetGuard guard(impl_->count);
    if (impl_->count.step()) rows = static_cast<std::uint64_t>(impl_->count.column_int(0));
  }
  if (rows <= t.max_rows) return out;
  std::uint64_t excess = rows - t.max_rows;
  const std::uint64_t done = impl_->run(impl_->delete_done_oldest, static_cast<std::int64_t>(excess));
  out.done_deleted += done;
  excess -= std::min(excess, done);
  if (excess > 0)
    out.readings_dropped += impl_->run(impl_->drop_readings_oldest, static_cast<std::int64_t>(excess));
  return out;
}

std::vector<OutboxRow> outbox_pending(const std::string& path, std::uint64_t after_id, std::size_t limit) {
  return with_reader(path, [&](ReadConnection& c) {
    std::vector<OutboxRow> rows;
    if (c.version < kFirstOutboxVersion) return rows;
    sqlite::Statement s(
        *c.db,
        "SELECT id, created_ms, kind, control_id, bed, alert_id, phase, message, state, "
        "attempts, last_error FROM outbox WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after_id));
    s.bind(2, static_cast<std::int64_t>(limit));
    while (s.step()) rows.push_back(read_row(s));
    return rows;
  });
}

std::uint64_t outbox_max_id(const std::string& path) {
  return with_reader(path, [&](ReadConnection& c) -> std::uint64_t {
    if (c.version < kFirstOutboxVersion) return 0;
    sqlite::Statement s(*c.db,
                        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), "
                        "COALESCE((SELECT MAX(id) FROM outbox), 0))");
    return s.step() ? static_cast<std::uint64_t>(s.column_int(0)) : 0;
  });
}

std::map<std::string, std::string> outbox_open_alert_starts(const std::string& path) {
  return with_reader(path, [&](ReadConnection& c) {
    std::map<std::string, std::string> out;
    if (c.version < kFirstOutboxVersion) return out;
    sqlite::Statement s(
        *c.db,
        "SELECT o.alert_id, o.control_id FROM outbox o WHERE o.alert_id != '' AND o.phase = 'start' "
        "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.alert_id = o.alert_id AND e.phase = 'end') "
        "ORDER BY o.id");
    while (s.step()) out[s.column_text(0)] = s.column_text(1);
    return out;
  });
}

OutboxSummary outbox_summary(const std::string& path) {
  return with_reader(path, [&](ReadConnection& c) {
    OutboxSummary out;
    if (c.version < kFirstOutboxVersion) return out;
    out.has_outbox = true;
    sqlite::Statement counts(*c.db,
                             "SELECT state, COUNT(*), MIN(created_ms), SUM(kind = 'R40'), SUM(attempts > 0), "
                             "MAX(updated_ms) FROM outbox GROUP BY state");
    while (counts.step()) {
      const std::string state = counts.column_text(0);
      const auto n = static_cast<std::uint64_t>(counts.column_int(1));
      if (state == "pending") {
        out.pending = n;
        out.oldest_pending_ms = counts.column_int(2);
        out.pending_alerts = static_cast<std::uint64_t>(counts.column_int(3));
        out.retried = static_cast<std::uint64_t>(counts.column_int(4));
      } else if (state == "sent") {
        out.sent = n;
        if (!counts.column_is_null(5)) out.last_sent_ms = counts.column_int(5);
      } else if (state == "skipped") {
        out.skipped = n;
      }
    }
    sqlite::Statement error(
        *c.db,
        "SELECT last_error FROM outbox WHERE last_error != '' ORDER BY updated_ms DESC, id DESC "
        "LIMIT 1");
    if (error.step()) out.last_error = error.column_text(0);
    return out;
  });
}

}  // namespace vigil::store
