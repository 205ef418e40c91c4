#include "report/pdf_layout.hpp"

#include <numeric>
#include <string>
#include <vector>

#include "report/cairo_text.hpp"
#include "report/chart.hpp"
#include "report/report_text.hpp"

namespace vigil::report {

namespace {

constexpr double kMargin = 42;
constexpr double kBottom = kA4HeightPt - 34;  // content stops here; the footer is below
constexpr double kWidth = kA4WidthPt - 2 * kMargin;

// The page cursor: `room(h)` moves to a new page when h points do not fit; false once the
// page budget is spent (everything after that is left out, and the last footer says so).
class Pages {
 public:
  Pages(PageSink& sink, const ReportData& d, int max_pages) : sink_(sink), d_(d), max_pages_(max_pages) {}

  bool room(double h) {
    if (truncated_) return false;
    if (cr_ && y + h <= kBottom) return true;
    if (cr_ && pages_ >= max_pages_) {
      truncated_ = true;
      return false;
    }
    next();
    return true;
  }

  LayoutResult finish() {
    if (cr_) close();
    return {pages_, truncated_};
  }

  cairo_t* cr() const { return cr_; }
  bool fresh() const { return y <= kMargin + 14; }
  double y = 0;

 private:
  void next() {
    if (cr_) close();
    cr_ = sink_.begin_page();
    ++pages_;
    y = kMargin;
    if (pages_ > 1) {  // continuation pages name the patient and chair at the top
      set_font(cr_, 8);
      cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3);
      text_at(cr_, kMargin, y,
              d_.session.patient() + "  " + d_.session.bed() + "  " + date_of(d_.from_ms) + "  (continued)");
      cairo_set_source_rgb(cr_, 0, 0, 0);
      y += 14;
    }
  }

  void close() {
    set_font(cr_, 7);
    cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3);
    std::string footer = "Vigil session report  " + d_.session.bed() + "  session " +
                         d_.session.session_id() + "  generated " + date_of(d_.generated_at_ms) + " " +
                         time_of_day(d_.generated_at_ms) + "  page " + std::to_string(pages_);
    text_at(cr_, kMargin, kA4HeightPt - 24, footer);
    if (truncated_) {
      set_font(cr_, 8, true);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      text_at(cr_, kMargin, kA4HeightPt - 13,
              "Continued: this image shows the first " + std::to_string(pages_) +
                  " pages only; the PDF and CSV reports hold everything.");
    }
    sink_.end_page();
    cr_ = nullptr;
  }

  PageSink& sink_;
  const ReportData& d_;
  int max_pages_;
  int pages_ = 0;
  bool truncated_ = false;
  cairo_t* cr_ = nullptr;
};

void heading(Pages& p, const std::string& text) {
  if (!p.room(40)) return;  // a heading never ends a page alone
  if (!p.fresh()) p.y += 8;
  set_font(p.cr(), 11, true);
  text_at(p.cr(), kMargin, p.y + 10, text);
  p.y += 16;
}

void rows(Pages& p, const std::vector<Row>& items, double label_w) {
  for (const Row& r : items) {
    cairo_t* cr = p.cr();
    if (!cr) return;
    set_font(cr, 9);
    std::vector<std::string> lines = wrap(cr, r.value, kWidth - label_w, 3);
    const double h = 12.0 * static_cast<double>(lines.size());
    if (!p.room(h)) return;
    cr = p.cr();
    set_font(cr, 9, true);
    text_at(cr, kMargin, p.y + 9, r.label);
    set_font(cr, 9);
    for (std::size_t i = 0; i < lines.size(); ++i)
      text_at(cr, kMargin + label_w, p.y + 9 + 12.0 * i, lines[i]);
    p.y += h;
  }
}

