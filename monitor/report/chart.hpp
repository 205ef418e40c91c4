#pragma once
// The session trend for a printed page: SBP, DBP and MAP on the left scale (mmHg), HR on the
// right (/min), the baseline band (baseline SBP +/- 10 mmHg, as on the dashboard) and the DBP
// baseline, the SBP thresholds, and the infusion start/stop marks.
//
// Legible in black and white: each series has its own line style AND marker shape (SBP solid
// with filled triangles, DBP dashed with open squares, MAP dotted with diamonds, HR dash-dot
// with crosses); colour only helps on a colour printer.

#include <cairo.h>

#include "report/report_data.hpp"

namespace vigil::report {

// Draws the chart and its legend inside the rectangle (points).
void draw_trend_chart(cairo_t* cr, double x, double y, double w, double h, const ReportData& d);

}  // namespace vigil::report
