#include "daemon/settings.hpp"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <sstream>

#include "client/host_port.hpp"
#include "config.pb.h"

namespace vigil::daemon {

ListenAddress parse_listen_address(const std::string& text, const std::string& what) {
  auto parsed = client::parse_host_port(text);
  if (!parsed) {
    throw ConfigError(what + ": '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:2575; port 0 picks one)");
  }
  return ListenAddress{parsed->first, parsed->second};
}

namespace {

// Collects the first error with its line and column so the operator sees where it is.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!message_.empty()) return;
    std::ostringstream out;
    out << "line " << (line + 1) << ", column " << (column + 1) << ": " << message;
    message_ = out.str();
  }
  void AddWarning(int, int, const std::string&) override {}
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace

void apply_config_text(const std::string& text, const std::string& origin, Settings& settings) {
  proto::DaemonConfig config;
  FirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    throw ConfigError("config " + origin + ": " +
                      (errors.message().empty() ? std::string("unreadable") : errors.message()));
  }
  if (!config.hl7_listen().empty())
    settings.hl7_listen = parse_listen_address(config.hl7_listen(), "config " + origin + ": field hl7_listen");
  if (!config.stream_listen().empty())
    settings.stream_listen =
        parse_listen_address(config.stream_listen(), "config " + origin + ": field stream_listen");
  if (!config.db().empty()) settings.db_path = config.db();
  for (int i = 0; i < config.beds_size(); ++i) {
    const auto& bed = config.beds(i);
    if (bed.match().empty() || bed.chair().empty()) {
      throw ConfigError("config " + origin + ": field beds[" + std::to_string(i) +
                        "]: both match and chair are required");
    }
    settings.bed_mappings.push_back({bed.match(), bed.chair()});
  }
  if (config.max_frame_bytes() != 0) {
    if (config.max_frame_bytes() < 1024)
      throw ConfigError("config " + origin + ": field max_frame_bytes: at least 1024");
    settings.max_frame_bytes = config.max_frame_bytes();
  }
  if (config.client_queue_bytes() != 0) {
    if (config.client_queue_bytes() < 65536)
      throw ConfigError("config " + origin + ": field client_queue_bytes: at least 65536");
    settings.client_queue_bytes = config.client_queue_bytes();
  }
  if (config.has_hl7_default_utc_offset_minutes()) {
    int off = config.hl7_default_utc_offset_minutes();
    if (off < -14 * 60 || off > 14 * 60)
      throw ConfigError("config " + origin + ": field hl7_default_utc_offset_minutes: must be within +-840");
    settings.hl7_default_utc_offset_minutes = off;
  }
}

void load_config_file(const std::string& path, Settings& settings) {
  std::ifstream in(path);
  if (!in) throw ConfigError("config " + path + ": cannot be read (check the path and permissions)");
  std::stringstream text;
  text << in.rdbuf();
  apply_config_text(text.str(), path, settings);
}

}  // namespace vigil::daemon
