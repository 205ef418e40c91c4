#include "hl7/device_identity.hpp"

#include "hl7/byte_scan.hpp"
#include "hl7/message.hpp"

namespace vigil::hl7 {

const std::string& DeviceIdentity::bed_key() const {
  if (!location.empty()) return location;
  if (!equipment_id.empty()) return equipment_id;
  if (!sending_application.empty()) return sending_application;
  return sending_facility;
}

const std::string& DeviceIdentity::source() const {
  if (!equipment_id.empty()) return equipment_id;
  if (!sending_application.empty()) return sending_application;
  return sending_facility;
}

std::string location_name(std::string_view pl_field, const Delimiters& d) {
  std::string name;
  assign_location_name(name, pl_field, d);
  return name;
}

void assign_location_name(std::string& name, std::string_view pl_field, const Delimiters& d) {
  const std::string_view first = repetition(pl_field, 1, d);
  name.clear();
  std::size_t begin = 0;
  while (begin <= first.size()) {
    const std::size_t end = detail::find_byte(first.data(), begin, first.size(), d.component);
    const std::string_view comp = first.substr(begin, end - begin);
    if (!comp.empty()) {
      if (!name.empty()) name.push_back('/');
      append_unescaped(name, comp, d);
    }
    begin = end + 1;
  }
}

std::string first_nonempty_component(std::string_view field, const Delimiters& d) {
  std::string out;
  assign_first_nonempty_component(out, field, d);
  return out;
}

void assign_first_nonempty_component(std::string& out, std::string_view field, const Delimiters& d) {
  const std::string_view first = repetition(field, 1, d);
  std::size_t begin = 0;
  while (begin <= first.size()) {
    const std::size_t end = detail::find_byte(first.data(), begin, first.size(), d.component);
    if (end > begin) {
      assign_unescaped(out, first.substr(begin, end - begin), d);
      return;
    }
    begin = end + 1;
  }
  out.clear();
}

void clear_identity(DeviceIdentity& identity) {
  identity.location.clear();
  identity.location_raw.clear();
  identity.equipment_id.clear();
  identity.sending_application.clear();
  identity.sending_facility.clear();
}

}  // namespace vigil::hl7
