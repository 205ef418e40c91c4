#pragma once
// What the store takes in and hands back. Plain structs: no SQLite, no protobuf.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/reading.hpp"

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

// Everything one received message produces, written in one go: all of it or none.
// To store a new kind of record (alert log, session events): add a vector here, a prepared
// statement and a loop in BatchWriter (batch_writer.cpp), and a table in schema.cpp.
struct WriteBatch {
  std::vector<Reading> readings;
  std::vector<UnmappedObservation> unmapped;
  // True when there is nothing to write.
  bool empty() const { return readings.empty() && unmapped.empty(); }
};

// How a submitted batch ended, handed to its done() callback.
struct WriteOutcome {
  bool ok = true;
  std::string error;                       // set when !ok
  std::vector<std::uint64_t> reading_ids;  // row ids, same order as batch.readings (empty when !ok)
};

// A reading as read back, with its row id.
struct StoredReading {
  std::uint64_t id = 0;
  Reading reading;
};

}  // namespace vigil::store
