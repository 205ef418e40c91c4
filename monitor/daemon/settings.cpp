#include "daemon/settings.hpp"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <sstream>

#include "alerts/profile_config.hpp"
#include "common/config_file.hpp"
#include "config.pb.h"
#include "daemon/chair_name.hpp"
#include "daemon/config_utf8.hpp"
#include "net/host_port.hpp"

namespace vigil::daemon {

ListenAddress parse_listen_address(const std::string& text, const std::string& what) {
  auto parsed = net::parse_host_port(text, /*allow_port_zero=*/true);
  if (!parsed) {
    throw ConfigError(what + ": '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:2575; port 0 picks one)");
  }
  return ListenAddress{parsed->first, parsed->second};
}

ListenAddress parse_discover_address(const std::string& text, const std::string& what) {
  const bool port_only = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  return parse_listen_address(port_only ? "0.0.0.0:" + text : text, what);
}

namespace {

// One retention limit in days: 0 (keep live) or at least kMinRetention, at most ~27 years.
std::chrono::days retention_days(std::uint32_t days, const std::string& field) {
  if (days != 0 && (days < store::kMinRetention.count() || days > 10000))
    throw ConfigError(field + ": 0 (keep for ever) or " + std::to_string(store::kMinRetention.count()) +
                      "..10000 days");
  return std::chrono::days(days);
}

void apply_retention(const proto::Retention& r, const std::string& where, store::RetentionPolicy& policy) {
  const std::string field = where + ": field retention.";
  if (r.has_readings_days()) policy.readings = retention_days(r.readings_days(), field + "readings_days");
  if (r.has_alert_log_days()) policy.alert_log = retention_days(r.alert_log_days(), field + "alert_log_days");
  if (r.has_session_log_days())
    policy.session_log = retention_days(r.session_log_days(), field + "session_log_days");
  if (!r.archive_dir().empty()) policy.archive_dir = r.archive_dir();
  if (r.has_max_rows_per_run()) {
    if (r.max_rows_per_run() < 1 || r.max_rows_per_run() > 10'000'000)
      throw ConfigError(field + "max_rows_per_run: 1..10000000");
    policy.max_rows_per_run = r.max_rows_per_run();
  }
}

// The field name written at (line, column), or before it on that line: protobuf's own
// messages name the field only for unknown names ("Expected integer" does not).
std::string field_near(const std::string& text, int line, int column) {
  std::istringstream in(text);
  std::string row;
  for (int i = 0; i <= line && std::getline(in, row); ++i) {
  }
  row = row.substr(0, std::min<std::size_t>(row.size(), static_cast<std::size_t>(std::max(column, 0))));
  std::string field;
  for (std::size_t i = 0; i < row.size();) {
    if (std::isalpha(static_cast<unsigned char>(row[i])) || row[i] == '_') {
      std::size_t start = i;
      while (i < row.size() && (std::isalnum(static_cast<unsigned char>(row[i])) || row[i] == '_')) ++i;
      std::size_t j = i;
      while (j < row.size() && row[j] == ' ') ++j;
      if (j < row.size() && (row[j] == ':' || row[j] == '{')) field = row.substr(start, i - start);
    } else if (row[i] == '"') {
      i = row.find('"', i + 1);  // skip string contents
      if (i == std::string::npos) break;
      ++i;
    } else {
      ++i;
    }
  }
  return field;
}

// Collects the first error with its line, column and field so the operator sees where it is.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  explicit FirstError(const std::string& text) : text_(text) {}
  void AddError(int line, int column, const std::string& message) override {
    if (!message_.empty()) return;
    std::ostringstream out;
    out << "line " << (line + 1) << ", column " << (column + 1);
    std::string field = field_near(text_, line, column);
    if (!field.empty() && message.find(field) == std::string::npos) out << ", field " << field;
    out << ": " << message;
    message_ = out.str();
  }
  void AddWarning(int, int, const std::string&) override {}
  const std::string& message() const { return message_; }

