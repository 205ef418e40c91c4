#include "store/retention_gate.hpp"

namespace vigil::store {

const std::vector<RetainedTable>& retained_tables() {
  static const std::vector<RetainedTable> tables = {
      {"observation_sets", "received_at_ms"},
      {"unmapped_observations", "received_at_ms"},
      {"alert_log", "at_ms"},
      {"session_log", "at_ms"},
  };
  return tables;
}

std::string gated_delete_trigger(const std::string& table) {
  return "CREATE TRIGGER " + table + "_no_DELETE BEFORE DELETE ON " + table +
         " WHEN NOT vigil_retention_active() BEGIN SELECT RAISE(ABORT, '" + table +
         " is append-only (rows leave only by retention, to the archive)'); END;\n";
}

RetentionGate::RetentionGate(sqlite::Connection& db) {
  // INNOCUOUS: no side effects, so the triggers may call it even with trusted_schema off.
  // Not DETERMINISTIC: its answer changes while the connection lives.
  int rc = sqlite3_create_function_v2(db.get(), "vigil_retention_active", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                      this, &RetentionGate::answer, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw sqlite::error_from(db.get(), rc, "define vigil_retention_active");
}

void RetentionGate::answer(sqlite3_context* context, int, sqlite3_value**) {
  const auto* gate = static_cast<const RetentionGate*>(sqlite3_user_data(context));
  sqlite3_result_int(context, gate->open_ ? 1 : 0);
}

}  // namespace vigil::store
