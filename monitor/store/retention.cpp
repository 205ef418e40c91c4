#include "store/retention.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "store/database_file.hpp"

namespace vigil::store {

namespace {

// The schema name the month's archive is attached under, for the length of one chunk.
constexpr const char* kArchive = "vigil_archive";

std::chrono::year_month_day utc_day(WallMillis at_ms) {
  using namespace std::chrono;
  return year_month_day{floor<days>(sys_time<milliseconds>(milliseconds(at_ms)))};
}

int month_key(WallMillis at_ms) {
  const auto ymd = utc_day(at_ms);
  return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

std::chrono::days limit_for(const RetentionPolicy& p, const std::string& table) {
  if (table == "alert_log") return p.alert_log;
  if (table == "session_log") return p.session_log;
  return p.readings;  // observation sets and unmapped observations are the device log
}

// "a, b, c": the live table's columns, named, so that an archive made by an older build (and
// migrated since) receives each value in its own column whatever the column order.
std::string column_list(sqlite::Connection& db, const std::string& table) {
  sqlite::Statement s(db, "SELECT name FROM main.pragma_table_info(?1) ORDER BY cid");
  s.bind(1, table);
  std::string columns;
  while (s.step()) columns += (columns.empty() ? "" : ", ") + s.column_text(0);
  if (columns.empty()) throw sqlite::Error(SQLITE_ERROR, "retention: no table " + table);
  return columns;
}

void run_range(sqlite::Connection& db, const std::string& sql, std::int64_t lo, std::int64_t hi) {
  sqlite::Statement s(db, sql);
  s.bind(1, lo);
  s.bind(2, hi);
  while (s.step()) {
  }
}

void rollback_quietly(sqlite::Connection& db) {
  if (!db.in_transaction()) return;
  try {
    db.exec("ROLLBACK");
  } catch (const sqlite::Error&) {
    // The error that got us here is the one reported.
  }
}

}  // namespace

struct RetentionRun::Chunk {
  std::int64_t lo = 0, hi = 0;
  std::uint64_t rows = 0;
  WallMillis first_ms = 0;
  bool more = false;  // the chunk stopped at the step bound or a month's end, not at live rows
};

std::string archive_path(const std::string& dir, WallMillis at_ms) {
  const auto ymd = utc_day(at_ms);
  char name[32];
  std::snprintf(name, sizeof name, "vigil-%04d-%02u.db", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()));
  return (dir.empty() ? std::string(".") : dir) + "/" + name;
}

std::string RetentionReport::summary() const {
  std::string out;
  for (const RetentionTableReport& t : tables) {
    if (!out.empty()) out += "; ";
    out += t.table + ": " + std::to_string(t.moved);
    if (t.moved) {
      out += " moved to";
      for (const std::string& a : t.archives) out += " " + a.substr(a.rfind('/') + 1);
    }
    if (t.more) out += " (more next run)";
  }
  if (!error.empty()) out = "FAILED: " + error + (out.empty() ? "" : " (" + out + ")");
  return out;
}

RetentionRun::RetentionRun(sqlite::Connection& db, RetentionGate& gate, RetentionPolicy policy,
                           WallMillis now_ms)
    : db_(db), gate_(gate), policy_(std::move(policy)) {
  policy_.rows_per_step = std::max<std::uint64_t>(policy_.rows_per_step, 1);
  report_.at_ms = now_ms;
  for (const RetainedTable& t : retained_tables()) {
    RetentionTableReport r;
    r.table = t.name;
    const auto limit = limit_for(policy_, t.name);
    r.cutoff_ms =
        limit.count() > 0 ? now_ms - std::chrono::duration_cast<std::chrono::milliseconds>(limit).count() : 0;
    report_.tables.push_back(std::move(r));
  }
}

RetentionRun::~RetentionRun() = default;

bool RetentionRun::step() {
  if (over_) return false;
  while (table_ < report_.tables.size()) {
    RetentionTableReport& t = report_.tables[table_];
    try {
      if (limit_for(policy_, t.table).count() <= 0 || t.moved >= policy_.max_rows_per_run) {
        t.more = t.moved >= policy_.max_rows_per_run && t.moved > 0;
        ++table_;
        continue;
      }
      const Chunk chunk = next_chunk(t, retained_tables()[table_].time_column);
      if (chunk.rows == 0) {
        ++table_;
        continue;
      }
      move(t, chunk);
      t.moved += chunk.rows;
      const std::string archive = archive_path(policy_.archive_dir, chunk.first_ms);
      if (std::find(t.archives.begin(), t.archives.end(), archive) == t.archives.end())
        t.archives.push_back(archive);
      return true;
    } catch (const std::exception& e) {
      // This table stops here with nothing unverified deleted. The next tables still run:
      // an alert log past its retention should not wait on a readings archive's conflict.
      rollback_quietly(db_);
      if (!report_.error.empty()) report_.error += "; ";
      report_.error += t.table + ": " + e.what();
      ++table_;
    }
  }
  finish();
  return false;
}

RetentionRun::Chunk RetentionRun::next_chunk(const RetentionTableReport& table, const char* time_column) {
  const std::uint64_t room = std::min(policy_.rows_per_step, policy_.max_rows_per_run - table.moved);
  sqlite::Statement s(db_, "SELECT id, " + std::string(time_column) + " FROM main." + table.table +
                               " WHERE id < (SELECT MAX(id) FROM main." + table.table +
                               ") ORDER BY id LIMIT ?1");
  s.bind(1, static_cast<std::int64_t>(room));
  Chunk c;
  int month = 0;
  while (s.step()) {
    const std::int64_t id = s.column_int(0);
    const WallMillis at = s.column_int(1);
    if (at >= table.cutoff_ms) return c;  // the front is live: nothing more this run
    if (c.rows == 0) {
      c.lo = id;
      c.first_ms = at;
      month = month_key(at);
    } else if (month_key(at) != month) {
      c.more = true;
      return c;
    }
    c.hi = id;
    ++c.rows;
  }
  c.more = c.rows == room;
  return c;
}

void RetentionRun::move(const RetentionTableReport& table, const Chunk& chunk) {
  const std::string path = archive_path(policy_.archive_dir, chunk.first_ms);
  if (std::find(prepared_.begin(), prepared_.end(), path) == prepared_.end()) {
    ensure_archive(path);  // outside any transaction of ours: its own connection
    prepared_.push_back(path);
  }
  std::string& columns = columns_[table.table];  // the live table's columns: once per run
  if (columns.empty()) columns = column_list(db_, table.table);
  {
    sqlite::Statement attach(db_, std::string("ATTACH DATABASE ?1 AS ") + kArchive);
    attach.bind(1, path);
    attach.step();
  }
  // Per connection and schema: say it rather than trust the build's default.
  db_.exec(std::string("PRAGMA ") + kArchive + ".synchronous = FULL");
  struct Detach {
    sqlite::Connection& db;
    ~Detach() {
      rollback_quietly(db);
      try {
        db.exec(std::string("DETACH DATABASE ") + kArchive);
      } catch (const sqlite::Error&) {
        // Still attached: the next ATTACH under this name fails and reports it.
      }
    }
  } detach{db_};
  const std::string live = "main." + table.table;
  const std::string archived = std::string(kArchive) + "." + table.table;
  const std::string range = " WHERE id BETWEEN ?1 AND ?2";

  db_.exec("BEGIN IMMEDIATE");
  run_range(
      db_,
      "INSERT OR IGNORE INTO " + archived + " (" + columns + ") SELECT " + columns + " FROM " + live + range,
      chunk.lo, chunk.hi);
  if (table.table == "observation_sets") {
    // The archive's restart-style queries (vigilctl --db) look up a chair's kinds here.
    db_.exec(std::string("INSERT OR IGNORE INTO ") + kArchive +
             ".bed_kinds SELECT bed, kind FROM main.bed_kinds");
  }
  db_.exec("COMMIT");

  db_.exec("BEGIN IMMEDIATE");
  {
    sqlite::Statement differ(db_, "SELECT COUNT(*) FROM (SELECT " + columns + " FROM " + live + range +
                                      " EXCEPT SELECT " + columns + " FROM " + archived + range + ")");
    differ.bind(1, chunk.lo);
    differ.bind(2, chunk.hi);
    differ.step();
    if (const std::int64_t n = differ.column_int(0); n != 0) {
      throw sqlite::Error(SQLITE_ERROR, std::to_string(n) + " rows (ids " + std::to_string(chunk.lo) + ".." +
                                            std::to_string(chunk.hi) + ") differ from the rows of " + path +
                                            " with the same ids; left in place");
    }
  }
  {
    RetentionGate::Open open(gate_);
    run_range(db_, "DELETE FROM " + live + range, chunk.lo, chunk.hi);
  }
  db_.exec("COMMIT");
}

void RetentionRun::finish() {
  over_ = true;
  try {
    db_.exec("BEGIN IMMEDIATE");
    sqlite::Statement s(db_, "INSERT INTO config_log (at_ms, what, detail) VALUES (?1, 'retention run', ?2)");
    s.bind(1, report_.at_ms);
    s.bind(2, report_.summary());
    s.step();
    db_.exec("COMMIT");
  } catch (const sqlite::Error& e) {
    rollback_quietly(db_);
    if (report_.error.empty()) report_.error = std::string("logging the run: ") + e.what();
  }
}

}  // namespace vigil::store
