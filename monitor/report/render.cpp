#include "report/render.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "report/csv.hpp"
#include "report/pdf_layout.hpp"

namespace vigil::report {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A file written under "<path>.partial" (mode 0600) and renamed over `path` by commit().
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".partial") {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) fail(std::strerror(errno));
    ::fchmod(fd_, 0600);  // O_CREAT's mode does not apply to a file that already existed
  }
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  bool write(const unsigned char* data, std::size_t n) {
    while (n > 0) {
      const ssize_t w = ::write(fd_, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        error_ = std::strerror(errno);
        return false;
      }
      data += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }
  void commit() {
    if (!error_.empty()) fail(error_);
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      fail(std::strerror(errno));
    }
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail(std::strerror(errno));
    committed_ = true;
  }
  [[noreturn]] void fail(const std::string& why) { throw ReportError("cannot write " + path_ + ": " + why); }

  static cairo_status_t sink(void* self, const unsigned char* data, unsigned int n) {
    return static_cast<OutputFile*>(self)->write(data, n) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
  }

 private:
  std::string path_, tmp_;
  int fd_ = -1;
  bool committed_ = false;
  std::string error_;
};

void check(cairo_status_t status, OutputFile& out) {
  if (status != CAIRO_STATUS_SUCCESS) out.fail(cairo_status_to_string(status));
}

class PdfPages : public PageSink {
 public:
  explicit PdfPages(cairo_surface_t* s) : cr_(cairo_create(s)) {}
  ~PdfPages() override { cairo_destroy(cr_); }
  cairo_t* begin_page() override {
    cairo_save(cr_);
    return cr_;
  }
  void end_page() override {
    cairo_restore(cr_);
    cairo_show_page(cr_);
  }

 private:
  cairo_t* cr_;
};

// One image per page; the layout draws in points, scaled to the dpi.
class PngPages : public PageSink {
 public:
  explicit PngPages(double dpi) : scale_(dpi / 72.0) {}
  ~PngPages() override {
    if (cr_) cairo_destroy(cr_);
    for (auto* s : pages_) cairo_surface_destroy(s);
  }
  cairo_t* begin_page() override {
    auto* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width(), height());
    pages_.push_back(s);
    cr_ = cairo_create(s);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_paint(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_scale(cr_, scale_, scale_);
    return cr_;
  }
  void end_page() override {
    cairo_destroy(cr_);
    cr_ = nullptr;
  }
  int width() const { return static_cast<int>(std::lround(kA4WidthPt * scale_)); }
  int height() const { return static_cast<int>(std::lround(kA4HeightPt * scale_)); }
  // All pages stacked top to bottom with a grey gap between them.
  cairo_surface_t* stacked() const {
    const int gap = pages_.size() > 1 ? 12 : 0;
    const int n = static_cast<int>(pages_.size());
    auto* out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width(), n * height() + (n - 1) * gap);
    cairo_t* cr = cairo_create(out);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_paint(cr);
    for (int i = 0; i < n; ++i) {
      cairo_set_source_surface(cr, pages_[static_cast<std::size_t>(i)], 0, i * (height() + gap));
      cairo_paint(cr);
    }
    cairo_destroy(cr);
    return out;
  }

 private:
  double scale_;
  cairo_t* cr_ = nullptr;
  std::vector<cairo_surface_t*> pages_;
};

void write_pdf(const ReportData& d, OutputFile& out, const RenderOptions& o) {
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(&OutputFile::sink, &out, kA4WidthPt, kA4HeightPt);
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> guard(surface, cairo_surface_destroy);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Ketamine infusion session report");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Vigil");
  {
    PdfPages pages(surface);
    lay_out_report(d, pages, o.pdf_max_pages);
  }
  cairo_surface_finish(surface);
  check(cairo_surface_status(surface), out);
}

void write_png(const ReportData& d, OutputFile& out, const RenderOptions& o) {
  PngPages pages(o.png_dpi);
  lay_out_report(d, pages, o.png_max_pages);
  cairo_surface_t* image = pages.stacked();
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> guard(image, cairo_surface_destroy);
  check(cairo_surface_status(image), out);
  check(cairo_surface_write_to_png_stream(image, &OutputFile::sink, &out), out);
}

}  // namespace

std::optional<Format> format_from_name(const std::string& name) {
  const std::string n = lower(name);
  if (n == "pdf") return Format::Pdf;
  if (n == "png") return Format::Png;
  if (n == "csv") return Format::Csv;
  return std::nullopt;
}

std::optional<Format> format_from_path(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  return format_from_name(path.substr(dot + 1));
}

const char* extension(Format f) {
  switch (f) {
    case Format::Pdf: return "pdf";
    case Format::Png: return "png";
    case Format::Csv: return "csv";
  }
  return "pdf";
}

void render_report(const ReportData& d, const std::string& path, Format f, const RenderOptions& options) {
  OutputFile out(path);
  switch (f) {
    case Format::Pdf: write_pdf(d, out, options); break;
    case Format::Png: write_png(d, out, options); break;
    case Format::Csv: {
      const std::string text = report_csv(d);
      out.write(reinterpret_cast<const unsigned char*>(text.data()), text.size());
      break;
    }
  }
  out.commit();
}

}  // namespace vigil::report
