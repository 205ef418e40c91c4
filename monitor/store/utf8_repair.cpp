#include "store/utf8_repair.hpp"

#include <string>
#include <utility>
#include <vector>

#include "text/utf8.hpp"

namespace vigil::store {
namespace {

constexpr const char* kInvalidFn = "vigil_utf8_invalid";
constexpr const char* kRepairFn = "vigil_utf8_repair";

bool invalid_text(sqlite3_value* v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return false;
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_value_text(v));
  const int n = sqlite3_value_bytes(v);
  return bytes != nullptr && !is_valid_utf8(std::string_view(bytes, static_cast<std::size_t>(n)));
}

void invalid_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  sqlite3_result_int(ctx, invalid_text(argv[0]) ? 1 : 0);
}

void repair_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (!invalid_text(argv[0])) {
    sqlite3_result_value(ctx, argv[0]);
    return;
  }
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const std::string fixed =
      to_valid_utf8(std::string_view(bytes, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, fixed.data(), static_cast<int>(fixed.size()), SQLITE_TRANSIENT);
}

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::vector<std::string> column_names(sqlite::Connection& db, const std::string& table) {
  std::vector<std::string> names;
  sqlite::Statement s(db, "SELECT name FROM pragma_table_info(?1)");
  s.bind(1, table);
  while (s.step()) names.push_back(s.column_text(0));
  return names;
}

std::vector<std::pair<std::string, std::string>> triggers_of(sqlite::Connection& db,
                                                             const std::string& table) {
  std::vector<std::pair<std::string, std::string>> out;
  sqlite::Statement s(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1");
  s.bind(1, table);
  while (s.step()) out.emplace_back(s.column_text(0), s.column_text(1));
  return out;
}

std::uint64_t repair_table(sqlite::Connection& db, const std::string& table) {
  const std::vector<std::string> columns = column_names(db, table);
  std::string where, set;
  for (const std::string& c : columns) {
    where += (where.empty() ? "" : " OR ") + std::string(kInvalidFn) + "(" + quoted(c) + ")";
    set += (set.empty() ? "" : ", ") + quoted(c) + " = " + kRepairFn + "(" + quoted(c) + ")";
  }
  if (where.empty()) return 0;
  // One scan to find out; the triggers are touched only for a table that needs it.
  if (db.query_int("SELECT EXISTS (SELECT 1 FROM " + quoted(table) + " WHERE " + where + ")") == 0) {
    return 0;
  }
  const auto triggers = triggers_of(db, table);
  for (const auto& t : triggers) db.exec("DROP TRIGGER " + quoted(t.first));
  db.exec("UPDATE " + quoted(table) + " SET " + set + " WHERE " + where);
  const auto changed = static_cast<std::uint64_t>(sqlite3_changes(db.get()));
  for (const auto& t : triggers) db.exec(t.second);
  return changed;
}

// Registers the two SQL functions for the lifetime of one repair.
class FunctionScope {
 public:
  explicit FunctionScope(sqlite::Connection& db) : db_(db) {
    add(kInvalidFn, &invalid_fn);
    add(kRepairFn, &repair_fn);
  }
  ~FunctionScope() {
    for (const char* name : {kInvalidFn, kRepairFn}) {
      sqlite3_create_function_v2(db_.get(), name, 1, SQLITE_UTF8, nullptr, nullptr, nullptr, nullptr,
                                 nullptr);
    }
  }
  FunctionScope(const FunctionScope&) = delete;
  FunctionScope& operator=(const FunctionScope&) = delete;

 private:
  void add(const char* name, void (*fn)(sqlite3_context*, int, sqlite3_value**)) {
    const int rc = sqlite3_create_function_v2(db_.get(), name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                              fn, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw sqlite::error_from(db_.get(), rc, std::string("register ") + name);
  }
  sqlite::Connection& db_;
};

}  // namespace

std::uint64_t repair_invalid_utf8_text(sqlite::Connection& db) {
  FunctionScope functions(db);
  std::vector<std::string> tables;
  {
    sqlite::Statement s(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (s.step()) tables.push_back(s.column_text(0));
  }
  std::uint64_t changed = 0;
  for (const std::string& table : tables) changed += repair_table(db, table);
  return changed;
}

}  // namespace vigil::store
