#pragma once
// Reassembles linked Poll Data Results. A result too large for one message arrives as
// ROLRS parts (RorlsId.state FIRST, NOT_FIRST_NOT_LAST..., LAST; RorlsId.count 1, 2, ...)
// followed by one RORS with the same invoke id that closes it (PIPG "Remote Operation
// Linked Result": "RORLS_LAST: last RORLSapdu, one RORSapdu to follow").
//
//   RORS, nothing pending            -> that result, complete
//   ROLRS FIRST                      -> start pending (a pending one is dropped: incomplete)
//   ROLRS MIDDLE/LAST, next count    -> append
//   ROLRS MIDDLE/LAST, anything else -> drop pending and part (out_of_order)
//   RORS, same invoke id as pending  -> append, complete
//   RORS, other invoke id            -> drop pending (incomplete); this result, complete
//
// Bounds: at most kMaxLinkedParts parts and kMaxObservationsPerResult observations per
// result; a result that grows past either is dropped whole (oversize).
// Threading: none; one assembler per association.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "intellivue/messages.hpp"

namespace vigil::intellivue {

inline constexpr std::size_t kMaxLinkedParts = 64;

struct PollAssemblerCounters {
  std::uint64_t results = 0;             // complete results handed out
  std::uint64_t linked_parts = 0;        // ROLRS parts accepted
  std::uint64_t incomplete_dropped = 0;  // a pending result never closed
  std::uint64_t out_of_order = 0;        // a part that did not continue the pending result
  std::uint64_t oversize_dropped = 0;    // past kMaxLinkedParts or kMaxObservationsPerResult
};

class PollResultAssembler {
 public:
  /// Takes one decoded part; returns the complete result it finishes, if any. The result's
  /// `linked` is None and its observations are every part's, in arrival order.
  std::optional<PollResultPart> add(PollResultPart part);

  const PollAssemblerCounters& counters() const { return counters_; }
  /// Forgets a pending result (e.g. after the association ended). Counters are kept.
  void reset();

 private:
  bool append(PollResultPart& part);  // false: oversize, pending dropped

  std::optional<PollResultPart> pending_;
  std::uint8_t last_count_ = 0;
  std::size_t parts_ = 0;
  PollAssemblerCounters counters_;
};

}  // namespace vigil::intellivue
