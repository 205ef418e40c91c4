#pragma once
// The words and numbers a chair shows, as text (pure: the layout fits them, the panels draw
// them). One place, so the tile, the detail view and the layout tests say the same thing.

#include <charconv>
#include <string>

#include "client/ward_rules.hpp"
#include "client/ward_views.hpp"
#include "common/vocabulary.hpp"

namespace vigil::dashboard {

// A number for the screen: "120", "120?" when the device flagged it or Vigil found it
// implausible (as the web view and vigilctl board mark it: a number the rules did not
// believe is never shown like one they did), or "---" when blank. The model has rounded the
// value half away from zero, as the engine judges it. std::to_chars because the grid
// formats ~100 numbers a frame and printf's float path was a tenth of the frame's CPU
// (callgrind, docs/performance.md).
inline std::string number_text(const client::VitalView& v) {
  if (!v.value) return "---";
  char buf[400];  // the longest fixed-notation double
  const auto r = std::to_chars(buf, buf + sizeof buf, *v.value, std::chars_format::fixed, 0);
  std::string text(buf, r.ec == std::errc() ? r.ptr : buf);
  if (v.unverified) text += '?';
  return text;
}

// "12 s" when fresh, "5 min ago" when older than its cycle, "" when blank: the words
// vigilctl board prints too (ward_rules.hpp).
inline std::string age_label(const client::VitalView& v) { return client::shown_age(v); }

// The infusion clock: "INFUSION 12:30 / 40 min", "PAUSED ...", "RECOVERY 05:00", or the phase.
inline std::string clock_line(const client::ChairView& c) {
  if (c.recovery_ms) return "RECOVERY " + client::clock_text(*c.recovery_ms);
  if (c.infusion_running || c.infusion_elapsed_ms > 0) {
    std::string s =
        std::string(c.infusion_paused ? "PAUSED " : "INFUSION ") + client::clock_text(c.infusion_elapsed_ms);
    if (c.planned_minutes > 0) s += " / " + std::to_string(c.planned_minutes) + " min";
    return s;
  }
  return word(c.phase);
}

// "next NIBP 2 min", "NIBP overdue 3 min", "" when unknown or blanked.
inline std::string next_nibp_line(const client::ChairView& c, bool data_valid) {
  if (!data_valid || !c.next_nibp_in_ms) return "";
  return *c.next_nibp_in_ms >= 0 ? "next NIBP " + client::age_text(*c.next_nibp_in_ms)
                                 : "NIBP overdue " + client::age_text(-*c.next_nibp_in_ms);
}

// The alarm line of a tile or list row: "HIGH  SBP 214 ≥ 200  (ack nurse.lee)".
inline std::string alert_line(const client::AlertView& a) {
  std::string t =
      (a.advisory ? std::string("ADVISORY") : std::string(client::to_string(a.priority))) + "  " + a.text;
  if (a.state == proto::ACKNOWLEDGED && !a.acknowledged_by.empty()) t += "  (ack " + a.acknowledged_by + ")";
  return t;
}

// The optional second line under an alarm (tile and list): who it was escalated to, when
// the model carries it ("escalated to nurse.lee's phone 14:02:10"). "" for none.
inline std::string alert_second_line(const client::AlertView& a) { return a.escalation; }

}  // namespace vigil::dashboard
