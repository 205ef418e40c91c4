#include "common/config_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil {

ConfigFileText read_config_file(const std::string& path) {
  // status() follows links: /etc/vigil/vigild.conf may link to the clinic's own file. A path
  // it cannot look at (missing, no permission) is left to the open below to report.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status)) return {ConfigFileProblem::Directory, {}};
  if (!ec && !std::filesystem::is_regular_file(status)) return {ConfigFileProblem::NotRegularFile, {}};
  std::ifstream in(path);
  if (!in) return {ConfigFileProblem::Unreadable, {}};
  std::ostringstream text;
  text << in.rdbuf();  // an empty file copies nothing: an empty config, all defaults
  return {ConfigFileProblem::None, text.str()};
}

std::string_view to_string(ConfigFileProblem problem) {
  switch (problem) {
    case ConfigFileProblem::None: break;
    case ConfigFileProblem::Unreadable: return "cannot be read (check the path and permissions)";
    case ConfigFileProblem::Directory: return "is a directory";
    case ConfigFileProblem::NotRegularFile: return "is not a regular file";
  }
  return "";
}

}  // namespace vigil
