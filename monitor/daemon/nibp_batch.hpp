#pragma once
// What the alert engine's NIBP verdicts do to a batch of readings about to be stored. The
// parts of a measurement judged implausible are stored unverified. The parts of a result the
// monitor sent again (same device, time and values) are not stored a second time.

#include <cstddef>
#include <vector>

#include "alerts/alert_engine.hpp"
#include "store/records.hpp"

namespace vigil::daemon {

class NibpBatch {
 public:
  explicit NibpBatch(store::WriteBatch& batch) : batch_(batch) {}

  // The verdicts the engine returned for reading `i`: they concern parts at or before it.
  void apply(std::size_t i, const std::vector<alerts::NibpVerdict>& verdicts);
  // Takes the resent parts out of the batch (readings and their context alike); how many.
  std::size_t drop_resent();

 private:
  store::WriteBatch& batch_;
  std::vector<bool> resent_;  // sized on the first resend only: most batches have none
};

}  // namespace vigil::daemon
