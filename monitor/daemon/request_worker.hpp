#pragma once
// One worker thread for stream requests that read the database at length (a chair's
// history, an end-of-session report), so the io_context, which feeds every alarm, never
// waits for them:
//
//   io thread: run(work) ──post──► worker thread: work(result) (own read-only connection)
//                                        │
//   io thread: done(result); the RequestResult to the client ◄──post──┘
//
// At most `max_queued` requests wait or run at once (full()); the caller refuses more with
// its own words. The work fills the result or throws: a StoreError's text, or any other
// exception as "<what> failed: ...", becomes the refusal's reason.
//
// Threading: run, full, queued and answer on the io thread only. The work touches nothing
// but its own copies and what its owner keeps constant. The destructor drops requests not
// started and waits for the one running: declare the worker after everything its work uses.

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "events.pb.h"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

class RequestWorker {
 public:
  RequestWorker(boost::asio::io_context& io, stream::StreamServer& stream, std::string what, int max_queued);
  ~RequestWorker();
  RequestWorker(const RequestWorker&) = delete;
  RequestWorker& operator=(const RequestWorker&) = delete;

  bool full() const { return queued_ >= max_queued_; }
  int queued() const { return queued_; }
  // Sends `result` to the client now (refusals decided on the io thread).
  void answer(std::uint64_t client_id, proto::RequestResult result);
  // Runs `work` on the worker thread, then `done` (the log line) and the answer on the io
  // thread. The caller checked full().
  void run(std::uint64_t client_id, proto::RequestResult result,
           std::function<void(proto::RequestResult&)> work,
           std::function<void(const proto::RequestResult&)> done);

 private:
  boost::asio::io_context& io_;
  stream::StreamServer& stream_;
  std::string what_;
  int max_queued_;
  int queued_ = 0;  // io thread only
  boost::asio::thread_pool worker_{1};
};

}  // namespace vigil::daemon
