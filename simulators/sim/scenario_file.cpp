#include "sim/scenario_file.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <tuple>
#include <vector>

#include "sim/named_scenarios.hpp"

namespace vigil::sim {

namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;
constexpr std::size_t kMaxEvents = 200;
constexpr double kMinMinute = -180, kMaxMinute = 1440;

struct LineError {
  std::string message;
};

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) words.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return words;
}

double number(const std::string& word, double lo, double hi) {
  double v = 0;
  const char* end = word.data() + word.size();
  auto [ptr, ec] = std::from_chars(word.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) throw LineError{"'" + word + "' is not a number"};
  if (v < lo || v > hi) {
    std::ostringstream os;
    os << "'" << word << "' is out of range [" << lo << ", " << hi << "]";
    throw LineError{os.str()};
  }
  return v;
}

// "150/95" -> {150, 95}
std::pair<double, double> pressure_pair(const std::string& word, double lo, double hi) {
  auto slash = word.find('/');
  if (slash == std::string::npos) throw LineError{"expected SYS/DIA, got '" + word + "'"};
  return {number(word.substr(0, slash), lo, hi), number(word.substr(slash + 1), lo, hi)};
}

void need_args(const std::vector<std::string>& w, std::size_t lo, std::size_t hi) {
  const std::size_t n = w.size() - 1;
  if (n < lo || n > hi) {
    std::ostringstream os;
    os << "'" << w[0] << "' takes " << lo;
    if (hi != lo) os << " to " << hi;
    os << " value(s), got " << n;
    throw LineError{os.str()};
  }
}

void apply_event(Scenario& s, const std::vector<std::string>& w) {
  need_args(w, 3, 4);
  auto kind = event_kind_from_string(w[2]);
  if (!kind)
    throw LineError{"unknown event '" + w[2] +
                    "' (dip, tachycardia, desaturation, artifact, cuff-failure, unplug)"};
  if (s.events.size() >= kMaxEvents) throw LineError{"too many events"};
  ScenarioEvent e;
  e.minute = number(w[1], kMinMinute, kMaxMinute);
  e.kind = *kind;
  e.duration_min = number(w[3], 0.1, 600);
  if (w.size() > 4) e.magnitude = number(w[4], 1, 300);
  s.events.push_back(e);
}

void apply_action(Scenario& s, const std::vector<std::string>& w) {
  need_args(w, 2, 2);
  auto kind = nurse_action_from_string(w[2]);
  if (!kind) throw LineError{"unknown nurse action '" + w[2] + "' (begin, start, stop, end)"};
  if (s.actions.size() >= kMaxEvents) throw LineError{"too many actions"};
  s.actions.push_back({number(w[1], kMinMinute, kMaxMinute), *kind});
}

void apply_line(Scenario& s, const std::vector<std::string>& w, bool first, std::uint64_t seed) {
  const std::string& key = w[0];
  auto& p = s.patient;
  if (key == "from") {
    need_args(w, 1, 1);
    if (!first) throw LineError{"'from' must be the first line"};
    auto base = make_named_scenario(w[1], seed);
    if (!base) throw LineError{"unknown scenario '" + w[1] + "' (see vigil-sim --list)"};
    s = *base;
  } else if (key == "name") {
    need_args(w, 1, 1);
    s.name = w[1];
  } else if (key == "baseline") {
    need_args(w, 1, 1);
    std::tie(p.baseline_sys_mmhg, p.baseline_dia_mmhg) = pressure_pair(w[1], 20, 300);
  } else if (key == "heart-rate") {
    need_args(w, 1, 1);
    p.baseline_hr_bpm = number(w[1], 20, 250);
  } else if (key == "spo2") {
    need_args(w, 1, 1);
    p.baseline_spo2_pct = number(w[1], 50, 100);
  } else if (key == "peak-rise") {
    need_args(w, 1, 1);
    std::tie(p.peak_rise_sys_mmhg, p.peak_rise_dia_mmhg) = pressure_pair(w[1], -100, 200);
  } else if (key == "peak-minute") {
    need_args(w, 1, 1);
    p.peak_minute = number(w[1], 1, 600);
  } else if (key == "recovery-tau") {
    need_args(w, 1, 1);
    p.recovery_tau_min = number(w[1], 1, 600);
  } else if (key == "hr-rise") {
    need_args(w, 1, 1);
    p.hr_rise_bpm = number(w[1], -100, 100);
  } else if (key == "infusion") {
    need_args(w, 1, 1);
    s.infusion_minutes = number(w[1], 1, 600);
  } else if (key == "nibp-cycle") {
    need_args(w, 1, 1);
    s.nibp_cycle_min = number(w[1], 1, 120);
  } else if (key == "recovery-cycle") {
    need_args(w, 1, 1);
    s.recovery_cycle_min = number(w[1], 1, 120);
  } else if (key == "recovery") {
    need_args(w, 1, 1);
    s.recovery_minutes = number(w[1], 0, 720);
  } else if (key == "baseline-readings") {
    need_args(w, 0, 20);
    s.baseline_nibp_minutes.clear();
    for (std::size_t i = 1; i < w.size(); ++i) s.baseline_nibp_minutes.push_back(number(w[i], kMinMinute, 0));
  } else if (key == "labelled") {
    need_args(w, 0, 0);
    s.labelled = true;
  } else if (key == "label-episode") {
    need_args(w, 2, 2);
    if (s.label_episodes.size() >= kMaxEvents) throw LineError{"too many labels"};
    const double from = number(w[1], kMinMinute, kMaxMinute), to = number(w[2], kMinMinute, kMaxMinute);
    if (to <= from) throw LineError{"label-episode: TO must be after FROM"};
    s.labelled = true;
    s.label_episodes.push_back({from, to});
  } else if (key == "event") {
    apply_event(s, w);
  } else if (key == "action") {
    apply_action(s, w);
  } else {
    throw LineError{"unknown key '" + key + "'"};
  }
}

}  // namespace

ScenarioParse parse_scenario_text(std::string_view text, std::uint64_t seed) {
  ScenarioParse out;
  Scenario s;
  s.name = "custom";
  int line_no = 0;
  bool first = true;
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto words = split_words(line);
    if (words.empty()) continue;
    try {
      apply_line(s, words, first, seed);
    } catch (const LineError& e) {
      out.error_line = line_no;
      out.error = "line " + std::to_string(line_no) + ": " + e.message;
      return out;
    }
    first = false;
  }
  out.scenario = std::move(s);
  return out;
}

ScenarioParse load_scenario_file(const std::string& path, std::uint64_t seed) {
  ScenarioParse out;
  // A directory opens as a stream on Linux and reads as nothing: an empty scenario.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    out.error = "scenario file '" + path + "' is a directory";
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.error = "cannot open scenario file '" + path + "'";
    return out;
  }
  std::string text;
  text.resize(kMaxFileBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes) {
    out.error = "scenario file '" + path + "' is larger than 1 MiB";
    return out;
  }
  out = parse_scenario_text(text, seed);
  if (!out.scenario) out.error = path + ": " + out.error;
  return out;
}

}  // namespace vigil::sim
