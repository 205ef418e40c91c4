#include "hl7/one_chair_check.hpp"

#include "hl7/escaping.hpp"

namespace vigil::hl7 {

// A patient group starts at a PID once the current group has its PID, or at a PV1 once it
// has its PV1 (a repeated PV1 keeps the patient).
void OneChairCheck::patient_segment(std::string_view value, bool pid) {
  if (groups_ == 0) {
    groups_ = 1;
  } else if (pid ? group_.pid : group_.pv1) {
    close_group();
    ++groups_;
    group_ = Group{};
    if (!pid) group_.pid3 = last_pid3_;
  }
  if (pid) {
    group_.pid = true;
    group_.pid3 = last_pid3_ = value;
  } else {
    group_.pv1 = true;
    group_.place = value;
  }
}

void OneChairCheck::equipment(std::string_view as_sent, const std::string& equipment_id) {
  if (first_equipment_.empty()) {
    first_equipment_ = as_sent;
  } else if (other_equipment_.empty() && as_sent != first_equipment_) {
    assign_unescaped(other_equipment_, as_sent, d_);
    if (other_equipment_ == equipment_id) other_equipment_.clear();  // spelt another way
  }
}

// PV1-3 as a name, "none" when it names no place (empty, blanks, "").
std::string OneChairCheck::place_text(std::string_view pl) const {
  std::string name = location_name(pl, d_);
  return name.empty() ? std::string("none") : name;
}

void OneChairCheck::close_group() {
  if (!group_.observations) return;
  if (++data_groups_ == 1) {
    first_ = group_;
    return;
  }
  if (!conflict_.empty()) return;
  // Compared as names: "^^ CG1 " and "^^CG1" are one place.
  if (location_name(first_.place, d_) != location_name(group_.place, d_)) {
    // Locations are not patient data: they are chair names and may be logged.
    conflict_ = "PV1-3 locations " + place_text(first_.place) + " and " + place_text(group_.place);
  } else if (first_.pid3 != group_.pid3) {
    conflict_ = "different PID-3 patient identifiers";  // never echoed: they identify patients
  }
}

std::string OneChairCheck::verdict(const DeviceIdentity& identity) {
  constexpr std::string_view kTail = "; one chair per message is supported; not stored";
  if (groups_ > 0) close_group();
  std::string why;
  if (!conflict_.empty()) {
    why = "message carries " + std::to_string(data_groups_) + " patient groups (" + conflict_ + ")";
  } else if (identity.location.empty() && !other_equipment_.empty()) {
    // The chair would come from the first device's id: the other device's readings
    // (another patient's, as likely as not) would land on it.
    why = "OBX-18 names different devices (" + identity.equipment_id + " and " + other_equipment_ +
          ") and PV1-3 gives no location";
  }
  if (!why.empty()) why += kTail;
  return why;
}

}  // namespace vigil::hl7
