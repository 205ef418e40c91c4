// The renderers on a made-up report: each format writes a complete 0600 file; the PNG is
// A4 at 100 dpi; the CSV carries the same numbers as the summary; formats by extension.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "report/render.hpp"
#include "report/report_text.hpp"
#include "store/store_test_support.hpp"
#include "support/file_text.hpp"

namespace vigil::report {
namespace {

using store::testing::kMin;
using store::testing::kT0;

ReportData sample() {
  ReportData d;
  d.session.set_session_id("CHAIR2-1");
  d.session.set_bed("CHAIR2");
  d.session.set_patient("P-0042");
  d.session.set_planned_minutes(40);
  d.session.set_infusion_started_at_ms(kT0 + 10 * kMin);
  d.session.set_infusion_stopped_at_ms(kT0 + 50 * kMin);
  d.session.set_infusion_elapsed_ms(40 * kMin);
  d.session.mutable_baseline()->set_sys_mmhg(130);
  d.session.mutable_baseline()->set_dia_mmhg(85);
  d.from_ms = kT0;
  d.until_ms = kT0 + 120 * kMin;
  d.generated_at_ms = kT0 + 121 * kMin;
  for (int m = 0; m <= 120; m += 5) {
    const double rise = m > 10 && m < 60 ? 50.0 * (1 - std::abs(m - 35) / 25.0) : 0;
    d.sys.push_back({kT0 + m * kMin, 130 + rise});
    d.dia.push_back({kT0 + m * kMin, 85 + rise / 2});
    d.map.push_back({kT0 + m * kMin, 100 + rise * 0.6});
  }
  for (int s = 0; s < 7200; s += 60) d.hr.push_back({kT0 + s * 1000LL, 72 + (s % 600) / 60.0});
  d.peak_sys = Peak{180, kT0 + 35 * kMin};
  d.peak_dia = Peak{110, kT0 + 35 * kMin};
  d.above.push_back({{VitalKind::NibpSys, 180, "P2"}, 5 * kMin, 1});
  for (int i = 0; i < 80; ++i) {  // enough rows to need a second page
    AlertSummary a;
    a.id = "CHAIR2-P4-" + std::to_string(i);
    a.rule = proto::P4;
    a.priority = proto::LOW;
    a.message = "SBP 165 >= 160";
    a.onset_ms = kT0 + i * kMin;
    d.alerts.push_back(a);
  }
  d.actions.push_back({kT0, "nurse1", "begin", ""});
  return d;
}

using test::read_file;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(Render, PdfPngAndCsvAreWrittenComplete0600) {
  store::testing::TempDir dir;
  const ReportData d = sample();
  const std::string pdf = dir.file("r.pdf"), png = dir.file("r.png"), csv = dir.file("r.csv");
  render_report(d, pdf, Format::Pdf);
  render_report(d, png, Format::Png);
  render_report(d, csv, Format::Csv);
  for (const auto& p : {pdf, png, csv}) {
    EXPECT_EQ(mode_of(p), 0600u) << p;
    struct stat st {};
    EXPECT_NE(::stat((p + ".partial").c_str(), &st), 0) << "temporary file left behind";
  }
  const std::string pdf_bytes = read_file(pdf);
  EXPECT_EQ(pdf_bytes.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf_bytes.find("/Count 2"), std::string::npos) << "80 alerts should need 2 pages";
  const std::string png_bytes = read_file(png);
  ASSERT_GT(png_bytes.size(), 24u);
  EXPECT_EQ(png_bytes.substr(1, 3), "PNG");
  auto be32 = [&](std::size_t at) {
    return (unsigned(static_cast<unsigned char>(png_bytes[at])) << 24) |
           (unsigned(static_cast<unsigned char>(png_bytes[at + 1])) << 16) |
           (unsigned(static_cast<unsigned char>(png_bytes[at + 2])) << 8) |
           unsigned(static_cast<unsigned char>(png_bytes[at + 3]));
  };
  EXPECT_EQ(be32(16), 827u);              // A4 width at 100 dpi
  EXPECT_EQ(be32(20), 2u * 1169u + 12u);  // two pages and the gap between them
  const std::string text = read_file(csv);
  EXPECT_EQ(text.rfind("section,time,item,value,unit,who,detail\r\n", 0), 0u);
  EXPECT_NE(text.find("peak,2025-11-21T10:50:00Z,SBP,180,mmHg"), std::string::npos) << text.substr(0, 2000);
  EXPECT_NE(text.find("above,,SBP >= 180 (P2),300,s"), std::string::npos);
  EXPECT_NE(text.find("summary,,Patient,P-0042"), std::string::npos);
}

TEST(Render, UnwritablePathIsAClearError) {
  try {
    render_report(sample(), "/nonexistent-dir/r.pdf", Format::Pdf);
    FAIL();
  } catch (const ReportError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write /nonexistent-dir/r.pdf"), std::string::npos)
        << e.what();
  }
}

TEST(Render, FormatFollowsTheExtension) {
  EXPECT_EQ(format_from_path("a/b/report.PDF"), Format::Pdf);
  EXPECT_EQ(format_from_path("x.png"), Format::Png);
  EXPECT_EQ(format_from_path("x.csv"), Format::Csv);
  EXPECT_FALSE(format_from_path("x.docx"));
  EXPECT_FALSE(format_from_path("dir.pdf/report"));
  EXPECT_FALSE(format_from_path("report"));
  EXPECT_EQ(format_from_name("png"), Format::Png);
  EXPECT_FALSE(format_from_name("tiff"));
}

TEST(ReportText, DurationsAndThresholdLabels) {
  EXPECT_EQ(duration_text(0), "0 min");
  EXPECT_EQ(duration_text(750'000), "12 min 30 s");
  EXPECT_EQ(duration_text(65 * kMin), "1 h 05 min");
  EXPECT_EQ(threshold_label({VitalKind::NibpDia, 110, "P2"}), "DBP >= 110 (P2)");
}

}  // namespace
}  // namespace vigil::report
