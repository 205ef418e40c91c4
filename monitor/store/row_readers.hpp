#pragma once
// The SELECT column lists of the read side and the decoders that turn one row into a
// record, shared by the reading, log and timeline queries so each table is read one way.

#include <cstdint>
#include <string>

#include "events.pb.h"
#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

// Columns for read_reading_row, for a file of schema `version` (a version-1 file has no
// context columns: NULLs stand in for them).
std::string reading_columns(std::int64_t version);
// Maps one row selected with reading_columns; false when the kind is unknown to this build.
bool read_reading_row(const sqlite::Statement& s, StoredReading& out);

// The text columns hold the vocabulary's words (proto/vocabulary.proto); the readers below
// are where they become values again, and the only place (a word this build does not know
// reads as "not set").

// Columns for read_alert_row (alert_log, schema 2 and later; metric and direction NULL
// before schema 6).
std::string alert_columns(std::int64_t version);
// Maps one alert_log row; log_id is the row id.
void read_alert_row(const sqlite::Statement& s, proto::AlertEvent& out);

// Columns for read_session_row (session_log, schema 2 and later).
extern const char* const kSessionColumns;
// Maps one session_log row; the state blob is decoded into `session`, its text-era fields
// (phase, baseline source, action names; proto/legacy_records.proto) mapped to the
// vocabulary. A blob that does not decode leaves a session holding only the bed, id and
// phase columns.
void read_session_row(const sqlite::Statement& s, proto::SessionEvent& out);

}  // namespace vigil::store
