#pragma once
// Turns a batch about to be stored into the outbox rows that mirror it, so both commit in
// one transaction (store/outbox.hpp):
//
//   batch.readings  --one ORU^R01 per chair-->  batch.outbox
//   batch.alerts    --one ORU^R40 each------->  batch.outbox   (follow-ups name the start message)
//
// Rows are numbered here, on the io thread, in the order batches reach the store (which
// commits them in that order), so the row id is the sending order and MSH-10 can be
// "<daemon id>-<row id>" before the row exists. A batch that fails to commit leaves a gap
// in the numbering, never a reused number.
//
// Threading: io thread only.

#include <cstdint>
#include <map>
#include <string>

#include "store/records.hpp"

namespace vigil::forward {

class OutboxFiller {
 public:
  /// `last_id`: the highest outbox id ever used (store::outbox_max_id). `open_starts`:
  /// per alert still open, its start message's control id (store::outbox_open_alert_starts).
  OutboxFiller(std::string daemon_id, std::uint64_t last_id, std::map<std::string, std::string> open_starts);

  /// Appends the batch's outbox rows; `now` stamps them (MSH-7).
  void fill(store::WriteBatch& batch, WallMillis now);

  /// MSH-10 of row `id`.
  std::string control_id(std::uint64_t id) const;
  std::uint64_t last_id() const { return next_id_ - 1; }

  /// Open alerts remembered for their follow-ups; bounded (kMaxOpenAlerts).
  static constexpr std::size_t kMaxOpenAlerts = 100000;

 private:
  std::string daemon_id_;
  std::uint64_t next_id_;
  std::map<std::string, std::string> open_starts_;
};

}  // namespace vigil::forward
