#pragma once
// Shared pieces of the ingest and capacity benchmark programs: running a LoadGenerator on
// its own io thread and asking it things from the main thread, parsing HOST:PORT, and
// printing a window as text and JSON.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include "load_generator.hpp"

namespace vigil::bench {

/// Runs `fn` on `io`'s thread and returns its result (blocks the caller, never the io thread).
template <typename Fn>
auto on_io(boost::asio::io_context& io, Fn fn) -> std::invoke_result_t<Fn> {
  std::packaged_task<std::invoke_result_t<Fn>()> task(std::move(fn));
  auto result = task.get_future();
  boost::asio::post(io, [&task] { task(); });
  return result.get();
}

/// A LoadGenerator with its own io_context and thread.
class LoadThread {
 public:
  explicit LoadThread(LoadOptions options);
  ~LoadThread();  // stops the generator, then the thread
  LoadThread(const LoadThread&) = delete;
  LoadThread& operator=(const LoadThread&) = delete;

  boost::asio::io_context& io() { return io_; }
  LoadGenerator& generator() { return *generator_; }  // touch only through on_io()

 private:
  boost::asio::io_context io_;
  std::unique_ptr<LoadGenerator> generator_;
  std::thread thread_;
};

/// "127.0.0.1:2575" or "[::1]:2575" or "localhost:2575"; throws std::runtime_error.
boost::asio::ip::tcp::endpoint resolve_endpoint(const std::string& text);

/// p50 / p99 / max of a window in milliseconds.
struct LatencyFigures {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};
LatencyFigures latency_figures(const LoadWindow& w);

/// "not_aa=0 wrong_id=0 ..." (only the non-zero ones; "none" when there are none).
std::string error_detail(const LoadWindow& w);

/// `{"label":...,"connections":N,"messages":...,"errors":...,"msgs_per_s":...,"p50_ms":...,
/// "p99_ms":...,"max_ms":..., ...}` on one line.
std::string window_json(const std::string& label, int connections, double rate_hz, const LoadWindow& w);

/// Escapes `text` as a JSON string literal.
std::string json_quote(const std::string& text);

}  // namespace vigil::bench
