#include "store/timeline_text.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/json_lines.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"
#include "store/alert_export.hpp"
#include "store/reading_export.hpp"

namespace vigil::store {

namespace {

constexpr double kThinDelta = 5;              // print a thinned kind when it moved this much
constexpr WallMillis kThinPeriodMs = 60'000;  // ... or this long after its last line

// "2026-11-21T10:15:00Z  session   " + text: the type padded so the texts line up.
std::string line(WallMillis at_ms, const char* type, const std::string& text) {
  std::string out = format_rfc3339(at_ms);
  out += "  ";
  out += type;
  out.append(10 - std::min<std::size_t>(10, std::char_traits<char>::length(type)), ' ');
  out += text;
  return out;
}

std::string number_or_dashes(const std::optional<double>& v) {
  if (!v) return "--";
  std::string text = format_value(*v);
  return text.empty() ? "NaN" : text;
}

std::string when(WallMillis ms) { return ms ? format_rfc3339(ms) : std::string("?"); }

std::string baseline_text(const proto::BaselineInfo& b) {
  if (!b.has_sys_mmhg() && !b.has_dia_mmhg()) return "none";
  std::string out = number_or_dashes(b.has_sys_mmhg() ? std::optional(b.sys_mmhg()) : std::nullopt);
  out += '/';
  out += number_or_dashes(b.has_dia_mmhg() ? std::optional(b.dia_mmhg()) : std::nullopt);
  out += " mmHg";
  if (b.source() != proto::BASELINE_SOURCE_UNSET) {
    out += " (" + word(b.source());
    if (b.nibp_readings_used() > 0) out += ", " + std::to_string(b.nibp_readings_used()) + " NIBP readings";
    if (!b.override_user().empty()) out += ", by " + b.override_user();
    out += ')';
  }
  return out;
}

}  // namespace

std::vector<std::string> timeline_header(const TimelineSession& session) {
  const proto::SessionInfo& s = session.info;
  std::vector<std::string> out;
  out.push_back("Session:  " + s.session_id());
  out.push_back("Chair:    " + s.bed());
  out.push_back("Patient:  " + (s.patient().empty() ? std::string("(no label)") : s.patient()));
  out.push_back("Profile:  " + (s.profile().empty() ? std::string("(default)") : s.profile()));
  out.push_back("Planned:  " + std::to_string(s.planned_minutes()) + " min");
  out.push_back("Baseline: " + baseline_text(s.baseline()));
  std::string phase = "Phase:    " + word(s.phase());
  if (session.until_ms) {
    phase += " (" + when(session.from_ms) + " to " + when(*session.until_ms) + ")";
  } else {
    phase += " (open since " + when(session.from_ms) + ")";
  }
  out.push_back(std::move(phase));
  return out;
}

std::string session_event_text(const proto::SessionEvent& e) {
  std::string out = word(e.event());
  if (!e.user().empty()) out += " by " + e.user();
  out += " (phase " + word(e.session().phase()) + ")";
  return out;
}

std::string alert_text(const proto::AlertEvent& a) {
  std::string out =
      word(a.rule()) + " " + word(a.priority()) + " " + word(a.state()) + " " + word(a.transition());
  if (!a.user().empty()) out += " by " + a.user();
  out += ": " + a.message();
  std::string numbers;
  auto add = [&numbers](const char* name, bool present, double v) {
    if (!present) return;
    if (!numbers.empty()) numbers += ", ";
    numbers += name;
    numbers += ' ';
    numbers += number_or_dashes(v);
  };
  add("limit", a.has_limit(), a.limit());
  add("baseline", a.has_baseline(), a.baseline());
  if (!numbers.empty()) out += " (" + numbers + ")";
  return out;
}

std::vector<std::string> TimelineTextRenderer::add(const TimelineItem& item) {
  std::vector<std::string> out;
  switch (item.kind) {
    case TimelineItem::Kind::Session:
      flush_nibp(out);
      out.push_back(line(item.at_ms, "session", session_event_text(*item.session_event)));
      break;
    case TimelineItem::Kind::Alert:
      flush_nibp(out);
      out.push_back(line(item.at_ms, "alert", alert_text(*item.alert)));
      break;
    case TimelineItem::Kind::Reading: {
      VitalKind kind = item.reading->reading.kind;
      if (kind == VitalKind::NibpSys || kind == VitalKind::NibpDia || kind == VitalKind::NibpMean) {
        add_nibp(*item.reading, out);
      } else {
        add_other(*item.reading, out);
      }
      break;
    }
  }
  return out;
}

std::vector<std::string> TimelineTextRenderer::finish() {
  std::vector<std::string> out;
  flush_nibp(out);
  return out;
}

void TimelineTextRenderer::flush_nibp(std::vector<std::string>& out) {
  if (!nibp_) return;
  std::string text = "NIBP " + number_or_dashes(nibp_->sys) + "/" + number_or_dashes(nibp_->dia);
  if (nibp_->mean) text += " (" + number_or_dashes(nibp_->mean) + ")";
  if (nibp_->withdrawn)
    text += " withdrawn by the device (status " + nibp_->invalid_status + ")";
  else if (nibp_->late)
    text += " late (an old result sent again)";
  else if (nibp_->unverified)
    text += " unverified";
  if (nibp_->invalid && !nibp_->withdrawn) text += " invalid (status " + nibp_->invalid_status + ")";
  out.push_back(line(nibp_->at_ms, "reading", text));
  nibp_.reset();
}

void TimelineTextRenderer::add_nibp(const StoredReading& row, std::vector<std::string>& out) {
  const Reading& r = row.reading;
  std::optional<double> Nibp::*part = r.kind == VitalKind::NibpSys   ? &Nibp::sys
                                      : r.kind == VitalKind::NibpDia ? &Nibp::dia
                                                                     : &Nibp::mean;
  // Another measurement (time or source differs, or this part is already filled): the
  // held one is complete.
  if (nibp_ &&
      (nibp_->at_ms != r.received_at_ms || nibp_->source != r.source || ((*nibp_).*part).has_value())) {
    flush_nibp(out);
  }
  if (!nibp_) {
    nibp_ = Nibp{};
    nibp_->at_ms = r.received_at_ms;
    nibp_->source = r.source;
  }
  // A withdrawal without its value sent none: "--", not a stored NaN.
  (*nibp_).*part = is_withdrawal(r) && std::isnan(r.value) ? std::nullopt : std::optional(r.value);
  if (row.context && !row.context->verified) nibp_->unverified = true;
  if (row.context && row.context->late) nibp_->late = true;
  if (is_withdrawal(r)) nibp_->withdrawn = true;
  if (!r.valid && !nibp_->invalid) {
    nibp_->invalid = true;
    nibp_->invalid_status = std::string(status_code(r.status));
  }
}

void TimelineTextRenderer::add_other(const StoredReading& row, std::vector<std::string>& out) {
  const Reading& r = row.reading;
  bool unverified = row.context && !row.context->verified;
  std::optional<Printed>& last = last_[static_cast<std::size_t>(r.kind)];
  bool print = !last || !r.valid || unverified || std::isnan(r.value) || std::isnan(last->value) ||
               std::fabs(r.value - last->value) >= kThinDelta ||
               r.received_at_ms - last->at_ms >= kThinPeriodMs;
  if (!print) return;
  last = Printed{r.value, r.received_at_ms};
  std::string text(to_string(r.kind));
  text += ' ';
  text += number_or_dashes(is_withdrawal(r) && std::isnan(r.value) ? std::nullopt : std::optional(r.value));
  text += ' ';
  text += canonical_unit(r.kind);
  if (is_withdrawal(r))
    text += " withdrawn by the device (status " + std::string(status_code(r.status)) + ")";
  else if (row.context && row.context->late)
    text += " late (an old result sent again)";
  else if (unverified)
    text += " unverified";
  if (!r.valid && !is_withdrawal(r)) text += " invalid (status " + r.status + ")";
  // A held NIBP line received earlier goes first; one received with this same message
  // stays held, so an HR logged between its parts does not split it.
  if (nibp_ && nibp_->at_ms < r.received_at_ms) flush_nibp(out);
  out.push_back(line(r.received_at_ms, "reading", text));
}

std::string timeline_jsonl(const TimelineItem& item) {
  switch (item.kind) {
    case TimelineItem::Kind::Session: return to_json_line(session_line(*item.session_event, false));
    case TimelineItem::Kind::Reading: return jsonl_row(*item.reading);
    case TimelineItem::Kind::Alert: return alert_jsonl_row(*item.alert);
  }
  return {};
}

}  // namespace vigil::store
