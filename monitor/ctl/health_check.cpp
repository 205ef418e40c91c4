#include "ctl/health_check.hpp"

// clang-format off
#include <utility>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
// clang-format on
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/ssl.h>

#include "net/host_port.hpp"
#include "net/link_security.hpp"

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

std::optional<HealthTarget> parse_health_target(const std::string& text) {
  HealthTarget target;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    target.https = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  }
  if (rest.ends_with("/")) rest.remove_suffix(1);
  const auto at = net::parse_host_port(rest);
  if (!at) return std::nullopt;
  target.host = at->first;
  target.port = at->second;
  return target;
}

std::optional<HealthReply> fetch_healthz(const HealthTarget& target, const HealthTls& tls,
                                         std::chrono::milliseconds timeout, std::string& error) {
  std::shared_ptr<asio::ssl::context> context;
  if (target.https) {
    net::LinkSecurity security;
    security.tls = true;
    security.ca_file = tls.ca_file;
    context = net::client_tls_context(security);  // throws on an unreadable CA
  }
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  // The TLS stream is made over a plain socket either way; plain HTTP uses its next_layer().
  asio::ssl::context unused(asio::ssl::context::tls_client);
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, context ? *context : unused);
  boost::beast::flat_buffer buffer(64 * 1024);  // /healthz is well under 1 KiB
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, "/healthz", 11);
  request.set(bhttp::field::host, target.host);
  request.set(bhttp::field::user_agent, "vigilctl-health");
  request.keep_alive(false);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  std::optional<HealthReply> reply;
  error = "timed out after " + std::to_string(timeout.count()) + " ms";

  auto fail = [&](const boost::system::error_code& ec, const char* during) {
    error = std::string(during) + ": " + ec.message();
  };
  auto ask = [&](auto& layer) {
    bhttp::async_write(layer, request, [&](const boost::system::error_code& ec, std::size_t) {
      if (ec) return fail(ec, "sending");
      bhttp::async_read(layer, buffer, parser, [&](const boost::system::error_code& ec2, std::size_t) {
        if (ec2) return fail(ec2, "reading");
        reply = HealthReply{parser.get().result_int(), parser.get().body()};
      });
    });
  };
  auto on_connected = [&] {
    if (!target.https) return ask(stream.next_layer());
    const std::string& name = tls.server_name.empty() ? target.host : tls.server_name;
    boost::system::error_code not_address;
    asio::ip::make_address(name, not_address);
    // SNI carries host names only, never addresses (RFC 6066).
    if (not_address) SSL_set_tlsext_host_name(stream.native_handle(), name.c_str());
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(asio::ssl::host_name_verification(name));
    stream.async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& ec) {
      if (ec) return fail(ec, "TLS handshake");
      ask(stream);
    });
  };
  resolver.async_resolve(target.host, std::to_string(target.port),
                         [&](const boost::system::error_code& ec, auto results) {
                           if (ec) return fail(ec, "resolving");
                           asio::async_connect(stream.next_layer(), results,
                                               [&](const boost::system::error_code& ec2, const auto&) {
                                                 if (ec2) return fail(ec2, "connecting");
                                                 on_connected();
                                               });
                         });
  io.run_for(timeout);
  return reply;
}

}  // namespace vigil::ctl
