#pragma once
// A chair's stored history for stream clients that connected late (the dashboard's trend
// and record, `vigilctl history`): a NurseRequest carrying `history` is answered with a
// ChairHistory read from the database (store/chair_history.hpp).
//
//   io thread: on_request ──RequestWorker──► read_chair_history (own read-only connection)
//   io thread: RequestResult{history} ◄──┘
//
// A 3-hour session is thousands of rows: never read on the io_context, which feeds every
// alarm. At most `max_queued` requests wait or run at once (a screen asks once per chair it
// opens); more are refused with a reason, and the screen may ask again later.
//
// Threading: on_request on the io thread only; the reading runs on a RequestWorker
// (request_worker.hpp), which the destructor stops: queued requests are dropped, the one
// being read is waited for.

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "daemon/request_worker.hpp"
#include "events.pb.h"
#include "store/chair_history.hpp"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

class HistoryService {
 public:
  struct Options {
    std::string db_path;
    int max_queued = 4;
    store::HistoryLimits limits;
  };

  HistoryService(boost::asio::io_context& io, stream::StreamServer& stream, Options options,
                 std::function<std::int64_t()> wall_now_ms);
  HistoryService(const HistoryService&) = delete;
  HistoryService& operator=(const HistoryService&) = delete;

  // A request whose action is `history`; `user` is who asked (for the log line only).
  void on_request(std::uint64_t client_id, const proto::NurseRequest& request, const std::string& user);

 private:
  Options options_;
  std::function<std::int64_t()> wall_now_ms_;
  RequestWorker worker_;  // last: it is stopped before the options its work reads go
};

}  // namespace vigil::daemon
