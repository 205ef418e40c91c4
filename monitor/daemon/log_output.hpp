#pragma once
// Where vigild's log lines go, and how they carry their priority. On a terminal or in a file:
// "2026-12-06T10:15:00.123 info text". Under systemd with stderr connected to the journal
// (JOURNAL_STREAM names stderr's device and inode, systemd.exec(5)), each line starts with a
// syslog priority prefix ("<2>critical ALARM LOG WRITE FAILED ...", sd-daemon(3)) and carries
// no timestamp of its own: the journal stamps it, so `journalctl -p err -u vigild` finds
// every error and worse, and no line shows two times. Either way a line is one line of
// printable text, whatever a device put in the names it logs.

#include <string>
#include <string_view>

namespace vigil::daemon {

// Appends `text` as a log line carries it: control bytes (below 0x20, and 0x7F) as \xNN.
void append_log_text(std::string& out, std::string_view text);

// The syslog priority journald files a line of spdlog level `level` under: trace and debug
// 7, info 6, warn 4, err 3, critical 2. `level` is spdlog::level::level_enum's value.
int journal_priority(int level);

// True when stderr is the stream systemd's journal set up for this process.
bool stderr_is_journal();

// Installs the default logger `name` on stderr, in the journal's form when stderr_is_journal().
void configure_log_output(const char* name);

}  // namespace vigil::daemon
