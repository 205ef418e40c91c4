#include "client/ward_rules.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <tuple>

#include "client/ward_time.hpp"
#include "common/proto_convert.hpp"
#include "common/vocabulary.hpp"

namespace vigil::client {

namespace {

constexpr std::int64_t kMinute = 60'000;
// Without the daemon's cycles (an older vigild): the shortest NIBP cycle in use.
constexpr std::int64_t kNibpFallbackMs = 5 * kMinute;
// HR, SpO2 and other continuous values: sent at least once a minute.
constexpr std::int64_t kContinuousMs = kMinute;

// Order of inactivation states in a list: what still needs someone first.
int state_rank(proto::AlertState state) {
  switch (state) {
    case proto::ACTIVE:
    case proto::LATCHED: return 0;
    case proto::AUDIO_PAUSED: return 1;
    case proto::ACKNOWLEDGED: return 2;
    default: return 3;
  }
}

}  // namespace

Priority to_view(proto::Priority priority) {
  const int rank = priority_rank(priority);
  return rank == 0 ? Priority::Low : static_cast<Priority>(rank);
}

std::string_view to_string(Priority priority) {
  switch (priority) {
    case Priority::High: return "HIGH";
    case Priority::Medium: return "MEDIUM";
    case Priority::Low: return "LOW";
    case Priority::None: break;
  }
  return "NONE";
}

AlertColour alert_colour(Priority priority, bool advisory) {
  if (advisory) return AlertColour::Advisory;
  switch (priority) {
    case Priority::High: return AlertColour::Red;
    case Priority::Medium: return AlertColour::Yellow;
    default: return AlertColour::Cyan;
  }
}

bool alert_flashes(Priority priority, proto::AlertState state, bool advisory) {
  if (advisory || state == proto::ACKNOWLEDGED || state == proto::ADVISORY) return false;
  return priority == Priority::High || priority == Priority::Medium;
}

bool flash_lit(Priority priority, proto::AlertState state, bool advisory, std::int64_t now_ms) {
  if (!alert_flashes(priority, state, advisory)) return true;
  const std::int64_t period = priority == Priority::High ? kHighFlashPeriodMs : kMediumFlashPeriodMs;
  std::int64_t phase = now_ms % period;
  if (phase < 0) phase += period;
  return phase < period / 2;  // 50 % on: inside the 20-60 % the standard allows
}

std::int64_t expected_cycle_ms(proto::VitalKind kind, proto::Phase phase,
                               const std::optional<NibpCycles>& cycles,
                               std::optional<std::int64_t> recovery_ms) {
  const bool nibp = kind == proto::NIBP_SYS || kind == proto::NIBP_DIA || kind == proto::NIBP_MEAN;
  if (!nibp) return kContinuousMs;
  if (!cycles) return kNibpFallbackMs;
  switch (phase) {
    case proto::baseline:
    case proto::infusion: return cycles->infusion_ms;
    case proto::recovery:
      return recovery_ms && *recovery_ms >= cycles->recovery_early_span_ms ? cycles->recovery_late_ms
                                                                           : cycles->recovery_early_ms;
    default:
      // No infusion running: the monitor's own automatic cycle, the slowest the profile expects.
      return cycles->recovery_late_ms;
  }
}

bool pulse_counts_as_hr(std::optional<std::int64_t> last_ecg_hr_ms, std::int64_t pulse_ms,
                        std::int64_t after_ms) {
  return !last_ecg_hr_ms || pulse_ms - *last_ecg_hr_ms > after_ms;
}

std::vector<proto::VitalKind> withdrawn_kinds(proto::VitalKind kind) {
  const std::optional<VitalKind> withdrawn = from_proto(kind);
  if (!withdrawn) return {kind};
  std::vector<proto::VitalKind> out;
  for (const VitalKind k : kAllVitalKinds) {
    if (withdrawal_takes(*withdrawn, k)) out.push_back(to_proto(k));
  }
  return out;
}

std::uint32_t source_hash(std::string_view source) {
  std::uint32_t h = 2166136261u;
  for (const unsigned char c : source) h = (h ^ c) * 16777619u;
  return h;
}

std::string age_text(std::int64_t age_ms) {
  if (age_ms < 1000) return "now";
  const std::int64_t s = age_ms / 1000;
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(s / 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", static_cast<long long>(s / 3600),
                  static_cast<long long>((s % 3600) / 60));
  }
  return buf;
}

std::string shown_age(const VitalView& v) {
  if (!v.value) return "";
  return v.freshness == Freshness::Stale ? v.age_text + " ago" : v.age_text;
}

std::string clock_text(std::int64_t ms) {
  if (ms < 0) ms = 0;
  const std::int64_t s = ms / 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60),
                static_cast<long long>(s % 60));
  return buf;
}

std::string time_of_day_text(std::int64_t wall_ms) {
  const std::time_t t = static_cast<std::time_t>(sane_ms(wall_ms) / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

std::string escalation_text(const std::string& escalated_to, std::int64_t escalated_at_ms,
                            unsigned unreached_tier, std::int64_t unreached_at_ms) {
  std::string out;
  if (!escalated_to.empty()) out = "escalated to " + escalated_to + " " + time_of_day_text(escalated_at_ms);
  if (unreached_tier != 0) {
    if (!out.empty()) out += "; ";
    out +=
        "no one on call for tier " + std::to_string(unreached_tier) + " " + time_of_day_text(unreached_at_ms);
  }
  return out;
}

void sort_alerts(std::vector<AlertView>& alerts) {
  std::stable_sort(alerts.begin(), alerts.end(), [](const AlertView& a, const AlertView& b) {
    return std::make_tuple(a.advisory, -static_cast<int>(a.priority), state_rank(a.state), a.onset_ms,
                           std::string_view(a.id)) <
           std::make_tuple(b.advisory, -static_cast<int>(b.priority), state_rank(b.state), b.onset_ms,
                           std::string_view(b.id));
  });
}

std::string display_text(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 8);
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (i + 1 < message.size() && message[i + 1] == '=' && (message[i] == '>' || message[i] == '<')) {
      out += message[i] == '>' ? "\xE2\x89\xA5" : "\xE2\x89\xA4";  // ≥ ≤ in UTF-8
      ++i;
    } else {
      out += message[i];
    }
  }
  return out;
}

}  // namespace vigil::client
