#include "daemon/report_service.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "report/render.hpp"
#include "report/report_queries.hpp"
#include "store/records.hpp"
#include "stream.pb.h"

namespace vigil::daemon {

namespace {

// Creates `dir` 0700 if missing; an existing directory is used as it is (IT may have set
// its own permissions). Returns "" or why it cannot be used.
std::string ensure_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return {};
  if (errno != EEXIST) return std::strerror(errno);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return std::strerror(errno);
  if (!S_ISDIR(st.st_mode)) return "exists and is not a directory";
  return {};
}

}  // namespace

std::string default_reports_dir(const std::string& db_path) {
  const std::filesystem::path parent = std::filesystem::path(db_path).parent_path();
  return ((parent.empty() ? std::filesystem::path(".") : parent) / "reports").string();
}

std::string report_file_name(const std::string& session_id, std::int64_t at_ms, const std::string& ext) {
  std::string safe;
  for (char c : session_id.substr(0, 80)) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    safe += ok ? c : '_';
  }
  std::time_t t = static_cast<std::time_t>(at_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  char ms[8];
  std::snprintf(ms, sizeof ms, "%03d", static_cast<int>(at_ms % 1000));
  return (safe.empty() ? std::string("session") : safe) + "-" + stamp + ms + "Z." + ext;
}

ReportService::ReportService(boost::asio::io_context& io, stream::StreamServer& stream, Options options,
                             std::function<std::int64_t()> wall_now_ms)
    : options_(std::move(options)),
      wall_now_ms_(std::move(wall_now_ms)),
      worker_(io, stream, "report", options_.max_queued) {
  if (options_.reports_dir.empty()) options_.reports_dir = default_reports_dir(options_.db_path);
}

void ReportService::on_request(std::uint64_t client_id, const proto::NurseRequest& request,
                               const std::string& user) {
  proto::RequestResult result;
  result.set_request_id(request.request_id());
  const auto format =
      report::format_from_name(request.report().format().empty() ? "pdf" : request.report().format());
  if (!format) {
    result.set_reason("unknown report format '" + request.report().format().substr(0, 16) +
                      "': use pdf, png or csv");
    return worker_.answer(client_id, std::move(result));
  }
  if (request.report().session_id().size() > 128) {  // ids are "<chair>-<ms>"; never echo a huge one
    result.set_reason("report session id too long");
    return worker_.answer(client_id, std::move(result));
  }
  if (worker_.full()) {
    result.set_reason("reports busy (" + std::to_string(worker_.queued()) +
                      " being made): try again in a minute");
    return worker_.answer(client_id, std::move(result));
  }
  spdlog::info("report requested by {} for {}", user, request.bed().substr(0, 64));
  report::ReportTarget target;
  if (!request.report().session_id().empty()) target.session_id = request.report().session_id();
  target.bed = request.bed();
  const std::int64_t now_ms = wall_now_ms_();
  worker_.run(
      client_id, std::move(result),
      [this, target, now_ms, f = *format](proto::RequestResult& r) {
        try {
          if (std::string why = ensure_dir(options_.reports_dir); !why.empty())
            throw report::ReportError("cannot use reports directory " + options_.reports_dir + ": " + why);
          report::ReportOptions ro;
          ro.profiles = options_.profiles;
          ro.now_ms = now_ms;
          const report::ReportData data = report::gather(options_.db_path, target, ro);
          const std::string path = (std::filesystem::path(options_.reports_dir) /
                                    report_file_name(data.session.session_id(), now_ms, report::extension(f)))
                                       .string();
          report::render_report(data, path, f);
          std::error_code ec;
          const auto absolute = std::filesystem::absolute(path, ec);
          r.set_ok(true);
          r.set_report_path(ec ? path : absolute.string());
          r.set_detail("report of session " + data.session.session_id() + " written");
        } catch (const report::ReportError& e) {
          r.set_reason(e.what());
        }
      },
      [](const proto::RequestResult& r) {
        if (r.ok())
          spdlog::info("report written: {}", r.report_path());
        else
          spdlog::warn("report refused: {}", r.reason());
      });
}

}  // namespace vigil::daemon
