#include "ctl/default_db.hpp"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <filesystem>

#include "common/config_file.hpp"
#include "config.pb.h"

namespace vigil::ctl {

namespace {

// Keeps the first parse error for our one-line message (protobuf would log every error to
// stderr on its own).
class FirstConfigError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (text.empty())
      text = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": " + message;
  }
  void AddWarning(int, int, const std::string&) override {}
  std::string text;
};

std::string db_of_config(const std::string& path) {
  const ConfigFileText file = read_config_file(path);
  if (file.problem != ConfigFileProblem::None)
    throw DefaultDbError("config " + path + ": " + std::string(to_string(file.problem)) +
                         ", or pass --db FILE");
  proto::DaemonConfig config;
  FirstConfigError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(file.text, &config))
    throw DefaultDbError("config " + path + ": " + errors.text + " (vigild --check-config --config " + path +
                         " checks it), or pass --db FILE");
  return config.db();
}

}  // namespace

DefaultDb default_db(const std::string& config, const InstalledPaths& installed) {
  std::string path = config;
  if (path.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(installed.config, ec)) return {installed.db, "the installed default"};
    path = installed.config;
  }
  std::string db = db_of_config(path);
  // vigild's own default when the config has no db: (relative to where it runs).
  if (db.empty()) return {"vigil.db", "vigild's default, " + path + " has no db:"};
  return {db, "the db: of " + path};
}

std::string missing_db_message(const DefaultDb& choice) {
  return "no database at " + choice.path + " (" + choice.origin +
         "); pass --db FILE (or --config FILE / VIGIL_CONFIG for another vigild.conf)";
}

}  // namespace vigil::ctl
