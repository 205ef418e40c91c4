#include "support/vigild_fixture.hpp"

#include <signal.h>

#include <regex>
#include <stdexcept>

namespace vigil::test {

std::string bin(const std::string& program) { return std::string(VIGIL_BIN_DIR) + "/" + program; }

bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream, Endpoint& http,
                          Endpoint& discover) {
  static const std::regex re(
      R"(^listening hl7=(\S+):(\d+) stream=(\S+):(\d+)(?: http=(\S+):(\d+))?(?: discover=(\S+):(\d+))?$)");
  std::smatch m;
  if (!std::regex_match(line, m, re)) return false;
  hl7 = {m[1].str(), static_cast<std::uint16_t>(std::stoi(m[2].str()))};
  stream = {m[3].str(), static_cast<std::uint16_t>(std::stoi(m[4].str()))};
  if (m[5].matched) http = {m[5].str(), static_cast<std::uint16_t>(std::stoi(m[6].str()))};
  if (m[7].matched) discover = {m[7].str(), static_cast<std::uint16_t>(std::stoi(m[8].str()))};
  return true;
}

bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream, Endpoint& http) {
  Endpoint discover;
  return parse_listening_line(line, hl7, stream, http, discover);
}

bool parse_listening_line(const std::string& line, Endpoint& hl7, Endpoint& stream) {
  Endpoint http;
  return parse_listening_line(line, hl7, stream, http);
}

bool is_hello_line(const std::string& line) { return line.find("\"type\":\"hello\"") != std::string::npos; }

VigildOptions VigildOptions::on(const std::string& db_path, std::vector<std::string> extra_args) {
  VigildOptions options;
  options.db = db_path;
  options.extra_args = std::move(extra_args);
  return options;
}

Vigild::Vigild(const std::string& db_path, std::vector<std::string> extra_args)
    : Vigild(VigildOptions::on(db_path, std::move(extra_args))) {}

Vigild::Vigild(VigildOptions options) {
  std::vector<std::string> argv = std::move(options.run_under);
  argv.insert(argv.end(), {bin("vigild"), "--hl7-listen", options.hl7_listen, "--stream-listen",
                           options.stream_listen, "--db", options.db});
  if (!options.http_listen.empty()) argv.insert(argv.end(), {"--http-listen", options.http_listen});
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv);
  auto line = process_->read_line(std::chrono::seconds(20));
  if (!line || !parse_listening_line(*line, hl7, stream, http, discover)) {
    throw std::runtime_error("vigild did not report its ports; stderr:\n" + process_->stderr_text());
  }
}

int Vigild::stop() {
  process_->signal(SIGTERM);
  return process_->wait(std::chrono::seconds(20)).value_or(-1);
}

std::optional<int> Vigild::kill_hard() {
  process_->signal(SIGKILL);
  return process_->wait(std::chrono::seconds(20));
}

}  // namespace vigil::test