// A table whose columns share the width by `weights`; cells are cut with "..." to fit.
void table(Pages& p, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& body, const std::vector<double>& weights) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  auto draw_row = [&](const std::vector<std::string>& cells, bool bold) {
    cairo_t* cr = p.cr();
    set_font(cr, 7.5, bold);
    double x = kMargin;
    for (std::size_t i = 0; i < cells.size() && i < weights.size(); ++i) {
      const double w = kWidth * weights[i] / total;
      text_at(cr, x, p.y + 8, ellipsize(cr, cells[i], w - 4));
      x += w;
    }
    if (bold) {
      cairo_set_line_width(cr, 0.6);
      cairo_move_to(cr, kMargin, p.y + 10.5);
      cairo_line_to(cr, kMargin + kWidth, p.y + 10.5);
      cairo_stroke(cr);
    }
    p.y += bold ? 13 : 10.5;
  };
  if (!p.room(24)) return;
  draw_row(header, true);
  for (const auto& cells : body) {
    if (!p.room(10.5)) return;
    if (p.fresh()) draw_row(header, true);  // header repeated on a new page
    draw_row(cells, false);
  }
}

void note(Pages& p, const std::string& text) {
  if (!p.room(12)) return;
  set_font(p.cr(), 7.5);
  cairo_set_source_rgb(p.cr(), 0.25, 0.25, 0.25);
  text_at(p.cr(), kMargin, p.y + 8, ellipsize(p.cr(), text, kWidth));
  cairo_set_source_rgb(p.cr(), 0, 0, 0);
  p.y += 12;
}

}  // namespace

LayoutResult lay_out_report(const ReportData& d, PageSink& sink, int max_pages) {
  Pages p(sink, d, std::max(1, max_pages));
  p.room(40);
  cairo_t* cr = p.cr();
  set_font(cr, 16, true);
  text_at(cr, kMargin, p.y + 14, "Ketamine infusion session report");
  set_font(cr, 8);
  text_right(cr, kMargin + kWidth, p.y + 14,
             "generated " + date_of(d.generated_at_ms) + " " + time_of_day(d.generated_at_ms));
  p.y += 24;
  if (d.open) {
    set_font(cr, 9, true);
    text_at(cr, kMargin, p.y + 9, "PROVISIONAL: the session was still open when this report was made.");
    p.y += 14;
  }
  rows(p, summary_rows(d), 130);

  heading(p, "Time at or above the profile's blood-pressure limits");
  rows(p, exposure_rows(d), 130);
  note(p,
       "Each verified NIBP value counts until the next one, at most 10 min; gaps longer than that count as "
       "not measured.");

  heading(p, "Trend over the session");
  // 200 pt: a typical session's alerts and actions still fit on page 1 below it.
  if (p.room(205)) {
    draw_trend_chart(p.cr(), kMargin, p.y, kWidth, 200, d);
    p.y += 205;
  }

  heading(p, "Alerts (" + std::to_string(d.alerts.size() + d.alerts_not_shown) + ")");
  std::vector<std::vector<std::string>> alert_rows;
  for (const AlertSummary& a : d.alerts) alert_rows.push_back(alert_row(a));
  if (alert_rows.empty())
    note(p, "No alerts during this session.");
  else
    table(p, alert_header(), alert_rows, {0.9, 0.5, 1.0, 3.7, 1.2, 0.95, 0.9});
  if (d.alerts_not_shown > 0)
    note(p, std::to_string(d.alerts_not_shown) + " further alerts not listed (see vigilctl alerts).");

  heading(p, "Nurse actions and configuration");
  std::vector<std::vector<std::string>> action_rows;
  for (const ActionEntry& a : d.actions) action_rows.push_back(action_row(a));
  if (action_rows.empty())
    note(p, "No actions recorded.");
  else
    table(p, action_header(), action_rows, {1.0, 1.2, 1.6, 5.0});
  if (d.actions_not_shown > 0) note(p, std::to_string(d.actions_not_shown) + " further actions not listed.");
  return p.finish();
}

}  // namespace vigil::report
