#pragma once
// The latest reading of each kind for every bed, exactly as it was published, and the
// latest link state of each monitor that reports one (serial S/5): what a client sees when
// it connects. Written by the Journal only (readings after their commit, link states as
// they change).
//
// Threading: owned by the daemon's io thread; no locking.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events.pb.h"
#include "reading/reading.hpp"
#include "readings.pb.h"

namespace vigil::daemon {

// now - received_at in ms, 0 when that would be negative or overflow.
std::int64_t age_since(WallMillis now, WallMillis received_at);

class BedBoard {
 public:
  // Records a stored, published reading. What is current is decided by arrival on the
  // daemon's clock (received_at), not by the device's stamp (measured_at, kept as
  // reported): a monitor clock hours ahead cannot hide every later reading. A late reading
  // (an old result sent again, late_readings.hpp) is never current.
  void update(const proto::Reading& reading);

  // Marks that data (of any kind) arrived for a bed.
  void touch(const std::string& bed, const std::string& source, WallMillis at);

  // One BedState per bed, readings carrying age_ms = now - received_at (never negative).
  std::vector<proto::BedState> snapshot(WallMillis now) const;

  std::size_t bed_count() const { return beds_.size(); }
  bool has(const std::string& bed) const { return beds_.count(bed) != 0; }
  // Chairs whose last data arrived before `before`, with the source that sent it.
  std::vector<std::pair<std::string, std::string>> idle_since(WallMillis before) const;
  // Forgets a chair: its readings and its monitors' link states.
  void forget(const std::string& bed);

  // A monitor's link state (one per bed and source; the latest wins).
  void set_device(const proto::DeviceStatus& status);
  // Adds each chair's link states to a snapshot (a chair not listed yet is appended).
  void add_devices(std::vector<proto::BedState>& beds) const;

 private:
  struct Bed {
    std::array<std::optional<proto::Reading>, std::size(kAllVitalKinds)> latest;
    WallMillis last_seen_ms = 0;
    std::string source;
  };
  std::map<std::string, Bed> beds_;  // ordered: snapshots list chairs in a stable order
  // By (bed, source); bounded by the configured serial monitors times the chairs each named.
  std::map<std::pair<std::string, std::string>, proto::DeviceStatus> devices_;
};

}  // namespace vigil::daemon
