#include "support/http_client.hpp"

#include <boost/asio/ssl.hpp>

#include <array>
#include <functional>
#include <memory>

#include "net/asio.hpp"

namespace vigil::test {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Reads `stream` (plain or TLS) into `received` until the server closes it or an error
// (then `closed`); the returned function starts the reading and is called again per chunk.
template <class Stream>
std::function<void()> reader(Stream& stream, std::string& received, bool& closed) {
  auto chunk = std::make_shared<std::array<char, 4096>>();
  auto read_more = std::make_shared<std::function<void()>>();
  *read_more = [&stream, &received, &closed, chunk, next = std::weak_ptr(read_more)] {
    stream.async_read_some(asio::buffer(*chunk), [&received, &closed, chunk, next](
                                                     const boost::system::error_code& ec, std::size_t n) {
      received.append(chunk->data(), n);
      if (ec) {
        closed = true;
        return;
      }
      if (auto again = next.lock()) (*again)();
    });
  };
  return [read_more] { (*read_more)(); };
}

// What came back: the head up to the blank line, the body after it.
HttpReply to_reply(const std::string& received, bool closed) {
  HttpReply reply;
  reply.closed = closed;
  reply.answered = closed && !received.empty();
  const auto split = received.find("\r\n\r\n");
  reply.head = received.substr(0, split);
  if (split != std::string::npos) reply.body = received.substr(split + 4);
  return reply;
}

}  // namespace

HttpReply http_exchange(const Endpoint& at, const std::string& request, std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  std::string received;
  bool closed = false;
  const std::function<void()> read_more = reader(socket, received, closed);
  socket.async_connect({asio::ip::make_address(at.host), at.port}, [&](const boost::system::error_code& ec) {
    if (ec) {
      closed = true;
      return;
    }
    asio::async_write(socket, asio::buffer(request), [](const boost::system::error_code&, std::size_t) {});
    read_more();
  });
  io.run_for(timeout);
  return to_reply(received, closed);
}

HttpReply get_tls(const Endpoint& at, const std::string& path, const std::string& ca_file) {
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.load_verify_file(ca_file);
  asio::ssl::stream<tcp::socket> stream(io, context);
  stream.set_verify_mode(asio::ssl::verify_peer);
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: vigil\r\nConnection: close\r\n\r\n";
  std::string received;
  bool closed = false;
  const std::function<void()> read_more = reader(stream, received, closed);
  stream.next_layer().async_connect({asio::ip::make_address("127.0.0.1"), at.port}, [&](const auto& ec) {
    if (ec) return void(closed = true);
    stream.async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& hs) {
      if (hs) return void(closed = true);
      asio::async_write(stream, asio::buffer(request), [](const boost::system::error_code&, std::size_t) {});
      read_more();
    });
  });
  io.run_for(10s);
  return to_reply(received, closed);
}

HttpReply get(const Endpoint& at, const std::string& path) {
  return http_exchange(at, "GET " + path + " HTTP/1.1\r\nHost: vigil\r\nConnection: close\r\n\r\n");
}

}  // namespace vigil::test
