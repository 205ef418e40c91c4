#pragma once
// vigild's settings: defaults, then the config file (protobuf text format), then flags.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "alerts/rule_profile.hpp"
#include "common/brief_spin.hpp"
#include "daemon/escalation_settings.hpp"
#include "daemon/intellivue_spec.hpp"
#include "daemon/serial_spec.hpp"
#include "daemon/source_limits.hpp"
#include "daemon/stream_auth.hpp"
#include "forward/forward_options.hpp"
#include "hl7/site_code_map.hpp"
#include "store/retention.hpp"

namespace vigil::daemon {

// Thrown for any start-up problem the operator must fix; what() is one line saying what.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// TLS on the client stream (config stream_tls, flags --stream-tls-cert/-key, --stream-client-ca).
struct StreamTlsSettings {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // set: clients may log in by certificate
  std::uint32_t handshake_timeout_ms = 5000;
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct BedMappingRule {
  std::string match;
  std::string chair;
};

inline constexpr std::uint16_t kDefaultHttpPort = 7421;

struct Settings {
  ListenAddress hl7_listen{"127.0.0.1", 2575};
  ListenAddress stream_listen{"127.0.0.1", 7420};
  // /healthz and /metrics (docs/operations.md). Unset: 127.0.0.1:kDefaultHttpPort, and if
  // that port is taken vigild starts without it (a warning): the health port must never be
  // why a monitoring daemon does not run. Set (flag or config): it binds or refuses to start.
  std::optional<ListenAddress> http_listen;
  std::string db_path = "vigil.db";
  std::vector<BedMappingRule> bed_mappings;
  std::size_t max_frame_bytes = 1u << 20;
  std::size_t client_queue_bytes = 8u << 20;
  std::optional<int> hl7_default_utc_offset_minutes;  // unset: the daemon's local zone
  std::vector<SerialSpec> serials;  // serial monitors: config `serial { }` or --serial (replaces)
  std::vector<IntelliVueSpec>
      intellivues;  // IntelliVue on the LAN: config `intellivue { }` or --intellivue (replaces)
  // IntelliVue discovery (intellivue_discovery.hpp): unset, off.
  std::optional<ListenAddress> intellivue_discover;
  std::vector<alerts::RuleProfile> rule_profiles;  // "default" is added by the engine if absent
  double time_scale = 1.0;  // demo/testing only (--time-scale with --demo): timers run N times faster
  // HL7 listener limits: see source_limits.hpp. Unset limits are the defaults for sources
  // beyond this host and unlimited for loopback sources; set ones apply to every source.
  std::vector<AddressPrefix> hl7_allow;
  std::optional<std::uint32_t> hl7_max_connections_per_source;
  std::optional<std::uint32_t> hl7_max_messages_per_second_per_source;
  // Reports requested over the stream (config reports_dir); "" = "reports" beside db_path.
  std::string reports_dir;
  // Stream security (stream_auth.hpp). Beyond loopback the stream needs TLS and users (or a
  // client CA); with users, every client logs in, on loopback too.
  StreamTlsSettings stream_tls;
  std::vector<StreamUser> stream_users;
  // HL7 forwarding (config forward_hl7, --forward-hl7): unset = off, no outbox rows written.
  // forward->daemon_id is filled from daemon_id (config/--daemon-id, default the host name).
  std::optional<forward::ForwardOptions> forward;
  std::string daemon_id;
  // T8 "Low disk space" below this many MiB free for the database (0: off). 1 GiB: about two
  // days of a busy clinic's readings (docs/configuration.md), time to make room.
  std::uint64_t db_min_free_mb = 1024;
  // Bounds on what outside bytes can make the daemon hold (docs/configuration.md "Bounds").
  std::size_t max_chairs = 2000;
  std::uint32_t chair_idle_forget_s = 12 * 3600;  // 0: never forget
  std::size_t max_stream_clients = 64;
  std::size_t stream_prelogin_frame_bytes = 4096;
  std::uint32_t stream_login_free_failures = 5;
  std::uint32_t stream_login_backoff_max_s = 300;
  std::size_t snapshot_max_bytes = 4u << 20;
  std::uint32_t hl7_frame_timeout_s = 30;
  // The site's own observation codes (config code_map), checked at start-up.
  std::vector<hl7::SiteCode> code_map;
  // Retention (config retention): archive_dir "" = "archive" beside db_path.
  store::RetentionPolicy retention;
  // Escalation of unacknowledged alarms (config escalation): times and the mail relay.
  EscalationSettings escalation;
  // Where the service manager says how the previous run ended (previous_stop.hpp); from the
  // environment (VIGIL_LAST_STOP_FILE, set by deploy/vigild.service), "" = not told.
  std::string last_stop_file;
  // How long the io and writer threads may spin for each other's answer before they sleep
  // (common/brief_spin.hpp, --spin-us): 200 us with two or more CPUs, 0 (off) with one.
  std::chrono::microseconds spin = BriefSpin::default_limit(std::chrono::microseconds(200));
};

inline constexpr std::uint32_t kDefaultHl7MaxConnectionsPerSource = 64;
inline constexpr std::uint32_t kDefaultHl7MaxMessagesPerSecondPerSource = 200;

// The HL7 listener's per-source limits as the settings give them.
SourceLimitOptions hl7_source_limits(const Settings& settings);

// A spin limit (config spin_us, --spin-us), 0..10000 us; throws ConfigError naming `what`.
std::chrono::microseconds checked_spin(std::uint64_t micros, const std::string& what);
// Forwarding target "HOST:PORT" (port 1..65535); throws ConfigError naming `what`.
ListenAddress parse_forward_target(const std::string& text, const std::string& what);
// Checks a daemon id (1..64 of letters, digits, '.', '_', '-'); throws ConfigError.
void check_daemon_id(const std::string& id, const std::string& what);
// The host name cut to a valid daemon id ("vigil" if it has no usable character).
std::string default_daemon_id();
// Completes settings.forward before start (the daemon id). Throws ConfigError.
void finish_forward_settings(Settings& settings);

// Parses "HOST:PORT" / "[::1]:PORT"; throws ConfigError naming `what` on bad syntax.
ListenAddress parse_listen_address(const std::string& text, const std::string& what);
// "[HOST:]PORT" for --intellivue-discover (HOST defaults to 0.0.0.0: announcements are
// broadcasts, heard on every interface). Throws ConfigError.
ListenAddress parse_discover_address(const std::string& text, const std::string& what);

// Reads a DaemonConfig text-format file into `settings`. Errors name the file, line and field.
void load_config_file(const std::string& path, Settings& settings);

// Parses the text of a config file (for tests); `origin` names it in errors.
void apply_config_text(const std::string& text, const std::string& origin, Settings& settings);

}  // namespace vigil::daemon
