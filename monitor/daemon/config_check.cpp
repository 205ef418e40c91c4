#include "daemon/config_check.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "daemon/report_service.hpp"
#include "daemon/retention_schedule.hpp"
#include "daemon/source_limits.hpp"
#include "daemon/start_checks.hpp"
#include "net/link_security.hpp"
#include "store/database_check.hpp"

namespace vigil::daemon {

namespace {

// The database as open_for_writing (store/database_file.cpp) would find it, read-only: the
// same action words, so the operator sees the error a start would print.
void check_database_offline(const std::string& path) {
  constexpr const char* kAction = "cannot open database";
  if (path.empty()) throw store::StoreError(kAction, "''", "no path given");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    if (::access(path.c_str(), R_OK | W_OK) != 0)
      throw store::StoreError(kAction, path, std::strerror(errno));
    const auto problems = store::check_database(path, store::CheckDepth::Quick);
    if (!problems.empty()) throw store::DatabaseDamaged(path, "quick_check: " + problems.front());
    return;
  }
  // A start creates the file: its directory must exist and take a new file.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    std::string reason = std::strerror(err);
    if (err == ENOENT) reason += " (does the directory exist?)";
    throw store::StoreError(kAction, path, reason);
  }
}

std::string conf_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string conf_address(const ListenAddress& a) {
  return a.host.find(':') != std::string::npos ? "[" + a.host + "]:" + std::to_string(a.port)
                                               : a.host + ":" + std::to_string(a.port);
}

void describe_network(const Settings& s, std::ostream& out) {
  out << "hl7_listen: " << conf_quoted(conf_address(s.hl7_listen)) << "\n";
  for (const auto& p : s.hl7_allow)
    out << "hl7_allow: " << conf_quoted(p.network.to_string() + "/" + std::to_string(p.length)) << "\n";
  const SourceLimitOptions limits = hl7_source_limits(s);
  out << "hl7_max_connections_per_source: " << limits.remote.max_connections
      << (s.hl7_max_connections_per_source ? "" : "  # default; loopback sources unlimited") << "\n";
  out << "hl7_max_messages_per_second_per_source: " << limits.remote.max_messages_per_second
      << (s.hl7_max_messages_per_second_per_source ? "" : "  # default; loopback sources unlimited") << "\n";
  out << "hl7_frame_timeout_s: " << s.hl7_frame_timeout_s << "\n";
  out << "max_frame_bytes: " << s.max_frame_bytes << "\n";
  if (s.hl7_default_utc_offset_minutes)
    out << "hl7_default_utc_offset_minutes: " << *s.hl7_default_utc_offset_minutes << "\n";
  else
    out << "# hl7_default_utc_offset_minutes: unset (HL7 times without an offset are this host's zone)\n";
  out << "stream_listen: " << conf_quoted(conf_address(s.stream_listen)) << "\n";
  if (s.stream_tls.enabled() || !s.stream_tls.client_ca_file.empty()) {
    out << "stream_tls {\n  cert_file: " << conf_quoted(s.stream_tls.cert_file)
        << "\n  key_file: " << conf_quoted(s.stream_tls.key_file) << "\n";
    if (!s.stream_tls.client_ca_file.empty())
      out << "  client_ca_file: " << conf_quoted(s.stream_tls.client_ca_file) << "\n";
    out << "  handshake_timeout_ms: " << s.stream_tls.handshake_timeout_ms << "\n}\n";
  } else {
    out << "# stream_tls: off (plain TCP, loopback only)\n";
  }
  // The token hashes stay in the file: this output may be pasted into a ticket.
  for (const auto& u : s.stream_users) {
    out << "stream_user { name: " << conf_quoted(u.name)
        << " role: " << conf_quoted(std::string(to_string(u.role)));
    if (!u.cert_cn.empty()) out << " cert_cn: " << conf_quoted(u.cert_cn);
    out << " }" << (u.token_sha256.empty() ? "" : "  # token_sha256 set (not shown)")
        << (u.pin_sha256.empty() ? "" : "  # pin_sha256 set (not shown)") << "\n";
  }
  if (s.stream_users.empty()) out << "# stream_user: none (no logins)\n";
}

void describe_storage(const Settings& s, std::ostream& out) {
  out << "db: " << conf_quoted(s.db_path) << "\n";
  out << "db_min_free_mb: " << s.db_min_free_mb << "\n";
  out << "spin_us: " << s.spin.count() << "\n";
  out << "reports_dir: "
      << conf_quoted(s.reports_dir.empty() ? default_reports_dir(s.db_path) : s.reports_dir)
      << (s.reports_dir.empty() ? "  # default: beside db" : "") << "\n";
  const auto& r = s.retention;
  out << "retention {\n  readings_days: " << r.readings.count()
      << "\n  alert_log_days: " << r.alert_log.count() << "\n  session_log_days: " << r.session_log.count()
      << "\n  archive_dir: "
      << conf_quoted(r.archive_dir.empty() ? default_archive_dir(s.db_path) : r.archive_dir)
      << (r.archive_dir.empty() ? "  # default: beside db" : "")
      << "\n  max_rows_per_run: " << r.max_rows_per_run << "\n}\n";
}