 private:
  const std::string& text_;
  std::string message_;
};

void apply_stream_security(const proto::DaemonConfig& config, const std::string& origin, Settings& settings) {
  if (config.has_stream_tls()) {
    const auto& tls = config.stream_tls();
    settings.stream_tls.cert_file = tls.cert_file();
    settings.stream_tls.key_file = tls.key_file();
    settings.stream_tls.client_ca_file = tls.client_ca_file();
    if (tls.handshake_timeout_ms() != 0) {
      if (tls.handshake_timeout_ms() < 100 || tls.handshake_timeout_ms() > 60000)
        throw ConfigError("config " + origin + ": field stream_tls.handshake_timeout_ms: must be 100..60000");
      settings.stream_tls.handshake_timeout_ms = tls.handshake_timeout_ms();
    }
  }
  for (int i = 0; i < config.stream_user_size(); ++i) {
    const auto& u = config.stream_user(i);
    try {
      settings.stream_users.push_back(
          make_stream_user(u.name(), u.role(), u.token_sha256(), u.cert_cn(), u.pin_sha256()));
    } catch (const std::invalid_argument& e) {
      throw ConfigError("config " + origin + ": field stream_user[" + std::to_string(i) + "]: " + e.what());
    }
  }
}

void apply_code_map(const proto::DaemonConfig& config, const std::string& origin, Settings& settings) {
  if (static_cast<std::size_t>(config.code_map_size()) > hl7::kMaxSiteCodes) {
    throw ConfigError("config " + origin + ": field code_map: at most " + std::to_string(hl7::kMaxSiteCodes) +
                      " entries");
  }
  for (int i = 0; i < config.code_map_size(); ++i) {
    const auto& c = config.code_map(i);
    const std::string where = "config " + origin + ": field code_map[" + std::to_string(i) + "]: ";
    hl7::SiteCode entry{c.source(), c.code(), c.label(), VitalKind::HeartRate, c.unit(), c.ignore()};
    if (c.ignore()) {
      if (c.kind() != proto::VITAL_KIND_UNSPECIFIED)
        throw ConfigError(where + "ignore: true takes no kind (an ignored code is not a vital sign)");
    } else {
      const auto kind = vital_kind_from_string(proto::VitalKind_Name(c.kind()));
      if (!kind)
        throw ConfigError(where +
                          "kind is required (NIBP_SYS, NIBP_DIA, NIBP_MEAN, HR, PULSE, SPO2, RESP, TEMP), "
                          "or ignore: true");
      entry.kind = *kind;
    }
    if (std::string why = hl7::check_site_code(entry); !why.empty()) throw ConfigError(where + why);
    settings.code_map.push_back(std::move(entry));
  }
}

void apply_forward(const proto::DaemonConfig& config, const std::string& origin, Settings& settings) {
  if (!config.daemon_id().empty()) {
    check_daemon_id(config.daemon_id(), "config " + origin + ": field daemon_id");
    settings.daemon_id = config.daemon_id();
  }
  if (!config.has_forward_hl7()) return;
  const auto& f = config.forward_hl7();
  const std::string where = "config " + origin + ": field forward_hl7.";
  forward::ForwardOptions o;
  const ListenAddress target = parse_forward_target(f.target(), where + "target");
  o.host = target.host;
  o.port = target.port;
  o.tls_ca_file = f.tls_ca_file();
  auto seconds = [&](std::uint32_t value, const char* name, std::uint32_t max, std::chrono::seconds& out) {
    if (value == 0) return;
    if (value > max) throw ConfigError(where + name + ": must be 1.." + std::to_string(max));
    out = std::chrono::seconds(value);
  };
  seconds(f.link_alert_s(), "link_alert_s", 86400, o.link_alert);
  seconds(f.ack_timeout_s(), "ack_timeout_s", 600, o.ack_timeout);
  seconds(f.max_backoff_s(), "max_backoff_s", 3600, o.max_backoff);
  if (f.outbox_max_rows() != 0) {
    if (f.outbox_max_rows() < 1000) throw ConfigError(where + "outbox_max_rows: at least 1000");
    o.outbox_max_rows = f.outbox_max_rows();
  }
  if (f.outbox_max_age_h() != 0) o.outbox_max_age = std::chrono::hours(f.outbox_max_age_h());
  settings.forward = o;
}

// Reads one optional bound: unset keeps the default, outside min..max is a ConfigError.
template <typename Out>
void bound(bool has, std::uint32_t value, const char* name, std::uint32_t min, std::uint32_t max,
           const std::string& origin, Out& out) {
  if (!has) return;
  if (value < min || value > max)
    throw ConfigError("config " + origin + ": field " + name + ": must be " + std::to_string(min) + ".." +
                      std::to_string(max));
  out = static_cast<Out>(value);
}

void apply_bounds(const proto::DaemonConfig& c, const std::string& origin, Settings& s) {
  bound(c.has_max_chairs(), c.max_chairs(), "max_chairs", 1, 20000, origin, s.max_chairs);
  bound(c.has_chair_idle_forget_s(), c.chair_idle_forget_s(), "chair_idle_forget_s", 0, 30 * 86400, origin,
        s.chair_idle_forget_s);
  bound(c.has_max_stream_clients(), c.max_stream_clients(), "max_stream_clients", 1, 10000, origin,
        s.max_stream_clients);
  bound(c.has_stream_prelogin_frame_bytes(), c.stream_prelogin_frame_bytes(), "stream_prelogin_frame_bytes",
        512, 1u << 20, origin, s.stream_prelogin_frame_bytes);
  bound(c.has_stream_login_free_failures(), c.stream_login_free_failures(), "stream_login_free_failures", 0,
        1000, origin, s.stream_login_free_failures);
  bound(c.has_stream_login_backoff_max_s(), c.stream_login_backoff_max_s(), "stream_login_backoff_max_s", 1,
        86400, origin, s.stream_login_backoff_max_s);
  bound(c.has_snapshot_max_bytes(), c.snapshot_max_bytes(), "snapshot_max_bytes", 65536, 1u << 30, origin,
        s.snapshot_max_bytes);
  bound(c.has_hl7_frame_timeout_s(), c.hl7_frame_timeout_s(), "hl7_frame_timeout_s", 1, 3600, origin,
        s.hl7_frame_timeout_s);
}

}  // namespace

