#include "hl7/device_identity.hpp"

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
  const std::string_view first = repetition(pl_field, 1, d);
  std::string name;
  std::size_t begin = 0;
  while (begin <= first.size()) {
    std::size_t end = first.find(d.component, begin);
    if (end == std::string_view::npos) end = first.size();
    const std::string_view comp = first.substr(begin, end - begin);
    if (!comp.empty()) {
      if (!name.empty()) name.push_back('/');
      append_unescaped(name, comp, d);
    }
    begin = end + 1;
  }
  return name;
}

std::string first_nonempty_component(std::string_view field, const Delimiters& d) {
  const std::string_view first = repetition(field, 1, d);
  std::size_t begin = 0;
  while (begin <= first.size()) {
    std::size_t end = first.find(d.component, begin);
    if (end == std::string_view::npos) end = first.size();
    if (end > begin) return unescape(first.substr(begin, end - begin), d);
    begin = end + 1;
  }
  return {};
}

}  // namespace vigil::hl7
