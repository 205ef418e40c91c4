#pragma once
// What the store takes in and hands back. Readings are plain structs; the alert and session
// logs store exactly the protobuf messages the daemon streams (proto/events.proto), so the
// log and the stream can never disagree about a field.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "events.pb.h"
#include "reading/reading.hpp"
#include "store/outbox.hpp"

namespace vigil::store {

// Opening, creating or reading the database failed. what() is one line naming the path
// and the reason ("cannot open database /var/lib/vigil/vigil.db: No such file or directory").
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
  // what() becomes "<action> <path>: <reason>"; path() and reason() keep the parts so a
  // command line tool can word its own message.
  StoreError(const std::string& action, std::string path, std::string reason)
      : std::runtime_error(action + " " + path + ": " + reason),
        path_(std::move(path)),
        reason_(std::move(reason)) {}
  const std::string& path() const { return path_; }
  // The reason alone; falls back to what() when built from a single message.
  std::string reason() const { return reason_.empty() ? what() : reason_; }

 private:
  std::string path_;
  std::string reason_;
};

// What the alert engine knew about a reading when it was logged (alarms.md: "every reading
// with phase, baseline and verified flag").
struct ReadingContext {
  bool verified = true;                              // false: a plausibility rule (T5) marked it unverified
  proto::Phase phase = proto::PHASE_UNSET;           // session phase then (stored as its word)
  std::optional<double> baseline_sys, baseline_dia;  // mmHg, when a baseline existed
  std::string session_id;                            // "" when the chair had no session
  // An old result sent again (alerts/late_readings.hpp): stored unverified, never shown
  // as current. Not a column of its own: `verified` 2 (observation_sets.cpp).
  bool late = false;
};

// A rule-profile change or other configuration record (config_log). The daemon writes one
// per profile loaded at start-up, `detail` holding the profile in text form.
struct ConfigRecord {
  WallMillis at_ms = 0;
  std::string what;  // e.g. "profile default loaded"
  std::string detail;
};

// Everything one received message (or one engine step) produces, written in one go: all of
// it or none. To store a new kind of record: add a vector here, a prepared statement and a
// loop in BatchWriter (batch_writer.cpp), and a table in schema.cpp.
struct WriteBatch {
  std::vector<Reading> readings;
  // Parallel to `readings`; empty means "not known" (stored as NULLs). Entries past the end
  // of a shorter vector are treated as unknown too, never as an error.
  std::vector<ReadingContext> reading_context;
  std::vector<UnmappedObservation> unmapped;
  std::vector<proto::AlertEvent> alerts;  // log_id is ignored: the row id is assigned here
  // Parallel to `alerts` (AlertEvent has no session id); empty or short means "".
  std::vector<std::string> alert_session_ids;
  std::vector<proto::SessionEvent> sessions;  // log_id ignored, like alerts
  std::vector<ConfigRecord> config;
  // Escalation steps (escalation_log, schema 9); announced on the stream after the commit.
  std::vector<proto::EscalationEvent> escalations;
  // Forwarding (outbox.hpp): messages mirroring this batch's records, written in the same
  // transaction; state changes from the forwarder; an occasional trim to the bounds.
  std::vector<OutboxEntry> outbox;
  std::vector<OutboxUpdate> outbox_updates;
  std::optional<OutboxTrim> outbox_trim;
  // True when there is nothing to write.
  bool empty() const {
    return readings.empty() && unmapped.empty() && alerts.empty() && sessions.empty() && config.empty() &&
           escalations.empty() && outbox.empty() && outbox_updates.empty() && !outbox_trim;
  }
};

// How a submitted batch ended, handed to its done() callback. The id vectors are empty
// when !ok.
struct WriteOutcome {
  bool ok = true;
  std::string error;                       // set when !ok
  std::vector<std::uint64_t> reading_ids;  // row ids, same order as batch.readings
  std::vector<std::uint64_t> alert_ids;    // alert_log row ids, same order as batch.alerts
  std::vector<std::uint64_t> session_ids;  // session_log row ids, same order as batch.sessions
  OutboxTrimResult outbox_trimmed;         // when batch.outbox_trim was set
};

// A reading as read back, with its row id.
struct StoredReading {
  std::uint64_t id = 0;
  Reading reading;
  // Absent for rows written without context (schema 1 files, or batches that left
  // reading_context empty).
  std::optional<ReadingContext> context;
};

}  // namespace vigil::store
