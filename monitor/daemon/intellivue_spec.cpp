#include "daemon/intellivue_spec.hpp"

#include <set>
#include <string_view>

#include "daemon/chair_name.hpp"
#include "daemon/settings.hpp"
#include "net/host_port.hpp"
#include "text/utf8.hpp"

namespace vigil::daemon {

namespace {
std::string_view iv_trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

void check_intellivue_spec(const IntelliVueSpec& spec, const std::string& origin) {
  if (spec.bed.empty()) throw ConfigError(origin + ": the chair name (BED before '=') is empty");
  if (spec.host.empty()) throw ConfigError(origin + ": the monitor's host is empty");
  if (auto problem = chair_name_problem(spec.bed)) throw ConfigError(origin + ": " + *problem);
  if (!is_valid_utf8(spec.host)) throw ConfigError(origin + ": the host is not valid UTF-8");
  if (spec.port == 0) throw ConfigError(origin + ": port 0 (the monitor's Data Export port is 24105)");
}

IntelliVueSpec parse_intellivue_spec(const std::string& text) {
  const std::string origin = "--intellivue '" + text + "'";
  const auto eq = text.find('=');
  if (eq == std::string::npos) throw ConfigError(origin + ": missing '=' (expected BED=HOST[:PORT])");
  IntelliVueSpec spec;
  // The chair name as written: check_intellivue_spec refuses " C7", as --serial does.
  spec.bed = text.substr(0, eq);
  const std::string_view where = iv_trim(std::string_view(text).substr(eq + 1));
  const bool has_port = where.find(':') != std::string_view::npos &&
                        (where.front() == '[' || where.find(':') == where.rfind(':'));
  if (has_port) {
    const auto hp = net::parse_host_port(where);
    if (!hp) throw ConfigError(origin + ": expected HOST[:PORT] with PORT 1..65535 ([addr]:PORT for IPv6)");
    spec.host = hp->first;
    spec.port = hp->second;
  } else {
    spec.host = std::string(where);  // a name, an IPv4 address or a bare IPv6 literal
  }
  check_intellivue_spec(spec, origin);
  return spec;
}

void check_intellivue_specs_unique(const std::vector<IntelliVueSpec>& specs) {
  std::set<std::string> beds, addresses;
  for (const auto& spec : specs) {
    if (!addresses.insert(spec.host + ":" + std::to_string(spec.port)).second)
      throw ConfigError("intellivue: monitor " + spec.host + ":" + std::to_string(spec.port) +
                        " is given twice");
    if (!beds.insert(spec.bed).second)
      throw ConfigError("intellivue: chair " + spec.bed + " has two IntelliVue monitors");
  }
}

std::string to_string(const IntelliVueSpec& spec) {
  return spec.bed + "=" + spec.host + ":" + std::to_string(spec.port);
}

}  // namespace vigil::daemon
