#pragma once
// The one way rows leave the logs. Every retained table refuses DELETE with a trigger, as
// before, unless the SQL function vigil_retention_active() says yes. Only the store's writer
// connection defines that function, and it says yes only while a retention step deletes
// rows it has just verified in the archive (retention.hpp). Any other connection (the
// sqlite3 shell, a script, vigilctl) has no such function, so its DELETE is refused too.
//
//   DELETE FROM alert_log ...  ──trigger──► vigil_retention_active()?
//        writer, inside RetentionGate::Open  → 1: the row goes (to the archive first)
//        writer, any other time              → 0: "alert_log is append-only"
//        any other connection                → "no such function": refused

#include <string>
#include <vector>

#include "store/sqlite_handle.hpp"

namespace vigil::store {

// The tables whose rows retention moves to the archive, each with the column that dates a
// row on Vigil's clock (never a device's).
struct RetainedTable {
  const char* name;
  const char* time_column;
};
const std::vector<RetainedTable>& retained_tables();

// The DELETE trigger of a retained table, gated (schema 8 replaces the plain one with it).
std::string gated_delete_trigger(const std::string& table);

// Defines vigil_retention_active() on the writer connection `db`, answering from this
// object (which must outlive `db`'s use). Throws sqlite::Error.
class RetentionGate {
 public:
  explicit RetentionGate(sqlite::Connection& db);
  RetentionGate(const RetentionGate&) = delete;
  RetentionGate& operator=(const RetentionGate&) = delete;

  // While one is alive, this connection's DELETEs on retained tables pass the trigger.
  class Open {
   public:
    explicit Open(RetentionGate& gate) : gate_(gate) { gate_.open_ = true; }
    ~Open() { gate_.open_ = false; }
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;

   private:
    RetentionGate& gate_;
  };

 private:
  static void answer(sqlite3_context* context, int, sqlite3_value**);
  bool open_ = false;
};

}  // namespace vigil::store
