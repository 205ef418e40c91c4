#pragma once
// Which database vigilctl reads when --db is not given: the installed vigild's. The db: of
// its config (/etc/vigil/vigild.conf, or --config FILE / VIGIL_CONFIG), else the packaged
// default /var/lib/vigil/vigil.db. So on the clinic's server `vigilctl readings` just works,
// and anywhere else the error says which file was tried and how to name another.

#include <stdexcept>
#include <string>

namespace vigil::ctl {

// --db's help on every command that reads the database.
inline constexpr const char* kDbHelp =
    "vigild's database file (default: the db: of /etc/vigil/vigild.conf, else /var/lib/vigil/vigil.db)";

// Where the package puts things; tests pass their own.
struct InstalledPaths {
  std::string config = "/etc/vigil/vigild.conf";
  std::string db = "/var/lib/vigil/vigil.db";
};

// The choice and where it came from, for the error when the file is missing.
struct DefaultDb {
  std::string path;
  std::string origin;  // "the db: of /etc/vigil/vigild.conf", "the installed default"
};

// A config that was named (or exists) but cannot be read or parsed; what() is one line.
struct DefaultDbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `config`: --config or VIGIL_CONFIG, "" when neither was given (then installed.config if
// that file exists). A named config must exist. Throws DefaultDbError.
DefaultDb default_db(const std::string& config, const InstalledPaths& installed = {});

// The one-line error for a default database that does not exist: the path, its origin and
// how to give another ("pass --db FILE").
std::string missing_db_message(const DefaultDb& choice);

}  // namespace vigil::ctl
