#include "hl7/device_identity.hpp"

#include "hl7/byte_scan.hpp"
#include "hl7/message.hpp"

namespace vigil::hl7 {

namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

// Appends one component of a name, unescaped and without the blanks around it; false (and
// `out` as it was) when nothing is left or the component is HL7's explicit null "". A
// PV1-3 of "" or " " names no place: it must not become a chair called "" or " ", and
// " C1 " is the chair C1.
bool append_name_part(std::string& out, std::string_view comp, const Delimiters& d) {
  const std::size_t at = out.size();
  append_unescaped(out, comp, d);
  std::size_t b = at;
  std::size_t e = out.size();
  while (b < e && blank(out[b])) ++b;
  while (e > b && blank(out[e - 1])) --e;
  const std::string_view part(out.data() + b, e - b);
  if (part.empty() || part == "\"\"") {
    out.resize(at);
    return false;
  }
  out.erase(e);
  out.erase(at, b - at);
  return true;
}

}  // namespace

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

std::string_view name_component(std::string_view raw) {
  while (!raw.empty() && blank(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && blank(raw.back())) raw.remove_suffix(1);
  return raw == "\"\"" ? std::string_view() : raw;
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
    const std::size_t mark = name.size();
    if (mark != 0) name.push_back('/');
    if (!append_name_part(name, first.substr(begin, end - begin), d)) name.resize(mark);
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
  out.clear();
  std::size_t begin = 0;
  while (begin <= first.size()) {
    const std::size_t end = detail::find_byte(first.data(), begin, first.size(), d.component);
    if (append_name_part(out, first.substr(begin, end - begin), d)) return;
    begin = end + 1;
  }
}

void clear_identity(DeviceIdentity& identity) {
  identity.location.clear();
  identity.location_raw.clear();
  identity.equipment_id.clear();
  identity.sending_application.clear();
  identity.sending_facility.clear();
}

}  // namespace vigil::hl7
