#pragma once
// Whether a message's observations all belong to one chair. A message with two patient
// groups (PID/PV1 with different PID-3 or PV1-3), or whose OBX-18 name different devices
// while no PV1-3 names the place, would put another patient's readings on the first
// group's chair: ingest_message() refuses it whole (OruMapping::not_one_chair).
// A monitor and a separate oximeter under one PV1-3 location are one chair, and so is a
// gateway that repeats the same PID/PV1. A group without observations (a bare PID before
// the patient's PID/PV1) puts nothing on any chair: it neither counts nor conflicts.
//
// Fed in segment order by the ORU mapper; holds views into the message, so it lives no
// longer than the message.

#include <cstddef>
#include <string>
#include <string_view>

#include "hl7/device_identity.hpp"
#include "hl7/message.hpp"

namespace vigil::hl7 {

class OneChairCheck {
 public:
  explicit OneChairCheck(const Delimiters& d) : d_(d) {}

  /// A PID segment (its PID-3 as sent) or a PV1 segment (its PV1-3 as sent).
  void patient_segment(std::string_view value, bool pid);
  /// An OBX in the current group.
  void observation() { group_.observations = true; }
  /// An OBX-18.1 as sent; `equipment_id` the message's (the first row's, unescaped).
  void equipment(std::string_view as_sent, const std::string& equipment_id);
  /// True once a row named a device other than the first.
  bool other_device_seen() const { return !other_equipment_.empty(); }

  /// At the message's end: why it is not one chair's, or "" when it is.
  std::string verdict(const DeviceIdentity& identity);

 private:
  struct Group {
    std::string_view pid3;   // PID-3 as sent
    std::string_view place;  // PV1-3 as sent
    bool pid = false;
    bool pv1 = false;
    bool observations = false;  // an OBX came in it
  };

  std::string place_text(std::string_view pl) const;
  void close_group();

  const Delimiters& d_;
  std::size_t groups_ = 0;       // patient groups started (0: no PID nor PV1)
  std::size_t data_groups_ = 0;  // of which closed with observations
  Group first_;
  Group group_;
  std::string_view last_pid3_;
  std::string conflict_;              // how a later group differs from the first
  std::string_view first_equipment_;  // OBX-18.1 as sent, of the row that gave the equipment id
  std::string other_equipment_;       // the first OBX-18.1 naming another device (unescaped)
};

}  // namespace vigil::hl7
