// vigilctl devices: the IntelliVue monitors vigild heard announcing themselves (Connect
// Indications on its --intellivue-discover port), with the --intellivue line for each, so a
// biomedical engineer can find a monitor's address without a packet capture.
//
// One read-only request over the stream (NurseRequest.list_devices): any viewer may ask.
// Exit codes: 0 listed (even none), 1 vigild unreachable or discovery off, 2 bad arguments.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "common/json_lines.hpp"
#include "common/wall_time.hpp"
#include "ctl/nurse_commands.hpp"

namespace vigil::ctl {

namespace {

struct DevicesArgs {
  NurseArgs link;
  std::string format = "text";
};

std::string devices_cell(std::string text, std::size_t width) {
  if (text.size() > width) text.resize(width);
  return text + std::string(width - text.size() + 2, ' ');
}

void print_devices_text(const proto::RequestResult& result) {
  if (result.monitors_size() == 0) {
    std::cout << "no IntelliVue monitor heard yet (monitors announce every few seconds while Data Export "
                 "is on)\n";
    return;
  }
  std::cout << devices_cell("ADDRESS", 21) << devices_cell("MODEL", 26) << devices_cell("MAC", 17)
            << devices_cell("HEARD", 6) << devices_cell("LAST (UTC)", 24) << "USE\n";
  for (const proto::DiscoveredMonitor& m : result.monitors()) {
    const std::string at = m.address() + ":" + std::to_string(m.port());
    const std::string use =
        m.configured_bed().empty() ? "--intellivue BED=" + at : "monitored as " + m.configured_bed();
    std::cout << devices_cell(at, 21) << devices_cell(m.model().empty() ? "-" : m.model(), 26)
              << devices_cell(m.mac().empty() ? "-" : m.mac(), 17)
              << devices_cell(std::to_string(m.count()), 6)
              << devices_cell(format_rfc3339(m.last_seen_ms()), 24) << use << '\n';
  }
}

int run_devices(const DevicesArgs& args) {
  if (args.format != "text" && args.format != "jsonl") {
    std::cerr << "vigilctl: devices: --format must be text or jsonl\n";
    return 2;
  }
  proto::NurseRequest request;
  request.mutable_list_devices();
  return send_stream_request(args.link, request, [&args](const proto::RequestResult& result) {
    if (!result.ok()) {
      std::cerr << "vigilctl: devices: " << result.reason() << "\n";
      return 1;
    }
    if (args.format == "jsonl") {
      for (const proto::DiscoveredMonitor& m : result.monitors()) std::cout << to_json_line(m) << '\n';
      std::cout << std::flush;
    } else {
      print_devices_text(result);
    }
    return 0;
  });
}

}  // namespace

std::function<std::optional<int>()> add_devices(
    CLI::App& app, const std::function<void(CLI::App*, net::LinkSecurity&)>& link_flags) {
  auto args = std::make_shared<DevicesArgs>();
  const char* user = std::getenv("USER");
  args->link.user = user && *user ? user : "vigilctl";
  auto* cmd = app.add_subcommand(
      "devices",
      "List the Philips IntelliVue monitors vigild heard announcing (needs vigild --intellivue-discover), "
      "with the --intellivue line for each");
  link_flags(cmd, args->link.security);
  cmd->add_option("--connect", args->link.connect, "vigild stream address HOST:PORT")->capture_default_str();
  cmd->add_option("--format", args->format, "text (a table) or jsonl (one monitor per line)")
      ->capture_default_str();
  return [cmd, args]() -> std::optional<int> {
    if (!*cmd) return std::nullopt;
    return run_devices(*args);
  };
}

}  // namespace vigil::ctl
