#include "daemon/bed_board.hpp"

#include "common/proto_convert.hpp"

namespace vigil::daemon {

void BedBoard::update(const proto::Reading& reading) {
  auto kind = from_proto(reading.kind());
  if (!kind) return;
  Bed& bed = beds_[reading.bed()];
  auto& slot = bed.latest[static_cast<std::size_t>(*kind)];
  if (slot && slot->measured_at_ms() > reading.measured_at_ms()) return;
  slot = reading;
  if (reading.received_at_ms() > bed.last_seen_ms) {
    bed.last_seen_ms = reading.received_at_ms();
    bed.source = reading.source();
  }
}

void BedBoard::touch(const std::string& bed_name, const std::string& source, WallMillis at) {
  Bed& bed = beds_[bed_name];
  if (at >= bed.last_seen_ms) {
    bed.last_seen_ms = at;
    bed.source = source;
  }
}

std::vector<std::pair<std::string, std::string>> BedBoard::idle_since(WallMillis before) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, bed] : beds_) {
    if (bed.last_seen_ms < before) out.emplace_back(name, bed.source);
  }
  return out;
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
      *r = *slot;
      r->set_age_ms(now - slot->measured_at_ms());
    }
  }
  return out;
}

}  // namespace vigil::daemon
