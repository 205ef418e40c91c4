#include "store/alert_export.hpp"

#include "common/json_lines.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"
#include "store/reading_export.hpp"

namespace vigil::store {

std::string alert_csv_header() {
  return "id,alert_id,bed,rule,priority,state,transition,kind,value,limit,baseline,message,at,"
         "user,acknowledged_by,phase,limits,profile";
}

std::string alert_csv_row(const proto::AlertEvent& a) {
  std::string out = std::to_string(a.log_id());
  auto text = [&out](const std::string& field) {
    out += ',';
    out += csv_field(field);
  };
  auto number = [&out](bool present, double value) {
    out += ',';
    if (present) out += format_value(value);
  };
  text(a.id());
  text(a.bed());
  text(word(a.rule()));
  text(word(a.priority()));
  text(word(a.state()));
  text(word(a.transition()));
  text(word(a.kind()));
  number(a.has_value(), a.value());
  number(a.has_limit(), a.limit());
  number(a.has_baseline(), a.baseline());
  text(a.message());
  out += ',';
  out += format_rfc3339(a.at_ms());
  text(a.user());
  text(a.acknowledged_by());
  text(word(a.phase()));
  text(a.limits());
  text(a.profile());
  return out;
}

std::string alert_jsonl_row(const proto::AlertEvent& alert) { return to_json_line(alert_line(alert, false)); }

}  // namespace vigil::store
