#pragma once
// A raw HTTP/1.1 client for system tests of vigild's health and metrics port: plain or TLS,
// one request per connection, read until the server closes. Raw bytes, so a test can send
// what no HTTP library would (half a header, a huge one).

#include <chrono>
#include <string>

#include "support/vigild_fixture.hpp"

namespace vigil::test {

struct HttpReply {
  bool answered = false;  // closed by the server after sending something
  bool closed = false;    // closed by the server (within the timeout)
  std::string head;       // status line and headers
  std::string body;
  int status() const { return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0; }
};

// Sends `request` and reads until the server closes or `timeout` passes.
HttpReply http_exchange(const Endpoint& at, const std::string& request,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
// GET `path` (Connection: close).
HttpReply get(const Endpoint& at, const std::string& path);
// GET `path` over TLS to 127.0.0.1:at.port, verifying the server against `ca_file`.
HttpReply get_tls(const Endpoint& at, const std::string& path, const std::string& ca_file);

}  // namespace vigil::test
