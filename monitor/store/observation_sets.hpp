#pragma once
// Readings as observation sets (schema 7): one row per message's vitals instead of one row
// per vital. A monitor sends HR, SpO2, NIBP sys/dia/mean ... together, sharing the bed, the
// source, both times, the status and the engine's context; one row holds them with one
// REAL column per VitalKind and a bit mask of the kinds present, so the shared fields and
// the one index entry are paid once per message, not once per vital.
//
// Reading ids stay per reading and keep the numbering of the per-vital table: a set of n
// readings owns the ids [set id, set id + n), its readings in VitalKind order, and the next
// set starts at set id + n. A migrated file keeps every reading's id (the migration splits
// a message whose readings were not stored in VitalKind order), and new ids follow on.
//
// Readings that do not share every field (a second value of a kind already in the set, a
// different status, time or context) start a new set: nothing is ever merged that differs.

#include <cstdint>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

inline constexpr int kFirstObservationSetVersion = 7;
inline constexpr std::uint64_t kKindsPerSet = 8;

// One set: readings[i] with context[i] (nullptr = no context), all sharing the set fields.
struct PendingSet {
  std::vector<const Reading*> readings;
  std::vector<const ReadingContext*> context;
  std::uint32_t kinds = 0;
};

// Appends `r` (with `context`, may be null) to the last set of `sets` when it shares every
// field and its kind is not there yet, else to a new set. The pointers must outlive `sets`.
// Sets hold consecutive readings, so walking the sets in order walks the readings in order.
// `kind_order`: also start a new set unless r's kind comes after every kind in the last set
// (the migration, so that reading ids and their order survive).
void add_to_sets(const Reading& r, const ReadingContext* context, std::vector<PendingSet>& sets,
                 bool kind_order = false);

// The id of the reading of `kind` in a set with row id `set_id` holding `kinds` (a mask).
std::uint64_t reading_id(std::uint64_t set_id, std::uint32_t kinds, VitalKind kind);

// Prepared INSERTs for sets and bed_kinds on one writing connection.
class SetWriter {
 public:
  explicit SetWriter(sqlite::Connection& db);
  // Inserts `set` (inside the caller's transaction) with row id `id`, or when 0 with the id
  // after the last set's readings; returns its row id. Throws sqlite::Error.
  std::uint64_t insert(const PendingSet& set, std::uint64_t id = 0);

 private:
  sqlite::Statement insert_set_;
  sqlite::Statement last_set_;
  sqlite::Statement insert_bed_kind_;
};

// Columns for expand_set_row, selected FROM observation_sets.
const std::string& set_columns();
// Appends the readings of one set row (selected with set_columns()) to `out` in VitalKind
// order; returns how many kinds it could not read (none today; bits past the 8 kinds).
std::size_t expand_set_row(const sqlite::Statement& s, std::vector<StoredReading>& out);

// Schema 6 -> 7, inside ensure_schema's transaction: creates observation_sets (one index)
// and bed_kinds, copies every row of the per-vital `readings` table into sets (grouped as
// the writer groups a batch), drops that table with its triggers and indexes, and creates
// a `readings` view in its place (the per-vital shape for ad-hoc SQL; Vigil's own queries
// read the sets). Throws sqlite::Error; a kind this build does not know is refused.
// Returns false, changing nothing, when observation_sets is there already (a file whose
// user_version was set back by hand or a tool).
bool migrate_readings_to_sets(sqlite::Connection& db);

}  // namespace vigil::store
