#pragma once
// The report on A4 portrait pages (595 x 842 points): header facts, times above the
// thresholds, the trend chart, then the alert and action tables, which flow onto further
// pages with their headers repeated. The pages come from a PageSink, so the same layout
// feeds the PDF (one surface, many pages) and the PNG (one image per page, stacked).

#include <cairo.h>

#include "report/report_data.hpp"

namespace vigil::report {

inline constexpr double kA4WidthPt = 595.276;
inline constexpr double kA4HeightPt = 841.890;

class PageSink {
 public:
  virtual ~PageSink() = default;
  // A context for a fresh page, in points, origin top left, white background.
  virtual cairo_t* begin_page() = 0;
  virtual void end_page() = 0;
};

struct LayoutResult {
  int pages = 0;
  bool truncated = false;  // the page budget ran out; the last footer says so
};

// Lays the report out on at most `max_pages` pages.
LayoutResult lay_out_report(const ReportData& d, PageSink& sink, int max_pages);

}  // namespace vigil::report
