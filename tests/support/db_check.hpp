#pragma once
// SQLite's own verdict on a database file vigild wrote, for system tests that kill or
// restart it.

#include <string>

namespace vigil::test {

// "ok", or SQLite's list of problems (PRAGMA integrity_check), or why the file did not open.
std::string sqlite_integrity_check(const std::string& path);

}  // namespace vigil::test
