#pragma once
// End-of-session reports for stream clients (the dashboard's "Report" button): a
// NurseRequest carrying `report` is answered with the path of a file vigild wrote.
//
//   io thread: on_request ──post──► worker thread: gather (own read-only connection) + render
//                                        │
//   io thread: RequestResult{report_path} ◄──post──┘
//
// Rendering takes a second or more and reads the whole session, so it never runs on the
// io_context. Reports go to `reports_dir` (default: "reports/" next to the database),
// created 0700; files are 0600 (they carry a patient label) and appear complete or not at
// all (render.hpp). At most `max_queued` reports wait or run at once; more are refused.
//
// Threading: on_request on the io thread only. The worker touches nothing but its own
// copies of the job and the database file; results go back through asio::post. The
// destructor waits for a report being drawn (after the io_context has stopped, its
// answer is dropped with the io_context's queue).

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "alerts/rule_profile.hpp"
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
  ~ReportService();
  ReportService(const ReportService&) = delete;
  ReportService& operator=(const ReportService&) = delete;

  // A request whose action is `report`; `user` is who asked (for the log line only).
  void on_request(std::uint64_t client_id, const proto::NurseRequest& request, const std::string& user);

  const std::string& reports_dir() const { return options_.reports_dir; }

 private:
  void answer(std::uint64_t client_id, proto::RequestResult result);

  boost::asio::io_context& io_;
  stream::StreamServer& stream_;
  Options options_;
  std::function<std::int64_t()> wall_now_ms_;
  int queued_ = 0;  // io thread only
  boost::asio::thread_pool worker_{1};
};

// "reports" in the directory of `db_path` ("./reports" for a bare file name).
std::string default_reports_dir(const std::string& db_path);

// The report file's name: "<session id>-<UTC stamp>.<ext>", unsafe characters replaced by "_".
std::string report_file_name(const std::string& session_id, std::int64_t at_ms, const std::string& ext);

}  // namespace vigil::daemon
