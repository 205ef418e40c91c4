// vigilctl replay: what a rule profile would have done. Re-runs stored sessions (--db), scenario
// files (--scenario) or the generated labelled corpus (--corpus N) through the alert engine
// as fast as the CPU allows (engine time from the recorded times, no sleeping).
//
//   $ vigilctl replay --scenario late-peak.scenario --ack-after 60
//   replay: 1 sessions, 1.9 monitored hours, profile default
//   per monitored hour (alarms that started to sound; advisories are silent):
//     HIGH     0.00  (0)
//     MEDIUM   0.53  (1)   P3 0.53
//   ...
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "alerts/profile_config.hpp"
#include "common/config_file.hpp"
#include "config.pb.h"
#include "ctl/export_runner.hpp"
#include "ctl/replay_db.hpp"
#include "replay/corpus.hpp"
#include "replay/replay_report.hpp"
#include "sim/scenario_file.hpp"
#include "sim/session_plan.hpp"
#include "store/records.hpp"

#include <google/protobuf/text_format.h>

namespace vigil::ctl {

namespace {

struct ReplayArgs {
  std::string db;
  std::optional<std::string> since;
  std::optional<std::string> bed;
  std::vector<std::string> scenarios;
  int corpus = 0;
  std::uint64_t seed = 1;
  std::string config;
  std::string profile = "default";
  std::string format = "text";
  std::optional<double> ack_after_s;
  bool spot_check = false;
  bool list_sessions = true;
  bool events = false;
  bool readings = false;
};

// --events: what each session sounded, with its labels, in session minutes; with --readings
// also its NIBP measurements (artifact labels), failed cuffs and nurse actions, in time order.
void print_events(const std::vector<replay::Feed>& feeds, const std::vector<replay::SessionResult>& results,
                  bool readings) {
  char buf[96];
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const replay::Feed& f = feeds[i];
    std::cout << f.name << ":\n";
    for (std::size_t k = 0; k < f.episodes.size(); ++k) {
      const replay::Episode& e = f.episodes[k];
      std::snprintf(buf, sizeof buf, "  episode %.2f-%.2f min, confirmed by %.2f",
                    static_cast<double>(e.from_ms) / 60000, static_cast<double>(e.to_ms) / 60000,
                    static_cast<double>(e.confirm_ms) / 60000);
      std::cout << buf;
      const std::int64_t alarm = k < results[i].episode_alarm_ms.size() ? results[i].episode_alarm_ms[k] : -1;
      if (alarm < 0) {
        std::cout << ", MISSED\n";
      } else {
        std::snprintf(buf, sizeof buf, ", first alarm %.2f%s\n", static_cast<double>(alarm) / 60000,
                      alarm > e.confirm_ms + replay::kConfirmSlackMs ? " (LATE)" : "");
        std::cout << buf;
      }
    }
    std::vector<std::pair<std::int64_t, std::string>> lines;
    for (const replay::Sounding& x : results[i].soundings) {
      std::snprintf(buf, sizeof buf, "  %7.2f min ", static_cast<double>(x.at_ms) / 60000);
      lines.emplace_back(x.at_ms, buf + x.priority + " " + x.rule +
                                      (x.actionable ? "" : " (non-actionable)") + ": " + x.message);
    }
    if (readings) {
      for (std::size_t k = 0; k < f.items.size(); ++k) {
        const replay::FeedItem& it = f.items[k];
        std::snprintf(buf, sizeof buf, "  %7.2f min ", static_cast<double>(it.at_ms) / 60000);
        if (it.kind == replay::FeedItem::Kind::Reading && it.reading.kind == VitalKind::NibpSys) {
          std::string dia;
          if (k + 1 < f.items.size() && f.items[k + 1].at_ms == it.at_ms &&
              f.items[k + 1].reading.kind == VitalKind::NibpDia)
            dia = "/" + std::to_string(static_cast<int>(f.items[k + 1].reading.value));
          const bool artifact =
              std::find(f.artifact_ms.begin(), f.artifact_ms.end(), it.at_ms) != f.artifact_ms.end();
          lines.emplace_back(it.at_ms, buf + std::string("  reading ") +
                                           std::to_string(static_cast<int>(it.reading.value)) + dia +
                                           (artifact ? " (artifact)" : ""));
        } else if (it.kind == replay::FeedItem::Kind::Device &&
                   it.device.kind == alerts::DeviceEventKind::NibpFailed) {
          lines.emplace_back(it.at_ms, buf + std::string("  cuff failed: ") + it.device.text);
        } else if (it.kind == replay::FeedItem::Kind::Nurse) {
          lines.emplace_back(it.at_ms,
                             buf + std::string("  nurse: ") + std::string(alerts::to_string(it.action.kind)));
        }
      }
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [at, line] : lines) std::cout << line << "\n";
  }
}

// The profile by name from a vigild config file (its rule_profile blocks), or the built-in.
std::optional<alerts::RuleProfile> load_profile(const ReplayArgs& a) {
  std::vector<alerts::RuleProfile> profiles{alerts::RuleProfile{}};
  if (!a.config.empty()) {
    const ConfigFileText file = read_config_file(a.config);
    if (file.problem != ConfigFileProblem::None) {
      std::cerr << "vigilctl replay: --config " << a.config << ": " << to_string(file.problem) << "\n";
      return std::nullopt;
    }
    proto::DaemonConfig config;
    if (!google::protobuf::TextFormat::ParseFromString(file.text, &config)) {
      std::cerr << "vigilctl replay: --config " << a.config << " is not a vigild config file\n";
      return std::nullopt;
    }
    try {
      profiles = alerts::profiles_from_config(config.rule_profile());
    } catch (const std::exception& e) {
      std::cerr << "vigilctl replay: --config " << a.config << ": " << e.what() << "\n";
      return std::nullopt;
    }
  }
  for (const alerts::RuleProfile& p : profiles)
    if (p.name == a.profile) return p;
  std::cerr << "vigilctl replay: no rule profile '" << a.profile << "'"
            << (a.config.empty() ? " (no --config)" : "") << "\n";
  return std::nullopt;
}

int run(const ReplayArgs& a) {
  const int sources = (a.db.empty() ? 0 : 1) + (a.scenarios.empty() ? 0 : 1) + (a.corpus > 0 ? 1 : 0);
  if (sources != 1) {
    std::cerr << "vigilctl replay: give exactly one of --db, --scenario, --corpus\n";
    return 2;
  }
  const auto profile = load_profile(a);
  if (!profile) return 2;
  replay::RunOptions options;
  std::vector<replay::Feed> feeds;
  if (!a.db.empty()) {
    options.ack_after_ms = 0;  // the recorded acknowledgments are replayed
    std::optional<WallMillis> since;
    if (!parse_since(a.since, since)) return 2;
    try {
      feeds = feeds_from_db(a.db, a.bed, since);
    } catch (const std::exception& e) {
      std::cerr << "vigilctl replay: " << e.what() << "\n";
      return 1;
    }
  } else if (!a.scenarios.empty()) {
    replay::FeedOptions fo;
    fo.numerics = !a.spot_check;
    for (const std::string& path : a.scenarios) {
      const sim::ScenarioParse parsed = sim::load_scenario_file(path, a.seed);
      if (!parsed.scenario) {
        std::cerr << "vigilctl replay: " << path << ": " << parsed.error << "\n";
        return 2;
      }
      replay::Feed f =
          replay::feed_from_plan(*parsed.scenario, sim::plan_session(*parsed.scenario, a.seed), fo);
      if (f.name.empty()) f.name = path;
      feeds.push_back(std::move(f));
    }
  } else {
    for (const replay::CorpusSession& c : replay::make_corpus(a.seed, a.corpus))
      feeds.push_back(replay::corpus_feed(c));
  }
  if (a.ack_after_s) options.ack_after_ms = static_cast<std::int64_t>(*a.ack_after_s * 1000);
  std::vector<replay::SessionResult> results;
  results.reserve(feeds.size());
  for (const replay::Feed& f : feeds) results.push_back(replay::run_feed(f, *profile, options));
  const replay::ReplaySummary summary = replay::summarize(results);
  if (a.events) print_events(feeds, results, a.readings);
  std::cout << (a.format == "json" ? replay::format_json(summary, results, profile->name)
                                   : replay::format_text(summary, results, profile->name, a.list_sessions));
  return 0;
}

}  // namespace

