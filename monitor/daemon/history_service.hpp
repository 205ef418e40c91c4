#pragma once
// A chair's stored history for stream clients that connected late (the dashboard's trend
// and record, `vigilctl history`): a NurseRequest carrying `history` is answered with a
// ChairHistory read from the database (store/chair_history.hpp).
//
//   io thread: on_request ──post──► worker thread: read_chair_history (own read-only connection)
//                                        │
//   io thread: RequestResult{history} ◄──post──┘
//
// A 3-hour session is thousands of rows: never read on the io_context, which feeds every
// alarm. At most `max_queued` requests wait or run at once (a screen asks once per chair it
// opens); more are refused with a reason, and the screen may ask again later.
//
// Threading: on_request on the io thread only. The worker touches nothing but its own
// copies of the query and the database file; results go back through asio::post. The
// destructor drops queued requests and waits for the one being read.

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <functional>
#include <string>

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
  ~HistoryService();
  HistoryService(const HistoryService&) = delete;
  HistoryService& operator=(const HistoryService&) = delete;

  // A request whose action is `history`; `user` is who asked (for the log line only).
  void on_request(std::uint64_t client_id, const proto::NurseRequest& request, const std::string& user);

 private:
  void answer(std::uint64_t client_id, proto::RequestResult result);

  boost::asio::io_context& io_;
  stream::StreamServer& stream_;
  Options options_;
  std::function<std::int64_t()> wall_now_ms_;
  int queued_ = 0;  // io thread only
  boost::asio::thread_pool worker_{1};
};

}  // namespace vigil::daemon
