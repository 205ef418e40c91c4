#pragma once
// Writing a report file: PDF (A4, vector, selectable text), PNG (the same pages at 100 dpi,
// stacked, at most 3 pages) or CSV, chosen by the file's extension. Files are created 0600
// (they hold a patient label) under a temporary name and renamed when complete, so a reader
// never sees half a report.

#include <optional>
#include <string>

#include "report/report_data.hpp"

namespace vigil::report {

enum class Format { Pdf, Png, Csv };

// ".pdf", ".png", ".csv" (any case) -> the format; nullopt otherwise.
std::optional<Format> format_from_path(const std::string& path);
// "pdf", "png", "csv" -> the format; nullopt otherwise.
std::optional<Format> format_from_name(const std::string& name);
const char* extension(Format f);  // "pdf"

struct RenderOptions {
  double png_dpi = 100;
  int png_max_pages = 3;
  int pdf_max_pages = 200;
};

// Writes `d` to `path` in format `f`. Throws ReportError naming the path and the reason.
void render_report(const ReportData& d, const std::string& path, Format f, const RenderOptions& options = {});

}  // namespace vigil::report
