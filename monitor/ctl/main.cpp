// vigilctl: the command line for clinic IT. Watches vigild's stream and exports what it stored.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/build_version.hpp"
#include "ctl/board.hpp"
#include "ctl/commands.hpp"
#include "ctl/default_db.hpp"
#include "ctl/history_command.hpp"
#include "ctl/nurse_commands.hpp"
#include "ctl/report_command.hpp"

namespace vigil::ctl {
std::function<std::optional<int>()> add_forward_status(CLI::App& app);  // forward_status.cpp
std::function<std::optional<int>()> add_unmapped(CLI::App& app);        // unmapped_command.cpp
std::function<std::optional<int>()> add_replay(CLI::App& app);          // replay_command.cpp
std::function<std::optional<int>()> add_backup(CLI::App& app);          // backup_command.cpp
std::function<std::optional<int>()> add_health(CLI::App& app);          // health_command.cpp
bool health_parse_failed(CLI::App& app);                                // health_command.cpp
std::function<std::optional<int>()> add_devices(                        // devices_command.cpp
    CLI::App& app, const std::function<void(CLI::App*, net::LinkSecurity&)>& link_flags);
}  // namespace vigil::ctl

namespace {

// The commands that read vigild's database get the installed one when --db is not given
// (ctl/default_db.hpp). Replay is not among them: its --db is one of three sources.
std::optional<int> fill_default_db(const CLI::App& app, const std::string& config) {
  static const std::set<std::string> readers{"readings", "alerts",         "timeline", "report",
                                             "unmapped", "forward-status", "backup"};
  for (CLI::App* cmd : app.get_subcommands()) {
    CLI::Option* db = readers.count(cmd->get_name()) ? cmd->get_option_no_throw("--db") : nullptr;
    if (db == nullptr || db->count() > 0) continue;
    try {
      const vigil::ctl::DefaultDb choice = vigil::ctl::default_db(config);
      std::error_code ec;
      if (!std::filesystem::exists(choice.path, ec)) {
        std::cerr << "vigilctl: " << vigil::ctl::missing_db_message(choice) << "\n";
        return 1;
      }
      db->add_result(choice.path);
      db->run_callback();
    } catch (const vigil::ctl::DefaultDbError& e) {
      std::cerr << "vigilctl: " << e.what() << "\n";
      return 2;
    }
  }
  return std::nullopt;
}

// What to say about a command line CLI11 refused. CLI11 checks what is required before what is
// left over, so a mistyped option came out as "A subcommand is required" (or "--bed is
// required"): what it did not understand is named first.
std::string usage_error(const CLI::App& app, const CLI::ParseError& e) {
  std::vector<std::string> options, others;
  for (const std::string& arg : app.remaining(true))
    (arg.rfind('-', 0) == 0 ? options : others).push_back(arg);
  auto joined = [](const std::vector<std::string>& args) {
    std::string text;
    for (const auto& a : args) text += (text.empty() ? "" : " ") + a;
    return text;
  };
  if (!options.empty())
    return (options.size() == 1 ? "unknown option " : "unknown options ") + joined(options);
  if (others.empty()) return e.what();
  const bool no_command = app.get_subcommands().empty();
  return (no_command ? "unknown command " : "unexpected argument ") + joined(others);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigilctl: watch Vigil's live stream and export its records"};
  app.require_subcommand(1);
  app.set_version_flag("--version", vigil::version_line("vigilctl"));
  // Given before or after the command name (fallthrough): `vigilctl readings --config F`.
  std::string config;
  app.add_option("--config", config,
                 "vigild.conf whose db: the database commands read when --db is not given "
                 "(default /etc/vigil/vigild.conf)")
      ->envname("VIGIL_CONFIG");
  app.fallthrough();
  auto forward_status = vigil::ctl::add_forward_status(app);
  auto unmapped = vigil::ctl::add_unmapped(app);
  auto replay = vigil::ctl::add_replay(app);
  auto backup = vigil::ctl::add_backup(app);
  auto health = vigil::ctl::add_health(app);

  // Every command that connects takes the same TLS and login flags.
  auto link_flags = [](CLI::App* cmd, vigil::net::LinkSecurity& s) {
    cmd->add_flag("--tls", s.tls, "Connect over TLS (vigild with stream_tls)");
    cmd->add_option("--ca", s.ca_file,
                    "CA that signed vigild's certificate (default: the system's trusted CAs)");
    cmd->add_option("--cert", s.cert_file, "Client certificate (PEM) to log in with");
    cmd->add_option("--key", s.key_file, "Private key of --cert (PEM)");
    cmd->add_option("--tls-server-name", s.server_name,
                    "Name vigild's certificate must carry (default: the --connect host)");
    cmd->add_option("--token", s.token,
                    "Login token; prefer the VIGIL_TOKEN environment variable (not shown by ps)")
        ->envname("VIGIL_TOKEN");
  };

  auto devices = vigil::ctl::add_devices(app, link_flags);

  vigil::ctl::WatchArgs watch;
  if (const char* user = std::getenv("USER")) watch.user = user;
  auto* watch_cmd = app.add_subcommand("watch", "Print stream events as JSON lines");
  watch_cmd->add_option("--connect", watch.connect, "vigild stream address HOST:PORT")->capture_default_str();
  watch_cmd->add_option("--bed", watch.bed, "Only this chair");
  watch_cmd->add_option("--user", watch.user, "User name sent to vigild");
  watch_cmd->add_flag("--reconnect", watch.reconnect, "Keep reconnecting when the link drops");
  watch_cmd->add_option("--format", watch.format, "jsonl (for programs) or text (for a terminal)")
      ->check(CLI::IsMember({"jsonl", "text"}))
      ->capture_default_str();
  watch_cmd
      ->add_option("--on-call", watch.on_call_tier,
                   "Sign in as on call for escalations of this tier (1 or 2); yours are also said on stderr")
      ->check(CLI::Range(1, 2));
  watch_cmd->add_option(
      "--label", watch.on_call_label,
      "How escalations name this watcher, e.g. \"nurse.lee's phone\" (default: user and program)");
  link_flags(watch_cmd, watch.security);

  vigil::ctl::BoardArgs board;
  if (const char* user = std::getenv("USER")) board.user = user;
  auto* board_cmd = app.add_subcommand("board", "Live table of chairs and alerts in the terminal");
  board_cmd->add_option("--connect", board.connect, "vigild stream address HOST:PORT")->capture_default_str();
  board_cmd->add_option("--user", board.user, "User name sent to vigild");
  board_cmd->add_option("--interval-ms", board.interval_ms, "Redraw period")
      ->check(CLI::Range(100, 60000))
      ->capture_default_str();
  board_cmd->add_flag("--once", board.once, "Print the table once (after the snapshot) and exit");
  board_cmd->add_flag(
      "--alarm-display", board.alarm_display,
      "Tell vigild a nurse watches this board (its heartbeats then count as a receiving alarm display)");
  link_flags(board_cmd, board.security);

  vigil::ctl::ReadingsArgs readings;
  auto* readings_cmd = app.add_subcommand("readings", "Export stored readings");
  readings_cmd->add_option("--db", readings.db, vigil::ctl::kDbHelp);
  readings_cmd->add_option("--bed", readings.bed, "Only this chair");
  readings_cmd->add_option("--since", readings.since,
                           "Only readings received by vigild at or after this time (2026-11-21T10:00:00Z)");
  readings_cmd->add_option("--format", readings.format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();

  vigil::ctl::AlertsArgs alerts;
  auto* alerts_cmd = app.add_subcommand("alerts", "Export the alert log");
  alerts_cmd->add_option("--db", alerts.db, vigil::ctl::kDbHelp);
  alerts_cmd->add_option("--bed", alerts.bed, "Only this chair");
  alerts_cmd->add_option("--since", alerts.since,
                         "Only transitions at or after this time (2026-11-21T10:00:00Z)");
  alerts_cmd->add_option("--format", alerts.format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();

  vigil::ctl::TimelineArgs timeline;
  auto* timeline_cmd =
      app.add_subcommand("timeline", "Print one session's phases, readings, alerts and actions");
  timeline_cmd->add_option("--db", timeline.db, vigil::ctl::kDbHelp);
  timeline_cmd->add_option("--bed", timeline.bed, "The chair")->required();
  timeline_cmd->add_option("--session", timeline.session, "Session id (default: the latest)");
  timeline_cmd->add_option("--format", timeline.format, "text or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();

  vigil::ctl::ReportArgs report;
  auto* report_cmd =
      app.add_subcommand("report", "Write one session's end-of-session report (PDF, PNG or CSV)");
  report_cmd->add_option("--db", report.db, vigil::ctl::kDbHelp);
  report_cmd->add_option("--session", report.session, "Session id (from vigilctl timeline)");
  report_cmd->add_option("--bed", report.bed, "The chair (with --latest)");
  report_cmd->add_flag("--latest", report.latest, "The chair's latest session");
  report_cmd
      ->add_option("--out", report.out, "Output file; the format follows the extension: .pdf, .png or .csv")
      ->required();

  // Nurse actions: the requests vigil-dashboard sends, for scripts and for IT at the desk.
  vigil::ctl::NurseArgs nurse;
  if (const char* user = std::getenv("USER")) nurse.user = user;
  auto nurse_options = [&nurse, &link_flags](CLI::App* cmd) {
    link_flags(cmd, nurse.security);
    cmd->add_option("--connect", nurse.connect, "vigild stream address HOST:PORT")->capture_default_str();
    cmd->add_option("--user", nurse.user, "Who does it (logged with the action; default $USER)");
    cmd->add_option(
           "--pin", nurse.pin,
           "PIN of --user when this login (a station) acts in her name; prefer VIGIL_PIN (not shown by ps)")
        ->envname("VIGIL_PIN");
    cmd->add_option("--bed", nurse.bed, "The chair")->required();
  };
  vigil::proto::BeginSession begin;
  std::string override_text;
  bool accept_baseline = false;
  std::string alert_id;
  auto* session_cmd =
      app.add_subcommand("session", "Session actions: begin, baseline, start, stop, pause, resume, end");
  session_cmd->require_subcommand(1);
  auto* begin_cmd = session_cmd->add_subcommand("begin", "Begin a chair's session");
  nurse_options(begin_cmd);
  begin_cmd
      ->add_option_function<std::string>(
          "--patient", [&](const std::string& v) { begin.set_patient(v); },
          "Patient label (not a name: an id the clinic uses)")
      ->required();
  begin_cmd
      ->add_option_function<int>(
          "--planned-minutes", [&](int v) { begin.set_planned_minutes(v); }, "Planned infusion length")
      ->required()
      ->check(CLI::Range(1, 600));
  begin_cmd->add_option_function<std::string>(
      "--profile", [&](const std::string& v) { begin.set_profile(v); },
      "Rule profile (default: \"default\")");
  auto* baseline_cmd =
      session_cmd->add_subcommand("baseline", "Record a baseline override, or accept the measured one");
  nurse_options(baseline_cmd);
  auto* override_opt = baseline_cmd->add_option("--override", override_text, "SYS/DIA in mmHg, e.g. 128/82");
  auto* accept_opt = baseline_cmd->add_flag(
      "--accept", accept_baseline, "Accept the measured baseline as it is (releases the pre-infusion gate)");
  override_opt->excludes(accept_opt);
  auto* start_cmd = session_cmd->add_subcommand("start", "Start the infusion");
  auto* stop_cmd = session_cmd->add_subcommand("stop", "Stop the infusion (recovery begins)");
  auto* pause_cmd = session_cmd->add_subcommand("pause", "Pause the infusion");
  auto* resume_cmd = session_cmd->add_subcommand("resume", "Resume a paused infusion");
  auto* end_cmd = session_cmd->add_subcommand("end", "End the session");
  for (auto* cmd : {start_cmd, stop_cmd, pause_cmd, resume_cmd, end_cmd}) nurse_options(cmd);
  auto* ack_cmd = app.add_subcommand("ack", "Acknowledge an alert");
  nurse_options(ack_cmd);
  ack_cmd->add_option("--alert", alert_id, "Alert id (from vigilctl watch)")->required();
  auto* pause_audio_cmd = app.add_subcommand("pause-audio", "Pause a chair's alarm audio for 2 minutes");
  nurse_options(pause_audio_cmd);
  // Read-only, over the stream like the dashboard: --user only names who asked in the log.
  vigil::ctl::HistoryArgs history;
  auto* history_cmd = app.add_subcommand(
      "history", "Print a chair's stored history as vigild sends it to a late-connecting screen");
  nurse_options(history_cmd);
  history_cmd->add_option("--session", history.session,
                          "Session id (default: the chair's open or latest one)");
  history_cmd->add_option("--format", history.format, "text or jsonl")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      std::cerr << "vigilctl: " << usage_error(app, e) << " (see vigilctl --help)\n";
      return vigil::ctl::health_parse_failed(app) ? 3 : 2;
    }
    return app.exit(e);
  }

  if (auto code = fill_default_db(app, config)) return *code;
  if (*watch_cmd) return vigil::ctl::run_watch(watch);
  if (*board_cmd) return vigil::ctl::run_board(board);
  if (*readings_cmd) return vigil::ctl::run_readings(readings);
  if (*alerts_cmd) return vigil::ctl::run_alerts(alerts);
  if (*timeline_cmd) return vigil::ctl::run_timeline(timeline);
  if (*report_cmd) return vigil::ctl::run_report(report);
  if (auto code = forward_status()) return *code;
  if (auto code = unmapped()) return *code;
  if (auto code = replay()) return *code;
  if (auto code = backup()) return *code;
  if (auto code = health()) return *code;
  if (auto code = devices()) return *code;

  if (*history_cmd) {
    history.link = nurse;
    return vigil::ctl::run_history(history);
  }

  vigil::proto::NurseRequest request;
  if (*begin_cmd) {
    *request.mutable_begin() = begin;
  } else if (*baseline_cmd && accept_baseline) {
    request.mutable_baseline_override()->set_accept_measured(true);
  } else if (*baseline_cmd) {
    if (override_text.empty()) {
      std::cerr << "vigilctl: session baseline needs --override SYS/DIA or --accept\n";
      return 2;
    }
    double sys = 0, dia = 0;
    if (!vigil::ctl::parse_sys_dia(override_text, sys, dia) || dia >= sys) {
      std::cerr << "vigilctl: bad --override '" << override_text
                << "': expected SYS/DIA in mmHg, e.g. 128/82\n";
      return 2;
    }
    request.mutable_baseline_override()->set_sys_mmhg(sys);
    request.mutable_baseline_override()->set_dia_mmhg(dia);
  } else if (*start_cmd) {
    request.mutable_start_infusion();
  } else if (*stop_cmd) {
    request.mutable_stop_infusion();
  } else if (*pause_cmd) {
    request.mutable_pause_infusion();
  } else if (*resume_cmd) {
    request.mutable_resume_infusion();
  } else if (*end_cmd) {
    request.mutable_end_session();
  } else if (*ack_cmd) {
    request.mutable_acknowledge()->set_alert_id(alert_id);
  } else if (*pause_audio_cmd) {
    request.mutable_pause_audio();
  } else {
    return 2;
  }
  return vigil::ctl::run_nurse_request(nurse, request);
}
