#pragma once
// The forwarding outbox (schema v3): HL7 messages for the hospital's integration engine,
// written in the SAME transaction as the readings and alert transitions they mirror, so
// nothing acknowledged to a monitor is missing from it and nothing is forwarded that was
// not stored. Unlike the logs it is a work queue: rows change state and are deleted.
//
//   row inserted 'pending' ──ACK AA/CA──► 'sent'
//                          ──ACK AE/CE──► 'skipped' (the engine refused it for good)
//   trim: done rows older than the age bound go; over the row bound, the oldest done rows
//   go first, then the oldest PENDING READINGS (R01), counted and reported loudly. Alert
//   messages (R40) are never dropped.
//
// Threading: OutboxWriter lives on the Store's writer thread (inside its transactions); the
// read functions open their own read-only connection, from any thread but the io thread.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reading/reading.hpp"

namespace vigil::store {

namespace sqlite {
class Connection;
}

/// One message to queue (WriteBatch::outbox). The id is chosen by the caller (the daemon
/// numbers rows on its io thread, so the message can carry its own MSH-10).
struct OutboxEntry {
  std::uint64_t id = 0;
  WallMillis created_ms = 0;
  std::string kind;        // "R01" or "R40"
  std::string control_id;  // MSH-10 in `message`
  std::string bed;
  std::string alert_id;  // R40 only
  std::string phase;     // R40 event phase: start, update, escalate, end
  std::string message;   // the HL7 message, not MLLP-wrapped
};

/// A state change of a row (WriteBatch::outbox_updates).
struct OutboxUpdate {
  std::uint64_t id = 0;
  std::string state;  // "sent", "skipped" or "pending" (attempts/last_error only)
  std::uint32_t attempts = 0;
  std::string last_error;
  WallMillis at_ms = 0;
};

/// Bounds applied by a trim (WriteBatch::outbox_trim).
struct OutboxTrim {
  std::uint64_t max_rows = 1000000;
  WallMillis drop_before_ms = 0;  // rows created before this are over the age bound
};

/// What a trim removed (WriteOutcome::outbox_trimmed).
struct OutboxTrimResult {
  std::uint64_t done_deleted = 0;      // sent/skipped rows aged out or over the bound
  std::uint64_t readings_dropped = 0;  // PENDING R01 rows dropped: never silent
};

/// A row as read back.
struct OutboxRow {
  std::uint64_t id = 0;
  WallMillis created_ms = 0;
  std::string kind, control_id, bed, alert_id, phase, message, state, last_error;
  std::uint32_t attempts = 0;
};

/// The schema step from v2 to v3 (called by ensure_schema inside its transaction).
void create_outbox_tables(sqlite::Connection& db);

/// Inserts, updates and trims inside the writer's open transaction. Throws sqlite::Error.
class OutboxWriter {
 public:
  explicit OutboxWriter(sqlite::Connection& db);
  ~OutboxWriter();
  void insert(const OutboxEntry& e);
  void update(const OutboxUpdate& u);
  OutboxTrimResult trim(const OutboxTrim& t);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- Read side: own read-only connection per call; throw StoreError ---------------------

/// Pending rows with id > after_id, oldest first, at most `limit`.
std::vector<OutboxRow> outbox_pending(const std::string& path, std::uint64_t after_id, std::size_t limit);
/// The highest row id ever used (0 for an empty outbox or a database without one).
std::uint64_t outbox_max_id(const std::string& path);
/// Per alert whose start message is queued or sent and that has no end message yet: the
/// start message's control id (what follow-ups carry in OBR-29).
std::map<std::string, std::string> outbox_open_alert_starts(const std::string& path);

/// For `vigilctl forward-status`.
struct OutboxSummary {
  bool has_outbox = false;  // false: schema before v3 (forwarding never ran)
  std::uint64_t pending = 0, sent = 0, skipped = 0;
  std::uint64_t pending_alerts = 0;
  std::optional<WallMillis> oldest_pending_ms;
  std::uint64_t retried = 0;  // pending rows with at least one failed attempt
  std::string last_error;     // of the most recently failed row, "" if none
  std::optional<WallMillis> last_sent_ms;
};
OutboxSummary outbox_summary(const std::string& path);

}  // namespace vigil::store
