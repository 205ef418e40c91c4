#pragma once
// Reading a config file whole, the same way in vigild and vigilctl. A directory opens as a
// stream on Linux and reads as nothing, which passed for an empty config: every default, no
// error. A device or a pipe is no file an operator can check and then have read again. So
// only a regular file (or a symbolic link to one) is a config.

#include <string>
#include <string_view>

namespace vigil {

// Why a config file gave no text.
enum class ConfigFileProblem { None, Unreadable, Directory, NotRegularFile };

struct ConfigFileText {
  ConfigFileProblem problem = ConfigFileProblem::None;
  std::string text;  // the whole file when problem is None
};

/// The whole text of the config file at `path`, or why there is none.
ConfigFileText read_config_file(const std::string& path);

/// For "config PATH: <this>": "cannot be read (check the path and permissions)", "is a
/// directory", "is not a regular file"; "" for None.
std::string_view to_string(ConfigFileProblem problem);

}  // namespace vigil