// Registers the subcommand; the returned function runs it if it was chosen (nullopt if not).
std::function<std::optional<int>()> add_replay(CLI::App& app) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay", "Re-run stored sessions, scenario files or a labelled corpus through the alert engine");
  cmd->add_option("--db", args->db,
                  "vigild's database file (stored sessions, their nurse actions and acknowledgments)");
  cmd->add_option("--since", args->since, "--db: sessions begun at or after (RFC 3339, date, or epoch ms)");
  cmd->add_option("--bed", args->bed, "--db: one chair only");
  cmd->add_option("--scenario", args->scenarios, "vigil-sim scenario file(s), optionally labelled")
      ->expected(1, -1);
  cmd->add_option("--corpus", args->corpus, "Replay N generated labelled sessions (seeded by --seed)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", args->seed, "Seed of the scenario patients / the corpus")->capture_default_str();
  cmd->add_option("--config", args->config, "vigild config file with rule_profile blocks");
  cmd->add_option("--profile", args->profile, "Rule profile to replay with")->capture_default_str();
  cmd->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option(
         "--ack-after", args->ack_after_s,
         "Acknowledge each alarm this many seconds after it sounds (0: never; default 60, --db: as recorded)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_flag("--spot-check", args->spot_check, "--scenario: the monitor sends NIBP only (no numerics)");
  cmd->add_flag("!--no-sessions", args->list_sessions, "text: leave out the per-session list");
  cmd->add_flag("--events", args->events,
                "Print every alarm and advisory of every session (session minutes) first");
  cmd->add_flag("--readings", args->readings,
                "--events: also list NIBP readings (artifacts marked), failed cuffs, nurse actions");
  return [cmd, args]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    return run(*args);
  };
}

}  // namespace vigil::ctl
