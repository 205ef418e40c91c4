#pragma once
// The database layout, versioned with PRAGMA user_version. Tables are append-only: triggers
// refuse UPDATE and DELETE, so a record once acknowledged cannot be rewritten; from version 8
// rows leave the logs only by retention, to a monthly archive (retention_gate.hpp).

#include "store/sqlite_handle.hpp"

namespace vigil::store {

// The layout this build writes and reads. Bump it and add a migration step in schema.cpp
// when a table or column is added.
// 3: the forwarding outbox (outbox.hpp); 4: text is UTF-8; 5: unmapped_observations.reason;
// 6: alert_log.metric and .direction; 7: readings stored as observation sets
// (observation_sets.hpp), `readings` a view; 8: DELETE gated for retention
// (retention_gate.hpp).
inline constexpr int kSchemaVersion = 10;

// The first version whose alert_log says which vital an alert is about and which way it
// crossed (NULL on rows written before, and on technical alerts).
inline constexpr int kFirstAlertMetricVersion = 6;

// The first version with reading context and the alert, session and configuration logs.
// Readers accept older files read-only (they are migrated only by a writer).
inline constexpr int kFirstLogSchemaVersion = 2;

// Durability settings for the writing connection: WAL, synchronous=FULL (an HL7 AA means
// committed, even across power loss), busy timeout. Throws sqlite::Error.
void configure_writer(sqlite::Connection& db);

// Creates the tables and indexes if the database is new and migrates an older layout in
// place, in one transaction; refuses a database written by a newer build (higher
// user_version). Throws sqlite::Error.
void ensure_schema(sqlite::Connection& db);

}  // namespace vigil::store
