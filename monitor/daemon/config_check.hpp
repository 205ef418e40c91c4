#pragma once
// vigild --check-config: like `sshd -t`. Validates the effective settings (config file, then
// flags) with every check a start makes, without binding a port or opening the database for
// writing, then prints what vigild would run with.

#include <ostream>
#include <string>

#include "daemon/settings.hpp"

namespace vigil::daemon {

// The checks of a start that come after the settings are read (start_checks.hpp, the
// forwarding CA, the database: its directory, its write permission, PRAGMA quick_check on an
// existing file, read-only). Throws what a start throws: ConfigError, store::DatabaseDamaged,
// store::StoreError, with the same text.
void check_start_offline(const Settings& settings);

// The effective settings in config-file terms, one field per line (protobuf text format,
// derived defaults as comments). Stream users are listed without their token hashes.
std::string describe_settings(const Settings& settings);

}  // namespace vigil::daemon
