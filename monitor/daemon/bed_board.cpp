#include "daemon/bed_board.hpp"

#include "common/proto_convert.hpp"

namespace vigil::daemon {

void BedBoard::update(const Reading& reading, std::uint64_t id) {
  Bed& bed = beds_[reading.bed];
  auto& slot = bed.latest[static_cast<std::size_t>(reading.kind)];
  if (slot && slot->reading.measured_at_ms > reading.measured_at_ms) return;
  slot = Latest{reading, id};
  if (reading.received_at_ms > bed.last_seen_ms) {
    bed.last_seen_ms = reading.received_at_ms;
    bed.source = reading.source;
  }
}

void BedBoard::touch(const std::string& bed_name, const std::string& source, WallMillis at) {
  Bed& bed = beds_[bed_name];
  if (at >= bed.last_seen_ms) {
    bed.last_seen_ms = at;
    bed.source = source;
  }
}

std::vector<proto::BedState> BedBoard::snapshot(WallMillis now) const {
  std::vector<proto::BedState> out;
  out.reserve(beds_.size());
  for (const auto& [name, bed] : beds_) {
    proto::BedState& state = out.emplace_back();
    state.set_bed(name);
    state.set_last_seen_ms(bed.last_seen_ms);
    state.set_source(bed.source);
    for (const auto& slot : bed.latest) {
      if (!slot) continue;
      proto::Reading* r = state.add_latest();
      *r = to_proto(slot->reading, slot->id);
      r->set_age_ms(now - slot->reading.measured_at_ms);
    }
  }
  return out;
}

}  // namespace vigil::daemon
