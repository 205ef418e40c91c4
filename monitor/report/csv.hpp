#pragma once
// The report as CSV (RFC 4180, one table) for spreadsheets and the chart archive:
//   section,time,item,value,unit,who,detail
// sections: summary (the header facts as text), peak, above (seconds at or over each
// threshold), alert (one per alert: time = onset, who = acknowledged by), action, and
// series (the chart's points: SBP, DBP, MAP, HR). Times are RFC 3339 UTC, so a CSV is
// unambiguous wherever it is opened.

#include <string>

#include "report/report_data.hpp"

namespace vigil::report {

std::string report_csv(const ReportData& d);

}  // namespace vigil::report
