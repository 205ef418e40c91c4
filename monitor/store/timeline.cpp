#include "store/timeline.hpp"

#include <algorithm>
#include <limits>

#include "store/observation_sets.hpp"
#include "store/read_connection.hpp"
#include "store/reading_cursor.hpp"
#include "store/row_readers.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

namespace {

// One ordered stream of rows: `current` holds the row under the cursor while `has` is true.
template <class Row>
struct Cursor {
  Cursor(sqlite::Connection& db, const std::string& sql) : stmt(db, sql) {}

  // Moves to the next row `decode` accepts; counts the rows it refuses.
  template <class Decode>
  void advance(Decode decode) {
    while ((has = stmt.step())) {
      if (decode(stmt, current)) return;
      ++skipped;
    }
  }

  sqlite::Statement stmt;
  Row current;
  bool has = false;
  std::size_t skipped = 0;
};

// The merge order: time, then kind (session < reading < alert), then row id.
struct Key {
  WallMillis at_ms;
  int rank;
  std::uint64_t id;
  bool operator<(const Key& o) const {
    if (at_ms != o.at_ms) return at_ms < o.at_ms;
    if (rank != o.rank) return rank < o.rank;
    return id < o.id;
  }
};

bool decode_session(const sqlite::Statement& s, proto::SessionEvent& e) {
  read_session_row(s, e);
  return true;
}

bool decode_alert(const sqlite::Statement& s, proto::AlertEvent& a) {
  read_alert_row(s, a);
  return true;
}

}  // namespace

std::optional<TimelineSession> find_session(const std::string& path, const std::string& bed,
                                            const std::optional<std::string>& session_id) {
  ReadConnection c = open_for_reading(path);
  if (c.version < kFirstLogSchemaVersion) return std::nullopt;
  try {
    std::string id;
    if (session_id) {
      id = *session_id;
    } else {
      sqlite::Statement latest(*c.db,
                               "SELECT session_id FROM session_log WHERE bed = ?1 "
                               "ORDER BY id DESC LIMIT 1");
      latest.bind(1, bed);
      if (!latest.step()) return std::nullopt;
      id = latest.column_text(0);
    }
    sqlite::Statement first(*c.db, "SELECT MIN(at_ms) FROM session_log WHERE bed = ?1 AND session_id = ?2");
    first.bind(1, bed);
    first.bind(2, id);
    if (!first.step() || first.column_is_null(0)) return std::nullopt;
    TimelineSession out;
    out.from_ms = first.column_int(0);
    sqlite::Statement last(*c.db, std::string("SELECT ") + kSessionColumns +
                                      " FROM session_log WHERE bed = ?1 AND session_id = ?2 "
                                      "ORDER BY id DESC LIMIT 1");
    last.bind(1, bed);
    last.bind(2, id);
    if (!last.step()) return std::nullopt;
    proto::SessionEvent event;
    read_session_row(last, event);
    out.info = event.session();
    if (out.info.begun_at_ms() != 0) out.from_ms = std::min(out.from_ms, out.info.begun_at_ms());
    if (out.info.phase() == proto::closed) {
      out.until_ms = std::max(event.at_ms(), out.info.ended_at_ms());
    }
    out.last_record_ms = out.from_ms;
    // Each MAX is one index seek: (bed, received_at_ms), (bed, at_ms) twice.
    const std::string readings_table =
        c.version >= kFirstObservationSetVersion ? "observation_sets" : "readings";
    for (const std::string& sql :
         {"SELECT MAX(received_at_ms) FROM " + readings_table + " WHERE bed = ?1 AND received_at_ms >= ?2",
          std::string("SELECT MAX(at_ms) FROM alert_log WHERE bed = ?1 AND at_ms >= ?2"),
          std::string("SELECT MAX(at_ms) FROM session_log WHERE bed = ?1 AND at_ms >= ?2")}) {
      sqlite::Statement latest(*c.db, sql);
      latest.bind(1, bed);
      latest.bind(2, std::int64_t{out.from_ms});
      if (latest.step() && !latest.column_is_null(0)) {
        out.last_record_ms = std::max<WallMillis>(out.last_record_ms, latest.column_int(0));
      }
    }
    return out;
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

std::size_t for_each_timeline_item(const std::string& path, const std::string& bed,
                                   const TimelineSession& session,
                                   const std::function<void(const TimelineItem&)>& fn) {
  ReadConnection c = open_for_reading(path);
  if (c.version < kFirstLogSchemaVersion) return 0;
  std::int64_t until = session.until_ms.value_or(std::numeric_limits<std::int64_t>::max());
  try {
    // One read transaction: the three cursors see the same committed state.
    c.db->exec("BEGIN");
    Cursor<proto::SessionEvent> sessions(
        *c.db, std::string("SELECT ") + kSessionColumns +
                   " FROM session_log WHERE bed = ?1 AND session_id = ?2 ORDER BY at_ms, id");
    sessions.stmt.bind(1, bed);
    sessions.stmt.bind(2, session.info.session_id());
    ReadingCursor readings(*c.db, c.version, "bed = ?1 AND received_at_ms BETWEEN ?2 AND ?3",
                           "received_at_ms, id");
    Cursor<proto::AlertEvent> alerts(
        *c.db, "SELECT " + alert_columns(c.version) +
                   " FROM alert_log WHERE bed = ?1 AND at_ms BETWEEN ?2 AND ?3 ORDER BY at_ms, id");
    for (sqlite::Statement* s : {&readings.statement(), &alerts.stmt}) {
      s->bind(1, bed);
      s->bind(2, std::int64_t{session.from_ms});
      s->bind(3, until);
    }
    sessions.advance(decode_session);
    const StoredReading* reading = readings.next();
    alerts.advance(decode_alert);

    constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
    constexpr WallMillis kEnd = std::numeric_limits<WallMillis>::max();
    for (;;) {
      Key ks{sessions.has ? sessions.current.at_ms() : kEnd, 0,
             sessions.has ? sessions.current.log_id() : kNone};
      Key kr{reading ? reading->reading.received_at_ms : kEnd, 1, reading ? reading->id : kNone};
      Key ka{alerts.has ? alerts.current.at_ms() : kEnd, 2, alerts.has ? alerts.current.log_id() : kNone};
      TimelineItem item;
      if (sessions.has && (!reading || ks < kr) && (!alerts.has || ks < ka)) {
        item.kind = TimelineItem::Kind::Session;
        item.at_ms = ks.at_ms;
        item.session_event = &sessions.current;
        fn(item);
        sessions.advance(decode_session);
      } else if (reading && (!alerts.has || kr < ka)) {
        item.kind = TimelineItem::Kind::Reading;
        item.at_ms = kr.at_ms;
        item.reading = reading;
        fn(item);
        reading = readings.next();
      } else if (alerts.has) {
        item.kind = TimelineItem::Kind::Alert;
        item.at_ms = ka.at_ms;
        item.alert = &alerts.current;
        fn(item);
        alerts.advance(decode_alert);
      } else {
        break;
      }
    }
    return readings.skipped();
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

}  // namespace vigil::store
