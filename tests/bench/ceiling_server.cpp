// vigil-bench-ceiling: the loopback ceiling (the best any HL7 server could do
// here, to compare vigild against). A minimal Asio MLLP responder: it
// deframes, finds MSH-10 and answers a fixed AA echoing it. No parsing beyond that, no
// storing, no fan-out: what the kernel and the framing alone cost on this machine.
//
//   vigil-bench-ceiling [--listen HOST:PORT] [--threads N]
//
// Prints `listening hl7=HOST:PORT` once bound (port 0: any free port), like vigild.
// SIGINT/SIGTERM: exit 0.
//
// Per connection: one read buffer, the bytes of an unfinished frame (bounded: a frame over
// kMaxFrame closes the link), and the ACKs not yet written (reading pauses while a write
// is in flight, so they are bounded by what one read can hold).
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "load_report.hpp"
#include "net/fd_limit.hpp"

namespace {

namespace asio = boost::asio;
constexpr std::size_t kMaxFrame = 1 << 20;
constexpr char kStart = 0x0B, kEnd = 0x1C, kCr = 0x0D;

// MSH-10 of an HL7 message: after the ninth field separator, counting MSH-1 (the
// separator right after "MSH") as the first.
std::string_view control_id(std::string_view m) {
  if (m.size() < 4 || m.substr(0, 3) != "MSH") return {};
  const char sep = m[3];
  std::size_t pos = 3;
  for (int i = 1; i < 9; ++i) {
    pos = m.find(sep, pos + 1);
    if (pos == std::string_view::npos) return {};
  }
  const std::size_t end = m.find_first_of(std::string{sep, '\r'}, pos + 1);
  return m.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1);
}

void append_ack(std::string& out, std::string_view id) {
  out += kStart;
  out += "MSH|^~\\&|CEILING||||20260101000000||ACK^R01^ACK|1|P|2.6\rMSA|AA|";
  out += id;
  out += '\r';
  out += kEnd;
  out += kCr;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(asio::ip::tcp::socket s) : socket_(std::move(s)) {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  }
  void read() {
    socket_.async_read_some(asio::buffer(buf_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                              if (ec) return;  // closed or reset: the session ends with its last handler
                              if (!self->consume(std::string_view(self->buf_.data(), n))) return;
                              if (self->out_.empty()) {
                                self->read();
                              } else {
                                self->write();
                              }
                            });
  }

 private:
  // Splits frames (a partial one is kept in frame_) and queues one ACK per message.
  bool consume(std::string_view bytes) {
    while (!bytes.empty()) {
      if (!in_frame_) {
        const auto start = bytes.find(kStart);
        if (start == std::string_view::npos) return true;
        bytes.remove_prefix(start + 1);
        in_frame_ = true;
        frame_.clear();
      }
      const auto end = bytes.find(kEnd);
      if (end == std::string_view::npos) {
        frame_.append(bytes);
        return frame_.size() <= kMaxFrame;
      }
      std::string_view message = bytes.substr(0, end);
      if (!frame_.empty()) {
        frame_.append(message);
        message = frame_;
      }
      append_ack(out_, control_id(message));
      in_frame_ = false;
      bytes.remove_prefix(end + 1);  // the CR after 0x1C is skipped as a byte outside a frame
    }
    return true;
  }
  void write() {
    writing_.swap(out_);
    out_.clear();
    asio::async_write(socket_, asio::buffer(writing_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                        if (ec) return;
                        self->read();
                      });
  }

  asio::ip::tcp::socket socket_;
  std::array<char, 16384> buf_{};
  std::string frame_, out_, writing_;
  bool in_frame_ = false;
};

void accept(asio::ip::tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<Session>(std::move(socket))->read();
    accept(acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  int threads = 1;
  CLI::App app{"Minimal MLLP responder: fixed AA echoing MSH-10 (the loopback ceiling)"};
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)");
  app.add_option("--threads", threads, "io threads")->check(CLI::Range(1, 64));
  CLI11_PARSE(app, argc, argv);
  try {
    vigil::net::raise_fd_limit();
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io);
    const auto at = vigil::bench::resolve_endpoint(listen);
    acceptor.open(at.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen(asio::socket_base::max_listen_connections);
    const auto bound = acceptor.local_endpoint();
    const std::string host =
        bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    std::printf("listening hl7=%s:%u\n", host.c_str(), static_cast<unsigned>(bound.port()));
    std::fflush(stdout);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    accept(acceptor);
    std::vector<std::thread> extra;
    for (int i = 1; i < threads; ++i) extra.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-bench-ceiling: %s\n", e.what());
    return 1;
  }
  return 0;
}
