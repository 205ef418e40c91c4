#include "daemon/serial_spec.hpp"

#include <charconv>
#include <set>
#include <string_view>

#include "daemon/chair_name.hpp"
#include "daemon/serial_port_transport.hpp"
#include "daemon/settings.hpp"
#include "text/utf8.hpp"

namespace vigil::daemon {

namespace {

constexpr std::string_view kAllowedBauds = "9600, 19200, 38400, 57600, 115200";
constexpr std::string_view kProtocols = "datex-s5, intellivue";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void fail(const std::string& origin, const std::string& problem) {
  throw ConfigError(origin + ": " + problem);
}

unsigned parse_baud(std::string_view text, const std::string& origin) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    fail(origin,
         "baud '" + std::string(text) + "' is not a number (allowed: " + std::string(kAllowedBauds) + ")");
  }
  return value;
}

}  // namespace

unsigned default_baud(const std::string& protocol) {
  return protocol == kSerialProtocolIntelliVue ? 115200 : 19200;
}

void check_serial_spec(const SerialSpec& spec, const std::string& origin) {
  if (spec.bed.empty()) fail(origin, "the chair name (BED before '=') is empty");
  if (spec.device.empty()) fail(origin, "the device path (after '=') is empty");
  // Both end up in protobuf strings and the store (the chair, the reading's source).
  if (auto problem = chair_name_problem(spec.bed)) fail(origin, *problem);
  if (!is_valid_utf8(spec.device)) fail(origin, "the device path is not valid UTF-8");
  if (!transport::is_supported_baud(spec.baud)) {
    fail(origin, "baud " + std::to_string(spec.baud) +
                     " is not supported (allowed: " + std::string(kAllowedBauds) + ")");
  }
  if (spec.protocol != kSerialProtocolS5 && spec.protocol != kSerialProtocolIntelliVue) {
    fail(origin, "unknown protocol '" + spec.protocol + "' (known: " + std::string(kProtocols) + ")");
  }
}

SerialSpec parse_serial_spec(const std::string& text) {
  const std::string origin = "--serial '" + text + "'";
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    fail(origin, "missing '=' (expected BED=DEVICE[,baud=N][,protocol=datex-s5|intellivue])");
  SerialSpec spec;
  // The chair name as written: check_serial_spec refuses " C5" as the config file's
  // beds { chair } does, where trimming it would make it quietly another name.
  spec.bed = text.substr(0, eq);

  std::string_view rest = std::string_view(text).substr(eq + 1);
  bool first = true, saw_baud = false, saw_protocol = false;
  while (true) {
    const auto comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    if (first) {
      spec.device = std::string(part);
      first = false;
    } else {
      const auto part_eq = part.find('=');
      if (part_eq == std::string_view::npos) {
        fail(origin, "option '" + std::string(part) + "' is not KEY=VALUE (keys: baud, protocol)");
      }
      std::string_view key = trim(part.substr(0, part_eq));
      std::string_view value = trim(part.substr(part_eq + 1));
      if (key == "baud") {
        if (saw_baud) fail(origin, "baud given twice");
        saw_baud = true;
        spec.baud = parse_baud(value, origin);
      } else if (key == "protocol") {
        if (saw_protocol) fail(origin, "protocol given twice");
        saw_protocol = true;
        spec.protocol = std::string(value);
      } else {
        fail(origin, "unknown option '" + std::string(key) + "' (keys: baud, protocol)");
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!saw_baud) spec.baud = default_baud(spec.protocol);
  check_serial_spec(spec, origin);
  return spec;
}

void check_serial_specs_unique(const std::vector<SerialSpec>& specs) {
  std::set<std::string> beds, devices;
  for (const auto& spec : specs) {
    if (!devices.insert(spec.device).second)
      throw ConfigError("serial: device " + spec.device + " is given twice");
    if (!beds.insert(spec.bed).second)
      throw ConfigError("serial: chair " + spec.bed + " has two serial monitors");
  }
}

std::string to_string(const SerialSpec& spec) {
  return spec.bed + "=" + spec.device + ",baud=" + std::to_string(spec.baud) + ",protocol=" + spec.protocol;
}

}  // namespace vigil::daemon
