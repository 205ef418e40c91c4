#include "report/csv.hpp"

#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"
#include "report/report_text.hpp"
#include "store/reading_export.hpp"

namespace vigil::report {

namespace {

struct Writer {
  std::string out = "section,time,item,value,unit,who,detail\r\n";
  void row(const std::string& section, std::optional<WallMillis> at, const std::string& item,
           const std::string& value, const std::string& unit = {}, const std::string& who = {},
           const std::string& detail = {}) {
    const std::string fields[] = {section, at ? format_rfc3339(*at) : std::string(), item, value, unit, who,
                                  detail};
    bool first = true;
    for (const std::string& f : fields) {
      if (!first) out += ',';
      first = false;
      out += store::csv_field(f);
    }
    out += "\r\n";
  }
};

}  // namespace

std::string report_csv(const ReportData& d) {
  Writer w;
  for (const Row& r : summary_rows(d)) w.row("summary", std::nullopt, r.label, r.value);
  if (d.peak_sys) w.row("peak", d.peak_sys->at_ms, "SBP", store::format_value(d.peak_sys->value), "mmHg");
  if (d.peak_dia) w.row("peak", d.peak_dia->at_ms, "DBP", store::format_value(d.peak_dia->value), "mmHg");
  const auto& b = d.session.baseline();
  if (b.has_sys_mmhg())
    w.row("baseline", b.at_ms() ? std::optional<WallMillis>(b.at_ms()) : std::nullopt, "SBP",
          store::format_value(b.sys_mmhg()), "mmHg", b.override_user(), word(b.source()));
  if (b.has_dia_mmhg())
    w.row("baseline", b.at_ms() ? std::optional<WallMillis>(b.at_ms()) : std::nullopt, "DBP",
          store::format_value(b.dia_mmhg()), "mmHg", b.override_user(), word(b.source()));
  for (const ThresholdTime& t : d.above) {
    w.row("above", std::nullopt, threshold_label(t.threshold), std::to_string((t.above_ms + 500) / 1000), "s",
          "", std::to_string(t.readings_above) + " readings");
  }
  for (const AlertSummary& a : d.alerts) {
    std::string detail =
        word(a.rule) + " " + word(a.priority) + (a.escalated ? " escalated" : "") + ": " + a.message;
    detail += a.acknowledged_at_ms ? "; acknowledged " + format_rfc3339(*a.acknowledged_at_ms)
                                   : "; not acknowledged";
    if (a.resolved_at_ms) detail += "; resolved " + format_rfc3339(*a.resolved_at_ms);
    w.row("alert", a.onset_ms, a.id, word(a.priority), "", a.acknowledged_by, detail);
  }
  if (d.alerts_not_shown) w.row("alert", std::nullopt, "not listed", std::to_string(d.alerts_not_shown));
  for (const ActionEntry& a : d.actions) w.row("action", a.at_ms, a.what, "", "", a.who, a.detail);
  if (d.actions_not_shown) w.row("action", std::nullopt, "not listed", std::to_string(d.actions_not_shown));
  auto series = [&](const char* name, const char* unit, const std::vector<Sample>& pts) {
    for (const Sample& s : pts) w.row("series", s.at_ms, name, store::format_value(s.value), unit);
  };
  series("SBP", "mmHg", d.sys);
  series("DBP", "mmHg", d.dia);
  series("MAP", "mmHg", d.map);
  series("HR", "/min", d.hr);
  return w.out;
}

}  // namespace vigil::report
