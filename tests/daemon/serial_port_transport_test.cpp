// SerialPortTransport on a real pseudo-terminal: bytes both ways, the bounded write queue,
// hangup, paths that are no terminal, and stop() with operations pending.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "daemon/serial_port_transport.hpp"
#include "support/child_process.hpp"

namespace vigil::transport {
namespace {

using namespace std::chrono_literals;
constexpr auto kDeadline = 10s;

// A pty pair; the test holds the master and the transport opens the slave by name.
struct Pty {
  Pty() {
    termios raw{};
    ::cfmakeraw(&raw);
    EXPECT_EQ(::openpty(&master, &slave, nullptr, &raw, nullptr), 0);
    char name[128] = {};
    EXPECT_EQ(::ptsname_r(master, name, sizeof name), 0);
    path = name;
  }
  ~Pty() { close(); }
  // Hangs the line up: the pts node goes away with its master, while the slave fd kept here
  // holds the pty's number so that no other process (tests run in parallel) gets the same
  // /dev/pts/N, which the transport's retries would then open.
  void close_master() {
    if (master >= 0) ::close(master);
    master = -1;
  }
  void close() {
    if (master >= 0) ::close(master);
    if (slave >= 0) ::close(slave);
    master = slave = -1;
  }
  // Reads from the master until `n` bytes came or the deadline passed.
  std::string read_master(std::size_t n) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      const ssize_t got = ::read(master, buf, sizeof buf);
      if (got > 0) out.append(buf, static_cast<std::size_t>(got));
    }
    return out;
  }
  int master = -1, slave = -1;
  std::string path;
};

// A transport on its own io thread; callbacks recorded under a lock.
class Harness {
 public:
  explicit Harness(SerialPortOptions options) {
    transport_ = std::make_unique<SerialPortTransport>(
        io_, std::move(options),
        SerialPortCallbacks{[this](std::string_view b) { record([&] { bytes_.append(b); }); },
                            [this] { record([&] { ++connected_; }); },
                            [this](const std::string& why) { record([&] { lost_.push_back(why); }); },
                            [this](const std::string& w) { record([&] { warnings_.push_back(w); }); }});
    transport_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Harness() {
    boost::asio::post(io_, [this] {
      transport_->stop();
      work_.reset();
    });
    thread_.join();
  }
  template <class F>
  auto on_io(F f) {
    std::packaged_task<decltype(f())()> task(f);
    auto result = task.get_future();
    boost::asio::post(io_, [&] { task(); });
    EXPECT_EQ(result.wait_for(kDeadline), std::future_status::ready);
    return result.get();
  }
  template <class Pred>
  bool wait(Pred pred) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, pred);
  }
  SerialPortTransport& transport() { return *transport_; }
  // Runs `f` with the callback lock held (the io thread writes what it reads).
  template <class F>
  auto locked(F f) {
    std::lock_guard lock(mu_);
    return f();
  }

  std::string bytes_;
  int connected_ = 0;
  std::vector<std::string> lost_, warnings_;

 private:
  template <class F>
  void record(F f) {
    std::lock_guard lock(mu_);
    f();
    cv_.notify_all();
  }
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<SerialPortTransport> transport_;
  std::thread thread_;
};

SerialPortOptions fast(const std::string& device) {
  SerialPortOptions o;
  o.device = device;
  o.initial_backoff = 20ms;
  o.max_backoff = 100ms;
  return o;
}

