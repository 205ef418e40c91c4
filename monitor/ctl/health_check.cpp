#include "ctl/health_check.hpp"

// clang-format off
#include <utility>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
// clang-format on
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace vigil::ctl {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

// The "db" field of a /healthz body, "" when the body is not that JSON.
std::string healthz_db_field(const std::string& body) {
  google::protobuf::Struct parsed;
  if (!google::protobuf::util::JsonStringToMessage(body, &parsed).ok()) return "";
  const auto it = parsed.fields().find("db");
  if (it == parsed.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

HealthOutcome judge_healthz(const std::string& where, std::optional<unsigned> status, const std::string& body,
                            const std::string& error) {
  if (!status) return {kHealthCritical, "CRITICAL: no answer from vigild at " + where + ": " + error};
  const std::string db = healthz_db_field(body);
  const std::string shown = one_line(body);
  if (*status == 200 && db == "ok") return {kHealthOk, "OK: " + shown};
  if (*status == 503 && db == "ok") return {kHealthWarning, "WARNING: " + shown};
  if (*status == 503 && db == "fail") return {kHealthCritical, "CRITICAL: " + shown};
  return {kHealthCritical, "CRITICAL: unexpected answer from " + where + ": HTTP " + std::to_string(*status) +
                               " " + shown.substr(0, 200)};
}

std::optional<HealthReply> fetch_healthz(const std::string& host, std::uint16_t port,
                                         std::chrono::milliseconds timeout, std::string& error) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::ip::tcp::resolver resolver(io);
  boost::beast::flat_buffer buffer(64 * 1024);  // /healthz is well under 1 KiB
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, "/healthz", 11);
  request.set(bhttp::field::host, host);
  request.set(bhttp::field::user_agent, "vigilctl-health");
  request.keep_alive(false);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  std::optional<HealthReply> reply;
  error = "timed out after " + std::to_string(timeout.count()) + " ms";

  auto fail = [&](const boost::system::error_code& ec) { error = ec.message(); };
  resolver.async_resolve(host, std::to_string(port), [&](const boost::system::error_code& ec, auto results) {
    if (ec) return fail(ec);
    asio::async_connect(socket, results, [&](const boost::system::error_code& ec2, const auto&) {
      if (ec2) return fail(ec2);
      bhttp::async_write(socket, request, [&](const boost::system::error_code& ec3, std::size_t) {
        if (ec3) return fail(ec3);
        bhttp::async_read(socket, buffer, parser, [&](const boost::system::error_code& ec4, std::size_t) {
          if (ec4) return fail(ec4);
          reply = HealthReply{parser.get().result_int(), parser.get().body()};
        });
      });
    });
  });
  io.run_for(timeout);
  return reply;
}

}  // namespace vigil::ctl