ListenAddress parse_forward_target(const std::string& text, const std::string& what) {
  auto parsed = net::parse_host_port(text, /*allow_port_zero=*/false);
  if (!parsed)
    throw ConfigError(what + ": '" + text +
                      "' is not HOST:PORT of the integration engine (e.g. 10.0.0.5:2575)");
  return ListenAddress{parsed->first, parsed->second};
}

std::chrono::microseconds checked_spin(std::uint64_t micros, const std::string& what) {
  constexpr std::uint64_t kMaxSpinMicros = 10000;  // a bound on the CPU one wait may burn
  if (micros > kMaxSpinMicros) throw ConfigError(what + ": at most " + std::to_string(kMaxSpinMicros));
  return std::chrono::microseconds(micros);
}

void check_daemon_id(const std::string& id, const std::string& what) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
  if (!ok) throw ConfigError(what + ": '" + id + "' must be 1..64 letters, digits, '.', '_' or '-'");
}

std::string default_daemon_id() {
  char host[256] = {};
  std::string id;
  if (::gethostname(host, sizeof host - 1) == 0) {
    for (const char* p = host; *p && id.size() < 64; ++p) {
      const char c = *p;
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') id.push_back(c);
    }
  }
  return id.empty() ? std::string("vigil") : id;
}

void finish_forward_settings(Settings& settings) {
  if (!settings.forward) return;
  settings.forward->daemon_id = settings.daemon_id.empty() ? default_daemon_id() : settings.daemon_id;
}

