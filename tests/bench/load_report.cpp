#include "load_report.hpp"

#include <boost/asio/executor_work_guard.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace vigil::bench {

namespace asio = boost::asio;

LoadThread::LoadThread(LoadOptions options)
    : generator_(std::make_unique<LoadGenerator>(io_, std::move(options))) {
  thread_ = std::thread([this] {
    auto guard = asio::make_work_guard(io_);
    io_.run();
  });
}

LoadThread::~LoadThread() {
  on_io(io_, [this] {
    generator_->stop();
    return 0;
  });
  io_.stop();
  thread_.join();
  generator_.reset();  // after the thread: nothing runs its handlers any more
}

asio::ip::tcp::endpoint resolve_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    throw std::runtime_error("'" + text + "': expected HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(host, text.substr(colon + 1), ec);
  if (ec || results.empty()) throw std::runtime_error("cannot resolve '" + text + "': " + ec.message());
  return results.begin()->endpoint();
}

LatencyFigures latency_figures(const LoadWindow& w) {
  LatencyFigures f;
  f.p50_ms = static_cast<double>(w.latency.percentile(50).count()) / 1000.0;
  f.p99_ms = static_cast<double>(w.latency.percentile(99).count()) / 1000.0;
  f.max_ms = std::chrono::duration<double, std::milli>(w.max_latency).count();
  // Percentiles are bucket upper edges (~9% wide): never report one above the exact max.
  f.p50_ms = std::min(f.p50_ms, f.max_ms);
  f.p99_ms = std::min(f.p99_ms, f.max_ms);
  return f;
}

std::string error_detail(const LoadWindow& w) {
  std::string out;
  auto add = [&](const char* name, std::uint64_t n) {
    if (n == 0) return;
    if (!out.empty()) out += ' ';
    out += std::string(name) + "=" + std::to_string(n);
  };
  add("not_aa", w.not_aa);
  add("wrong_id", w.wrong_id);
  add("bad_ack", w.bad_ack);
  add("stray_ack", w.stray_ack);
  add("ack_timeouts", w.timeouts);
  add("connect_failures", w.connect_failures);
  add("disconnects", w.disconnects);
  return out.empty() ? "none" : out;
}

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string window_json(const std::string& label, int connections, double rate_hz, const LoadWindow& w) {
  const LatencyFigures f = latency_figures(w);
  const double rate = w.seconds > 0 ? static_cast<double>(w.messages) / w.seconds : 0;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"label\":%s,\"connections\":%d,\"messages\":%llu,\"errors\":%llu,\"msgs_per_s\":%.1f,"
                "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"seconds\":%.3f,"
                "\"rate_per_connection_hz\":%g,\"late_sends\":%llu,\"error_detail\":%s}",
                json_quote(label).c_str(), connections, static_cast<unsigned long long>(w.messages),
                static_cast<unsigned long long>(w.errors()), rate, f.p50_ms, f.p99_ms, f.max_ms, w.seconds,
                rate_hz, static_cast<unsigned long long>(w.late_sends), json_quote(error_detail(w)).c_str());
  return buf;
}

}  // namespace vigil::bench
