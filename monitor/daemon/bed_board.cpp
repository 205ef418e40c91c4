#include "daemon/bed_board.hpp"

#include "common/proto_convert.hpp"

namespace vigil::daemon {

std::int64_t age_since(WallMillis now, WallMillis received_at) {
  // Both are on the daemon's clock, but a host clock step back can still put now before a
  // receipt: an age is never negative (and never overflows on a corrupt stored value).
  std::int64_t age = 0;
  if (__builtin_sub_overflow(now, received_at, &age) || age < 0) return 0;
  return age;
}

void BedBoard::update(const proto::Reading& reading) {
  auto kind = from_proto(reading.kind());
  if (!kind) return;
  Bed& bed = beds_[reading.bed()];
  if (reading.received_at_ms() > bed.last_seen_ms) {
    bed.last_seen_ms = reading.received_at_ms();
    bed.source = reading.source();
  }
  // A withdrawal ends the values it takes back (same device and time; a NIBP part its whole
  // measurement, as the engine judges it) and is never one.
  if (reading.withdrawn()) {
    for (const VitalKind k : kAllVitalKinds) {
      auto& taken = bed.latest[static_cast<std::size_t>(k)];
      if (withdrawal_takes(*kind, k) && taken && taken->measured_at_ms() == reading.measured_at_ms() &&
          taken->source() == reading.source())
        taken.reset();
    }
    return;
  }
  auto& slot = bed.latest[static_cast<std::size_t>(*kind)];
  // A late reading (a backlog) is history: the chair's current value stays the one before.
  if (reading.late()) return;
  // Vigil's clock decides what is current, never the device's: a monitor whose clock runs
  // hours ahead must not pin its reading as "newest" over everything that arrives later.
  if (slot && slot->received_at_ms() > reading.received_at_ms()) return;
  slot = reading;
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

void BedBoard::forget(const std::string& bed) {
  beds_.erase(bed);
  std::erase_if(devices_, [&](const auto& entry) { return entry.first.first == bed; });
}

void BedBoard::set_device(const proto::DeviceStatus& status) {
  devices_[{status.bed(), status.source()}] = status;
}

void BedBoard::add_devices(std::vector<proto::BedState>& beds) const {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < beds.size(); ++i) index[beds[i].bed()] = i;
  for (const auto& [key, status] : devices_) {
    auto it = index.find(key.first);
    if (it == index.end()) {
      it = index.emplace(key.first, beds.size()).first;
      beds.emplace_back().set_bed(key.first);
    }
    *beds[it->second].add_devices() = status;
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
      *r = *slot;
      r->set_age_ms(age_since(now, slot->received_at_ms()));
    }
  }
  return out;
}

}  // namespace vigil::daemon
