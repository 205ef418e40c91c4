#pragma once
// Writes the records of one WriteBatch with prepared statements. Knows the tables, not the
// transactions: the Store's writer thread wraps many batches in one BEGIN ... COMMIT.
//
// Threading: owned and used by the writer thread only.

#include <cstdint>
#include <memory>
#include <string>

#include <vector>

#include "store/observation_sets.hpp"
#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

class BatchWriter {
 public:
  // Prepares the INSERT statements on `db` (which must outlive this); throws sqlite::Error.
  explicit BatchWriter(sqlite::Connection& db);

  // Inserts every record of `batch` inside the caller's open transaction and returns an
  // ok outcome with the row ids of readings, alerts and session events in batch order.
  // Throws sqlite::Error; the caller rolls back.
  WriteOutcome write(const WriteBatch& batch);

 private:
  void insert(const UnmappedObservation& u);
  std::uint64_t insert(const proto::AlertEvent& a, const std::string& session_id);
  std::uint64_t insert(const proto::SessionEvent& e);
  void insert(const ConfigRecord& c);
  void insert(const proto::EscalationEvent& e);
  std::uint64_t last_row_id() const;

  sqlite::Connection& db_;
  SetWriter sets_;                   // readings, as observation sets (schema 7)
  std::vector<PendingSet> pending_;  // this batch's sets, reused
  sqlite::Statement insert_unmapped_;
  sqlite::Statement insert_alert_;
  sqlite::Statement insert_session_;
  sqlite::Statement insert_config_;
  sqlite::Statement insert_escalation_;
  std::unique_ptr<OutboxWriter> outbox_;  // the forwarding outbox (schema v3)
  // Next record kind: one more Statement here, prepared in the constructor.
};

}  // namespace vigil::store
