#include "store/observation_sets.hpp"

#include <cmath>
#include <iterator>
#include <limits>
#include <string>

#include "common/vocabulary.hpp"
#include "store/row_readers.hpp"

namespace vigil::store {

namespace {

// One REAL column per VitalKind, in enum order: column kValueColumn + index(kind).
constexpr const char* kValueColumnNames[kKindsPerSet] = {
    "nibp_sys", "nibp_dia", "nibp_mean", "heart_rate", "pulse_rate", "spo2", "resp_rate", "temperature"};
static_assert(std::size(kAllVitalKinds) == kKindsPerSet, "one value column per VitalKind");

constexpr int kValueColumn = 13;  // 0-based, in kSetColumns

std::uint32_t bit(VitalKind kind) { return 1u << static_cast<unsigned>(kind); }

// `verified` of a late reading: unverified, and why (schema 10; records.hpp).
constexpr std::int64_t kVerifiedLate = 2;

bool same_optional(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  // NaN baselines compare equal to themselves here: they are stored alike (NULL).
  return !a || *a == *b || (std::isnan(*a) && std::isnan(*b));
}

bool same_context(const ReadingContext* a, const ReadingContext* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return a->verified == b->verified && a->late == b->late && a->phase == b->phase &&
         same_optional(a->baseline_sys, b->baseline_sys) && same_optional(a->baseline_dia, b->baseline_dia) &&
         a->session_id == b->session_id;
}

// How many kinds of `kinds` come before `kind`: its reading's offset from the set id.
std::uint64_t rank(std::uint32_t kinds, unsigned kind) {
  std::uint64_t n = 0;
  for (unsigned i = 0; i < kind; ++i) n += (kinds >> i) & 1u;
  return n;
}

bool fits(const PendingSet& set, const Reading& r, const ReadingContext* context, bool kind_order) {
  if (set.readings.empty()) return true;
  if (set.kinds & bit(r.kind)) return false;
  if (kind_order && set.kinds >= bit(r.kind)) return false;
  const Reading& f = *set.readings.front();
  return f.received_at_ms == r.received_at_ms && f.measured_at_ms == r.measured_at_ms && f.valid == r.valid &&
         f.bed == r.bed && f.source == r.source && f.status == r.status &&
         same_context(set.context.front(), context);
}

void bind_optional(sqlite::Statement& s, int index, const std::optional<double>& value) {
  if (value) {
    s.bind_number(index, *value);
  } else {
    s.bind_null(index);
  }
}

std::string table_sql() {
  std::string sql =
      "CREATE TABLE observation_sets (\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  bed TEXT NOT NULL,\n"
      "  received_at_ms INTEGER NOT NULL,\n"
      "  measured_at_ms INTEGER NOT NULL,\n"
      "  source TEXT NOT NULL,\n"
      "  kinds INTEGER NOT NULL,\n"  // bit i: kAllVitalKinds[i] present (its value may be NULL: NaN)
      "  valid INTEGER NOT NULL,\n"
      "  status TEXT NOT NULL,\n"
      // 1 verified; 0 not (a rule doubted it, the device flagged it); 2 not: late, an old
      // result sent again (schema 10). NULL: no context (then the four below are NULL too).
      "  verified INTEGER,\n"
      "  phase TEXT,\n"
      "  baseline_sys REAL,\n"
      "  baseline_dia REAL,\n"
      "  session_id TEXT";
  for (const char* name : kValueColumnNames) sql += std::string(",\n  ") + name + " REAL";
  sql +=
      "\n);\n"
      // Every query selects by bed and arrival, or by arrival alone (rowid order follows it).
      "CREATE INDEX observation_sets_by_bed_received ON observation_sets (bed, received_at_ms);\n"
      // Which kinds each bed ever had: the restart snapshot seeks the newest of each without
      // scanning a bed's history for a kind it never sent. A row on a kind's first arrival.
      "CREATE TABLE bed_kinds (bed TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (bed, kind)) "
      "WITHOUT ROWID;\n";
  return sql;
}

std::string view_sql() {
  std::string sql =
      "CREATE VIEW readings (id, bed, kind, value, unit, measured_at_ms, received_at_ms, source, "
      "valid, status, verified, phase, baseline_sys, baseline_dia, session_id) AS\n";
  for (std::size_t i = 0; i < kKindsPerSet; ++i) {
    const VitalKind kind = kAllVitalKinds[i];
    if (i) sql += "UNION ALL\n";
    std::string id = "id";
    for (std::size_t j = 0; j < i; ++j) id += " + ((kinds >> " + std::to_string(j) + ") & 1)";
    sql += "SELECT " + id + ", bed, '" + std::string(to_string(kind)) + "', " + kValueColumnNames[i] + ", '" +
           std::string(canonical_unit(kind)) +
           "', measured_at_ms, received_at_ms, source, valid, status, verified, phase, "
           "baseline_sys, baseline_dia, session_id FROM observation_sets WHERE kinds & " +
           std::to_string(1u << i) + "\n";
  }
  sql += ";\n";
  // A view cannot be changed anyway; these say why in the words the tables use.
  for (const char* op : {"INSERT", "UPDATE", "DELETE"}) {
    sql += std::string("CREATE TRIGGER readings_no_") + op + " INSTEAD OF " + op +
           " ON readings BEGIN SELECT RAISE(ABORT, 'readings is append-only'); END;\n";
  }
  return sql;
}

std::string insert_sql() {
  std::string columns =
      "id, bed, received_at_ms, measured_at_ms, source, kinds, valid, status, verified, phase, "
      "baseline_sys, baseline_dia, session_id";
  std::string params = "?,?,?,?,?,?,?,?,?,?,?,?,?";
  for (const char* name : kValueColumnNames) {
    columns += std::string(", ") + name;
    params += ",?";
  }
  return "INSERT INTO observation_sets (" + columns + ") VALUES (" + params + ")";
}

std::string select_columns() {
  std::string columns =
      "id, bed, received_at_ms, measured_at_ms, source, kinds, valid, status, verified, phase, "
      "baseline_sys, baseline_dia, session_id";
  for (const char* name : kValueColumnNames) columns += std::string(", ") + name;
  return columns;
}

}  // namespace

const std::string& set_columns() {
  static const std::string text = select_columns();
  return text;
}

std::uint64_t reading_id(std::uint64_t set_id, std::uint32_t kinds, VitalKind kind) {
  return set_id + rank(kinds, static_cast<unsigned>(kind));
}

void add_to_sets(const Reading& r, const ReadingContext* context, std::vector<PendingSet>& sets,
                 bool kind_order) {
  if (sets.empty() || !fits(sets.back(), r, context, kind_order)) sets.emplace_back();
  PendingSet& set = sets.back();
  set.readings.push_back(&r);
  set.context.push_back(context);
  set.kinds |= bit(r.kind);
}

SetWriter::SetWriter(sqlite::Connection& db)
    : insert_set_(db, insert_sql()),
      last_set_(db, "SELECT id, kinds FROM observation_sets ORDER BY id DESC LIMIT 1"),
      insert_bed_kind_(db, "INSERT OR IGNORE INTO bed_kinds (bed, kind) VALUES (?,?)") {}

std::uint64_t SetWriter::insert(const PendingSet& set, std::uint64_t id) {
  const Reading& f = *set.readings.front();
  const ReadingContext* context = set.context.front();
  if (id == 0) {
    // One seek to the table's last leaf (a page the previous insert left in the cache); asked
    // each time rather than remembered, so a rolled-back transaction cannot leave a gap.
    sqlite::ResetGuard guard(last_set_);
    id = 1;
    if (last_set_.step()) {
      const auto last = static_cast<std::uint64_t>(last_set_.column_int(0));
      const auto kinds = static_cast<std::uint32_t>(last_set_.column_int(1));
      id = last + rank(kinds, kKindsPerSet);
    }
  }
  {
    sqlite::Statement& s = insert_set_;
    sqlite::ResetGuard guard(s);
    s.bind(1, static_cast<std::int64_t>(id));
    s.bind(2, f.bed);
    s.bind(3, std::int64_t{f.received_at_ms});
    s.bind(4, std::int64_t{f.measured_at_ms});
    s.bind(5, f.source);
    s.bind(6, std::int64_t{set.kinds});
    s.bind(7, std::int64_t{f.valid ? 1 : 0});
    s.bind(8, f.status);
    // Without context, 9..13 stay NULL (reset clears bindings): "not known".
    if (context) {
      s.bind(9, std::int64_t{context->late ? kVerifiedLate : context->verified ? 1 : 0});
      s.bind(10, word(context->phase));
      bind_optional(s, 11, context->baseline_sys);
      bind_optional(s, 12, context->baseline_dia);
      s.bind(13, context->session_id);
    }
    for (const Reading* r : set.readings) s.bind_number(14 + static_cast<int>(r->kind), r->value);
    s.step();
  }
  for (const Reading* r : set.readings) {
    sqlite::ResetGuard guard(insert_bed_kind_);
    insert_bed_kind_.bind(1, r->bed);
    insert_bed_kind_.bind(2, to_string(r->kind));
    insert_bed_kind_.step();
  }
  return id;
}

std::size_t expand_set_row(const sqlite::Statement& s, std::vector<StoredReading>& out) {
  const auto set_id = static_cast<std::uint64_t>(s.column_int(0));
  const auto kinds = static_cast<std::uint64_t>(s.column_int(5));
  std::optional<ReadingContext> context;
  if (!s.column_is_null(8)) {
    ReadingContext c;
    const std::int64_t verified = s.column_int(8);
    c.verified = verified == 1;
    c.late = verified == kVerifiedLate;
    c.phase = from_word<proto::Phase>(s.column_text(9)).value_or(proto::PHASE_UNSET);
    if (!s.column_is_null(10)) c.baseline_sys = s.column_double(10);
    if (!s.column_is_null(11)) c.baseline_dia = s.column_double(11);
    c.session_id = s.column_text(12);
    context = std::move(c);
  }
  for (std::size_t i = 0; i < kKindsPerSet; ++i) {
    if (!(kinds & (1u << i))) continue;
    StoredReading& row = out.emplace_back();
    row.id = set_id + rank(static_cast<std::uint32_t>(kinds), static_cast<unsigned>(i));
    Reading& r = row.reading;
    r.bed = s.column_text(1);
    r.kind = kAllVitalKinds[i];
    const int column = kValueColumn + static_cast<int>(i);
    r.value = s.column_is_null(column) ? std::numeric_limits<double>::quiet_NaN() : s.column_double(column);
    r.received_at_ms = s.column_int(2);
    r.measured_at_ms = s.column_int(3);
    r.source = s.column_text(4);
    r.valid = s.column_int(6) != 0;
    r.status = s.column_text(7);
    row.context = context;
  }
  return (kinds >> kKindsPerSet) != 0 ? 1 : 0;
}

bool migrate_readings_to_sets(sqlite::Connection& db) {
  if (db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'observation_sets'") >
      0) {
    return false;
  }
  db.exec(table_sql());
  {
    SetWriter writer(db);
    sqlite::Statement old(db, "SELECT " + reading_columns(kFirstObservationSetVersion - 1) +
                                  " FROM readings WHERE id > ?1 ORDER BY id LIMIT 4096");
    // In chunks, so memory stays bounded however long the history; a set cut at a chunk's
    // edge becomes two rows, which reads back the same.
    std::vector<StoredReading> rows;
    std::vector<PendingSet> sets;
    std::int64_t after = 0;
    do {
      rows.clear();
      sets.clear();
      sqlite::ResetGuard guard(old);
      old.bind(1, after);
      while (old.step()) {
        after = old.column_int(0);
        StoredReading& row = rows.emplace_back();
        // Every build wrote VitalKind names only; anything else is refused, not dropped.
        if (!read_reading_row(old, row)) {
          throw sqlite::Error(
              SQLITE_ERROR, "readings row " + std::to_string(after) + " has a kind this build does not know");
        }
      }
      // A set keeps consecutive ids in kind order: a gap in the ids (none in a file Vigil
      // wrote) or a kind out of order starts the next set, and each set keeps its first id.
      std::vector<std::uint64_t> first_ids;
      const StoredReading* previous = nullptr;
      for (const StoredReading& row : rows) {
        if (previous && row.id != previous->id + 1) sets.emplace_back();
        add_to_sets(row.reading, row.context ? &*row.context : nullptr, sets, true);
        if (first_ids.size() < sets.size()) first_ids.push_back(row.id);
        previous = &row;
      }
      for (std::size_t i = 0; i < sets.size(); ++i) writer.insert(sets[i], first_ids[i]);
    } while (!rows.empty());
  }
  // The triggers go with the table; the view takes its name so ad-hoc SQL reads as before.
  db.exec("DROP TABLE readings");
  db.exec(view_sql());
  return true;
}

}  // namespace vigil::store