void describe_sources(const Settings& s, std::ostream& out) {
  for (const auto& b : s.bed_mappings)
    out << "beds { match: " << conf_quoted(b.match) << " chair: " << conf_quoted(b.chair) << " }\n";
  for (const auto& p : s.serials)
    out << "serial { bed: " << conf_quoted(p.bed) << " device: " << conf_quoted(p.device)
        << " baud: " << p.baud << " protocol: " << conf_quoted(p.protocol) << " }\n";
  for (const auto& c : s.code_map) {
    out << "code_map { ";
    if (!c.source.empty()) out << "source: " << conf_quoted(c.source) << " ";
    out << "code: " << conf_quoted(c.code);
    if (!c.label.empty()) out << " label: " << conf_quoted(c.label);
    if (c.ignore)
      out << " ignore: true";
    else
      out << " kind: " << conf_quoted(std::string(to_string(c.kind)));
    if (!c.unit.empty()) out << " unit: " << conf_quoted(c.unit);
    out << " }\n";
  }
  if (s.intellivue_discover)
    out << "intellivue_discover: "
        << conf_quoted(s.intellivue_discover->host + ":" + std::to_string(s.intellivue_discover->port))
        << "\n";
  out << "# rule profiles: default";
  for (const auto& p : s.rule_profiles)
    if (p.name != "default") out << ", " << p.name;
  out << "\n";
}

void describe_forward(const Settings& s, std::ostream& out) {
  if (!s.forward) {
    out << "# forward_hl7: off\n";
    return;
  }
  const auto& f = *s.forward;
  out << "daemon_id: " << conf_quoted(f.daemon_id) << "\n";
  out << "forward_hl7 {\n  target: " << conf_quoted(conf_address({f.host, f.port})) << "\n";
  if (!f.tls_ca_file.empty()) out << "  tls_ca_file: " << conf_quoted(f.tls_ca_file) << "\n";
  out << "  link_alert_s: " << f.link_alert.count() << "\n  ack_timeout_s: " << f.ack_timeout.count()
      << "\n  max_backoff_s: " << f.max_backoff.count() << "\n  outbox_max_rows: " << f.outbox_max_rows
      << "\n  outbox_max_age_h: " << f.outbox_max_age.count() << "\n}\n";
}

void describe_bounds(const Settings& s, std::ostream& out) {
  out << "max_chairs: " << s.max_chairs << "\nchair_idle_forget_s: " << s.chair_idle_forget_s
      << "\nmax_stream_clients: " << s.max_stream_clients
      << "\nstream_prelogin_frame_bytes: " << s.stream_prelogin_frame_bytes
      << "\nstream_login_free_failures: " << s.stream_login_free_failures
      << "\nstream_login_backoff_max_s: " << s.stream_login_backoff_max_s
      << "\nsnapshot_max_bytes: " << s.snapshot_max_bytes << "\nclient_queue_bytes: " << s.client_queue_bytes
      << "\n";
  if (s.time_scale != 1.0) out << "# DEMO: --time-scale " << s.time_scale << "\n";
}

}  // namespace

void check_start_offline(const Settings& settings) {
  // The order of Daemon::Daemon: network policy first, then TLS files, then the database.
  boost::asio::io_context io;
  const auto hl7 = resolve_listen(io, settings.hl7_listen, "--hl7-listen");
  const auto stream = resolve_listen(io, settings.stream_listen, "--stream-listen");
  check_listen_policy(hl7, stream, settings);
  stream_tls_context(settings.stream_tls);
  http_tls_context(
      resolve_listen(io, settings.http_listen.value_or(ListenAddress{"127.0.0.1", kDefaultHttpPort}),
                     "--http-listen"),
      settings);
  check_database_offline(settings.db_path);
  if (settings.forward && !settings.forward->tls_ca_file.empty()) {
    // What the forwarder's TLS context (forward/forwarder.cpp) loads at start.
    net::LinkSecurity security;
    security.tls = true;
    security.ca_file = settings.forward->tls_ca_file;
    try {
      net::client_tls_context(security);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("forward_hl7.tls_ca_file: ") + e.what());
    }
  }
}

std::string describe_settings(const Settings& settings) {
  std::ostringstream out;
  out << "# vigild: the effective configuration (defaults, then the config file, then flags)\n";
  describe_network(settings, out);
  describe_storage(settings, out);
  describe_sources(settings, out);
  describe_forward(settings, out);
  describe_bounds(settings, out);
  return out.str();
}

}  // namespace vigil::daemon
