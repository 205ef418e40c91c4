#include "intellivue/poll_assembler.hpp"

#include <iterator>
#include <utility>

namespace vigil::intellivue {

void PollResultAssembler::reset() {
  pending_.reset();
  parts_ = 0;
}

bool PollResultAssembler::append(PollResultPart& part) {
  ++parts_;
  if (parts_ > kMaxLinkedParts ||
      pending_->observations.size() + part.observations.size() > kMaxObservationsPerResult) {
    ++counters_.oversize_dropped;
    reset();
    return false;
  }
  pending_->observations.insert(pending_->observations.end(),
                                std::make_move_iterator(part.observations.begin()),
                                std::make_move_iterator(part.observations.end()));
  return true;
}

std::optional<PollResultPart> PollResultAssembler::add(PollResultPart part) {
  switch (part.linked) {
    case LinkedState::None: {
      if (pending_ && pending_->invoke_id == part.invoke_id) {
        if (!append(part)) return std::nullopt;
        PollResultPart done = std::move(*pending_);
        reset();
        ++counters_.results;
        return done;
      }
      if (pending_) {
        ++counters_.incomplete_dropped;
        reset();
      }
      ++counters_.results;
      return part;
    }
    case LinkedState::First:
      if (pending_) ++counters_.incomplete_dropped;
      reset();
      last_count_ = part.linked_count;
      parts_ = 1;
      ++counters_.linked_parts;
      part.linked = LinkedState::None;
      part.linked_count = 0;
      pending_ = std::move(part);
      return std::nullopt;
    case LinkedState::Middle:
    case LinkedState::Last:
      if (!pending_ || pending_->invoke_id != part.invoke_id ||
          part.linked_count != static_cast<std::uint8_t>(last_count_ + 1)) {
        ++counters_.out_of_order;
        reset();
        return std::nullopt;
      }
      last_count_ = part.linked_count;
      if (append(part)) ++counters_.linked_parts;
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace vigil::intellivue