void apply_config_text(const std::string& text, const std::string& origin, Settings& settings) {
  proto::DaemonConfig config;
  FirstError errors(text);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    throw ConfigError("config " + origin + ": " +
                      (errors.message().empty() ? std::string("unreadable") : errors.message()));
  }
  if (auto field = first_non_utf8_field(config)) {
    throw ConfigError("config " + origin + ": field " + *field +
                      ": not valid UTF-8 (save the file as UTF-8)");
  }
  if (!config.hl7_listen().empty())
    settings.hl7_listen =
        parse_listen_address(config.hl7_listen(), "config " + origin + ": field hl7_listen");
  if (!config.stream_listen().empty())
    settings.stream_listen =
        parse_listen_address(config.stream_listen(), "config " + origin + ": field stream_listen");
  if (!config.http_listen().empty())
    settings.http_listen =
        parse_listen_address(config.http_listen(), "config " + origin + ": field http_listen");
  if (!config.intellivue_discover().empty())
    settings.intellivue_discover = parse_discover_address(config.intellivue_discover(),
                                                          "config " + origin + ": field intellivue_discover");
  if (!config.db().empty()) settings.db_path = config.db();
  if (!config.reports_dir().empty()) settings.reports_dir = config.reports_dir();
  if (config.has_db_min_free_mb()) {
    if (config.db_min_free_mb() > (std::uint64_t{1} << 40))
      throw ConfigError("config " + origin + ": field db_min_free_mb: at most 1099511627776 (1 EiB)");
    settings.db_min_free_mb = config.db_min_free_mb();
  }
  if (config.has_spin_us())
    settings.spin = checked_spin(config.spin_us(), "config " + origin + ": field spin_us");
  if (config.has_retention()) apply_retention(config.retention(), "config " + origin, settings.retention);
  if (config.has_escalation()) apply_escalation_config(config.escalation(), origin, settings.escalation);
  for (int i = 0; i < config.beds_size(); ++i) {
    const auto& bed = config.beds(i);
    if (bed.match().empty() || bed.chair().empty()) {
      throw ConfigError("config " + origin + ": field beds[" + std::to_string(i) +
                        "]: both match and chair are required");
    }
    if (auto problem = chair_name_problem(bed.chair()))
      throw ConfigError("config " + origin + ": field beds[" + std::to_string(i) + "].chair: " + *problem);
    // Only the first of two entries for one identity would ever apply (bed_resolver.cpp):
    // a monitor meant for the second chair would feed the first, silently.
    for (int j = 0; j < i; ++j) {
      if (config.beds(j).match() == bed.match() && config.beds(j).chair() != bed.chair())
        throw ConfigError("config " + origin + ": field beds[" + std::to_string(i) + "].match: '" +
                          bed.match() + "' is already mapped to chair '" + config.beds(j).chair() +
                          "' by beds[" + std::to_string(j) + "]; one monitor identity, one chair");
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
  if (config.rule_profile_size() > 0) {
    try {
      settings.rule_profiles = alerts::profiles_from_config(config.rule_profile());
    } catch (const std::invalid_argument& e) {
      throw ConfigError("config " + origin + ": field rule_profile: " + e.what());
    }
  }
  if (config.has_hl7_default_utc_offset_minutes()) {
    int off = config.hl7_default_utc_offset_minutes();
    if (off < -14 * 60 || off > 14 * 60)
      throw ConfigError("config " + origin + ": field hl7_default_utc_offset_minutes: must be within +-840");
    settings.hl7_default_utc_offset_minutes = off;
  }
  for (int i = 0; i < config.serial_size(); ++i) {
    const auto& port = config.serial(i);
    SerialSpec spec;
    spec.bed = port.bed();
    spec.device = port.device();
    if (!port.protocol().empty()) spec.protocol = port.protocol();
    spec.baud = port.baud() != 0 ? port.baud() : default_baud(spec.protocol);
    check_serial_spec(spec, "config " + origin + ": field serial[" + std::to_string(i) + "]");
    settings.serials.push_back(spec);
  }
  check_serial_specs_unique(settings.serials);
  for (int i = 0; i < config.intellivue_size(); ++i) {
    const auto& monitor = config.intellivue(i);
    IntelliVueSpec spec;
    spec.bed = monitor.bed();
    spec.host = monitor.host();
    if (monitor.port() > 65535)
      throw ConfigError("config " + origin + ": field intellivue[" + std::to_string(i) +
                        "].port: above 65535");
    if (monitor.port() != 0) spec.port = static_cast<std::uint16_t>(monitor.port());
    check_intellivue_spec(spec, "config " + origin + ": field intellivue[" + std::to_string(i) + "]");
    settings.intellivues.push_back(spec);
  }
  check_intellivue_specs_unique(settings.intellivues);
  for (int i = 0; i < config.hl7_allow_size(); ++i) {
    try {
      settings.hl7_allow.push_back(parse_address_prefix(config.hl7_allow(i)));
    } catch (const std::invalid_argument& e) {
      throw ConfigError("config " + origin + ": field hl7_allow[" + std::to_string(i) + "]: " + e.what());
    }
  }
  if (config.has_hl7_max_connections_per_source()) {
    const auto n = config.hl7_max_connections_per_source();
    if (n < 1 || n > 20000)
      throw ConfigError("config " + origin + ": field hl7_max_connections_per_source: must be 1..20000");
    settings.hl7_max_connections_per_source = n;
  }
  if (config.has_hl7_max_messages_per_second_per_source()) {
    const auto n = config.hl7_max_messages_per_second_per_source();
    if (n < 1 || n > 1000000)
      throw ConfigError("config " + origin +
                        ": field hl7_max_messages_per_second_per_source: must be 1..1000000");
    settings.hl7_max_messages_per_second_per_source = n;
  }
  apply_stream_security(config, origin, settings);
  apply_forward(config, origin, settings);
  apply_bounds(config, origin, settings);
  apply_code_map(config, origin, settings);
}

SourceLimitOptions hl7_source_limits(const Settings& settings) {
  SourceLimitOptions o;
  o.allow = settings.hl7_allow;
  // Loopback sources are this host's own tools, simulators and SSH tunnels: the defaults
  // (meant for a monitor network) do not throttle them, an explicit setting does.
  o.remote.max_connections =
      settings.hl7_max_connections_per_source.value_or(kDefaultHl7MaxConnectionsPerSource);
  o.remote.max_messages_per_second =
      settings.hl7_max_messages_per_second_per_source.value_or(kDefaultHl7MaxMessagesPerSecondPerSource);
  o.loopback.max_connections = settings.hl7_max_connections_per_source.value_or(0);
  o.loopback.max_messages_per_second = settings.hl7_max_messages_per_second_per_source.value_or(0);
  return o;
}

void load_config_file(const std::string& path, Settings& settings) {
  const ConfigFileText file = read_config_file(path);
  if (file.problem != ConfigFileProblem::None)
    throw ConfigError("config " + path + ": " + std::string(to_string(file.problem)));
  apply_config_text(file.text, path, settings);
}

}  // namespace vigil::daemon