TEST(SerialPortTransport, MovesBytesBothWays) {
  Pty pty;
  Harness h(fast(pty.path));
  ASSERT_TRUE(h.wait([&] { return h.connected_ == 1; }));
  // Bytes a text terminal would translate or swallow: CR, LF, XON/XOFF, 0x7E/0x7D, NUL.
  const std::string payload("\x7e\r\n\x11\x13\x00\x7d\xff", 8);
  ASSERT_TRUE(h.on_io([&] { return h.transport().send(payload); }));
  EXPECT_EQ(pty.read_master(payload.size()), payload);
  ASSERT_EQ(::write(pty.master, payload.data(), payload.size()), static_cast<ssize_t>(payload.size()));
  ASSERT_TRUE(h.wait([&] { return h.bytes_.size() >= payload.size(); }));
  EXPECT_EQ(h.locked([&] { return h.bytes_; }), payload);
  const auto c = h.on_io([&] { return h.transport().counters(); });
  EXPECT_EQ(c.bytes_written, payload.size());
  EXPECT_EQ(c.bytes_read, payload.size());
  EXPECT_EQ(c.opens, 1u);
}

TEST(SerialPortTransport, WriteQueueIsBounded) {
  Pty pty;
  auto options = fast(pty.path);
  options.max_write_queue_bytes = 16;
  Harness h(options);
  ASSERT_TRUE(h.wait([&] { return h.connected_ == 1; }));
  EXPECT_FALSE(h.on_io([&] { return h.transport().send(std::string(17, 'x')); }));
  // 10 + 10 > 16 while the first is still in flight (nothing ran between the two sends).
  const auto [first, second] = h.on_io([&] {
    const bool a = h.transport().send(std::string(10, 'a'));
    const bool b = h.transport().send(std::string(10, 'b'));
    return std::make_pair(a, b);
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  EXPECT_EQ(pty.read_master(10), std::string(10, 'a'));
  EXPECT_EQ(h.on_io([&] { return h.transport().counters().writes_refused; }), 2u);
}

TEST(SerialPortTransport, HangupIsLostOnceThenRetried) {
  Pty pty;
  Harness h(fast(pty.path));
  ASSERT_TRUE(h.wait([&] { return h.connected_ == 1; }));
  pty.close_master();  // reopening fails until stop
  ASSERT_TRUE(h.wait([&] { return !h.lost_.empty(); }));
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (h.on_io([&] { return h.transport().counters().open_failures; }) < 3 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);  // polling a counter with a deadline
  }
  const auto c = h.on_io([&] { return h.transport().counters(); });
  EXPECT_GE(c.open_failures, 3u);
  EXPECT_EQ(c.losses, 1u);
  EXPECT_FALSE(h.on_io([&] { return h.transport().is_open(); }));
  EXPECT_FALSE(h.on_io([&] { return h.transport().send("x"); })) << "nothing queues while closed";
  EXPECT_EQ(h.locked([&] { return h.lost_.size(); }), 1u);
}

TEST(SerialPortTransport, RegularFileIsNotATerminal) {
  test::TempDir dir;
  std::ofstream(dir.file("plain")) << "not a tty";
  Harness h(fast(dir.file("plain")));
  ASSERT_TRUE(h.wait([&] { return !h.lost_.empty(); }));
  const std::string why = h.locked([&] { return h.lost_.at(0); });
  EXPECT_NE(why.find("is not a terminal device"), std::string::npos) << why;
  EXPECT_EQ(h.locked([&] { return h.connected_; }), 0);
}

TEST(SerialPortTransport, UnsupportedBaudIsRejectedAtConstruction) {
  boost::asio::io_context io;
  auto options = fast("/dev/null");
  options.baud = 12345;
  EXPECT_THROW(SerialPortTransport(io, options, {}), std::invalid_argument);
}

TEST(SerialPortTransport, DestroyedWithReadPendingIsSafe) {
  Pty pty;
  boost::asio::io_context io;
  int connected = 0;
  {
    SerialPortTransport t(io, fast(pty.path), SerialPortCallbacks{{}, [&] { ++connected; }, {}, {}});
    t.start();
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (connected == 0 && std::chrono::steady_clock::now() < deadline) io.run_one_for(100ms);
    ASSERT_EQ(connected, 1);
  }
  // The read handler still queued holds the state alive; running it must touch nothing freed.
  io.restart();
  io.run();  // returns: nothing is left pending once the port is closed
  EXPECT_EQ(connected, 1);
}

}  // namespace
}  // namespace vigil::transport
