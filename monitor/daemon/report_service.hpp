#pragma once
// End-of-session reports for stream clients (the dashboard's "Report" button): a
// NurseRequest carrying `report` is answered with the path of a file vigild wrote.
//
//   io thread: on_request ──RequestWorker──► gather (own read-only connection) + render
//   io thread: RequestResult{report_path} ◄──┘
//
// Rendering takes a second or more and reads the whole session, so it never runs on the
// io_context. Reports go to `reports_dir` (default: "reports/" next to the database),
// created 0700; files are 0600 (they carry a patient label) and appear complete or not at
// all (render.hpp). At most `max_queued` reports wait or run at once; more are refused.
//
// Threading: on_request on the io thread only; reports are drawn on a RequestWorker
// (request_worker.hpp). The destructor drops reports not started (their clients are gone
// with the daemon) and waits for the one being drawn, so no file is left half written.

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "alerts/rule_profile.hpp"
#include "daemon/request_worker.hpp"
#include "events.pb.h"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

class ReportService {
 public:
  struct Options {
    std::string db_path;
    std::string reports_dir;                    // "" = "reports" beside db_path
    std::vector<alerts::RuleProfile> profiles;  // the daemon's; thresholds by the session's profile
    int max_queued = 4;
  };

  ReportService(boost::asio::io_context& io, stream::StreamServer& stream, Options options,
                std::function<std::int64_t()> wall_now_ms);
  ReportService(const ReportService&) = delete;
  ReportService& operator=(const ReportService&) = delete;

  // A request whose action is `report`; `user` is who asked (for the log line only).
  void on_request(std::uint64_t client_id, const proto::NurseRequest& request, const std::string& user);

  const std::string& reports_dir() const { return options_.reports_dir; }

 private:
  Options options_;
  std::function<std::int64_t()> wall_now_ms_;
  RequestWorker worker_;  // last: it is stopped before the options its work reads go
};

// "reports" in the directory of `db_path` ("./reports" for a bare file name).
std::string default_reports_dir(const std::string& db_path);

// The report file's name: "<session id>-<UTC stamp>.<ext>", unsafe characters replaced by "_".
std::string report_file_name(const std::string& session_id, std::int64_t at_ms, const std::string& ext);

}  // namespace vigil::daemon
