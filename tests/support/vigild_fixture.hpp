#pragma once
// Starts a real vigild on ephemeral ports with a temporary database, as scripts do:
// reads the `listening hl7=... stream=...` line to learn the ports.

#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace vigil::test {

std::string bin(const std::string& program);  // path in build/bin

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string str() const { return host + ":" + std::to_string(port); }
};

class Vigild {
 public:
  // Extra args are appended (e.g. {"--config", path}). Throws if it does not come up.
  explicit Vigild(const std::string& db_path, std::vector<std::string> extra_args = {});
  Endpoint hl7;
  Endpoint stream;
  ChildProcess& process() { return *process_; }
  int stop();  // SIGTERM, returns the exit code

 private:
  std::unique_ptr<ChildProcess> process_;
};

// Parses "listening hl7=H:P stream=H:P"; false if the line is not that.
bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream);

}  // namespace vigil::test
