#pragma once
// Starts a real vigild on ephemeral ports with a temporary database, as scripts do:
// reads the `listening hl7=... stream=... [http=...]` line to learn the ports. Every system test that
// needs a vigild starts it here (plain, with a config, under a wrapper such as prlimit, or on
// a given stream port), so "up" means the same thing everywhere.

#include <memory>
#include <optional>
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

struct VigildOptions {
  std::string db;
  std::string hl7_listen = "127.0.0.1:0";
  std::string stream_listen = "127.0.0.1:0";
  // Ephemeral too: the default port (7421) would be shared by every test's daemon. Empty:
  // no --http-listen flag (vigild's default).
  std::string http_listen = "127.0.0.1:0";
  std::vector<std::string> extra_args;  // appended (e.g. {"--config", path})
  std::vector<std::string> run_under;   // put in front (e.g. {"/usr/bin/prlimit", "--nofile=48:48"})

  // The defaults on `db_path`, with `extra_args`; set the rest by name.
  static VigildOptions on(const std::string& db_path, std::vector<std::string> extra_args = {});
};

class Vigild {
 public:
  // Extra args are appended (e.g. {"--config", path}). Throws if it does not come up.
  explicit Vigild(const std::string& db_path, std::vector<std::string> extra_args = {});
  explicit Vigild(VigildOptions options);
  Endpoint hl7;
  Endpoint stream;
  Endpoint http;      // port 0 when the line had no http= (the default port was taken)
  Endpoint discover;  // --intellivue-discover's UDP address; port 0 when off
  ChildProcess& process() { return *process_; }
  int stop();  // SIGTERM, returns the exit code
  // kill -9 (a crash: nothing flushed, no goodbye to clients), then the exit status
  // (128 + SIGKILL once it is gone; nullopt when it did not die within 20 s).
  std::optional<int> kill_hard();

 private:
  std::unique_ptr<ChildProcess> process_;
};

// Parses "listening hl7=H:P stream=H:P[ http=H:P][ discover=H:P]"; false if the line is not that.
bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream);
// The same, with the http= address (left as is when the line has none).
bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream, Endpoint& http);
// The same, with the discover= address (IntelliVue discovery, UDP) when the line has one.
bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream, Endpoint& http,
                          Endpoint& discover);

// True for the `{"type":"hello",...}` line `vigilctl watch` prints once it is connected (and
// again after each reconnect): what a test waits for before it makes vigild do anything.
bool is_hello_line(const std::string& line);

}  // namespace vigil::test
