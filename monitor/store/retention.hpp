#pragma once
// Retention: rows older than their table's limit move from the live database to a monthly
// archive file (archive/vigil-YYYY-MM.db, a Vigil database of the same schema that vigilctl
// reads with --db), then leave the live one. A device log is not the chart (the chart gets
// the report and the forwarded HL7): the live file keeps what the ward and the reports need,
// the archives keep the rest until the clinic's own record policy removes them.
//
// One run, on the store's writer thread, between group commits, in steps:
//
//   per retained table (retention_gate.hpp), oldest rows first (by id = arrival order):
//     chunk = the longest run of rows from the front that are older than the cutoff and fall
//             in one calendar month (UTC), at most rows_per_step, never the table's last row
//     ATTACH the month's archive; BEGIN; INSERT OR IGNORE the chunk there; COMMIT  (durable)
//     BEGIN; check every chunk row is in the archive, identical; DELETE it here; COMMIT
//   until no table has an expired row at its front or max_rows_per_run rows moved per table;
//   then one config_log row ("retention") says what moved where, or what failed.
//
// Why this order: a crash between the two commits leaves the chunk in both files, and the
// next run's INSERT OR IGNORE finds it there; a row is never deleted unless its identical
// copy is committed in the archive. Why from the front only: a row after a clock step back
// waits until the rows that arrived before it have expired, so a run never scans the table.
// Why keep the last row: new row ids follow the highest one (reading ids, alert ids after a
// restart) and must never repeat an archived id.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reading/reading.hpp"
#include "store/retention_gate.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

struct RetentionPolicy {
  // How long rows stay live, by kind; 0 keeps them live for ever.
  std::chrono::days readings{90};           // observation sets and unmapped observations
  std::chrono::days alert_log{365};         // every alert transition, acknowledgments included
  std::chrono::days session_log{365};       // sessions, phases and the nurse who changed them
  std::string archive_dir;                  // where vigil-YYYY-MM.db files go; created 0700
  std::uint64_t max_rows_per_run = 200000;  // per table: a run's bound on writer time
  std::uint64_t rows_per_step = 500;        // per chunk: how long one step holds the writer
};

// The smallest limit a policy may set: anything a restart restores (open sessions, alerts
// still showing, the latest reading per chair) is younger.
inline constexpr std::chrono::days kMinRetention{2};

struct RetentionTableReport {
  std::string table;
  WallMillis cutoff_ms = 0;           // rows dated before this had expired
  std::uint64_t moved = 0;            // rows now in an archive and gone from the live file
  std::vector<std::string> archives;  // the files they went to
  bool more = false;                  // expired rows left for the next run (the per-run bound)
};

struct RetentionReport {
  WallMillis at_ms = 0;  // the run's "now", on the daemon's clock
  std::vector<RetentionTableReport> tables;
  std::string error;  // empty: the run completed
  // One line for logs: "readings: 4211 moved to vigil-2026-08.db; alert_log: 0; ...".
  std::string summary() const;
};

// "<dir>/vigil-YYYY-MM.db" for the UTC month holding `at_ms`.
std::string archive_path(const std::string& dir, WallMillis at_ms);

// One run on the writer's connection. Writer thread only; never inside a transaction.
class RetentionRun {
 public:
  RetentionRun(sqlite::Connection& db, RetentionGate& gate, RetentionPolicy policy, WallMillis now_ms);
  ~RetentionRun();
  // Moves one chunk. False once the run is over (done or failed); then report() is final
  // and its config_log row written (if the database still takes writes).
  bool step();
  const RetentionReport& report() const { return report_; }

 private:
  struct Chunk;
  Chunk next_chunk(const RetentionTableReport& table, const char* time_column);
  void move(const RetentionTableReport& table, const Chunk& chunk);
  void finish();

  sqlite::Connection& db_;
  RetentionGate& gate_;
  RetentionPolicy policy_;
  RetentionReport report_;
  std::vector<std::string> prepared_;           // archives whose schema this run has ensured
  std::map<std::string, std::string> columns_;  // per table, its column list (read once per run)
  std::size_t table_ = 0;                       // index into retained_tables()
  bool over_ = false;
};

}  // namespace vigil::store
