#include "daemon/serial_port_transport.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>

namespace vigil::transport {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::array<unsigned, 5> kSupportedBauds = {9600, 19200, 38400, 57600, 115200};

// Linux numbers Unix98 pty slaves with majors 136..143 (UNIX98_PTY_SLAVE_MAJOR and the
// next seven) and legacy BSD pty slaves with major 3.
bool is_pseudo_terminal(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode)) return false;
  const unsigned m = major(st.st_rdev);
  return (m >= 136 && m <= 143) || m == 3;
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

bool is_supported_baud(unsigned baud) {
  return std::find(kSupportedBauds.begin(), kSupportedBauds.end(), baud) != kSupportedBauds.end();
}

class SerialPortTransport::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, SerialPortOptions options, SerialPortCallbacks callbacks)
      : io_(io),
        options_(std::move(options)),
        callbacks_(std::move(callbacks)),
        port_(io),
        retry_timer_(io),
        backoff_(options_.initial_backoff) {}

  void start() {
    asio::post(io_, [self = shared_from_this()] {
      if (self->state_ == State::Idle) self->attempt_open();
    });
  }

  void stop() {
    if (state_ == State::Stopped) return;
    state_ = State::Stopped;
    close_port();
    retry_timer_.cancel();
  }

  bool send(std::string bytes) {
    if (state_ != State::Open || queued_bytes_ + bytes.size() > options_.max_write_queue_bytes) {
      ++counters_.writes_refused;
      return false;
    }
    queued_bytes_ += bytes.size();
    queue_.push_back(std::move(bytes));
    if (!writing_) do_write();
    return true;
  }

  bool is_open() const { return state_ == State::Open; }
  const SerialPortCounters& counters() const { return counters_; }
  const SerialPortOptions& options() const { return options_; }

 private:
  enum class State { Idle, Open, Waiting, Stopped };

  void attempt_open() {
    std::string warnings;
    std::string failure = open_and_configure(warnings);
    if (!failure.empty()) {
      ++counters_.open_failures;
      report_lost(failure);
      schedule_retry();
      return;
    }
    ++counters_.opens;
    state_ = State::Open;
    lost_reported_ = false;
    if (!warnings.empty() && callbacks_.on_warning) callbacks_.on_warning(warnings);
    if (state_ == State::Open && callbacks_.on_connected) callbacks_.on_connected();
    if (state_ == State::Open) do_read();
  }

  // Returns "" on success, else why the port is not usable. `warnings` collects what a pty
  // could not take.
  std::string open_and_configure(std::string& warnings) {
    const std::string& path = options_.device;
    int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return "cannot open " + path + ": " + errno_text(errno);
    if (!::isatty(fd)) {
      ::close(fd);
      return path + " is not a terminal device";
    }
    const bool pty = is_pseudo_terminal(fd);
    // Raw bytes: no echo, no line editing, no CR/LF translation, no XON/XOFF (the S/5
    // stream is binary); VMIN 1 / VTIME 0 from cfmakeraw.
    termios ios{};
    if (::tcgetattr(fd, &ios) == 0) {
      ::cfmakeraw(&ios);
      ios.c_cflag |= CREAD | CLOCAL;  // CLOCAL: no modem-control waits on read/write
      if (::tcsetattr(fd, TCSANOW, &ios) != 0 && !pty) {
        const int err = errno;
        ::close(fd);
        return "cannot set raw mode on " + path + ": " + errno_text(err);
      }
    }
    error_code ec;
    port_.assign(fd, ec);
    if (ec) {
      ::close(fd);
      return "cannot use " + path + ": " + ec.message();
    }
    std::string failure;
    auto apply = [&](const auto& option, const char* what) {
      error_code option_ec;
      port_.set_option(option, option_ec);
      if (!option_ec) return;
      std::string text = std::string("cannot set ") + what + " on " + path + ": " + option_ec.message();
      if (pty) {
        warnings += (warnings.empty() ? "" : "; ") + text + " (pseudo-terminal: ignored)";
      } else if (failure.empty()) {
        failure = text;
      }
    };
    using base = asio::serial_port_base;
    apply(base::baud_rate(options_.baud), "baud rate");
    apply(base::character_size(8), "8 data bits");
    apply(base::parity(base::parity::even), "even parity");
    apply(base::stop_bits(base::stop_bits::one), "1 stop bit");
    apply(base::flow_control(base::flow_control::hardware), "RTS/CTS flow control");
    if (!failure.empty()) close_port();
    return failure;
  }

  void do_read() {
    port_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this(), generation = generation_](
                              const error_code& ec, std::size_t n) { self->on_read(generation, ec, n); });
  }

  void on_read(std::uint64_t generation, const error_code& ec, std::size_t n) {
    // A handler from a port we already closed (or a stop()): its outcome is old news.
    if (state_ != State::Open || generation != generation_) return;
    if (ec == asio::error::operation_aborted) return;  // we cancelled it; nothing to do
    if (ec == asio::error::eof) {
      // A tty reads 0 bytes only after a hangup (VMIN is 1): the far end or the adapter
      // is gone, so re-arming would spin. Close and reopen instead.
      lose("end of file (device hung up)");
      return;
    }
    if (ec) {
      // EIO from a vanished USB adapter or a closed pty master, and anything else.
      lose("read failed: " + ec.message());
      return;
    }
    counters_.bytes_read += n;
    backoff_ = options_.initial_backoff;  // the line works: the next outage starts short
    if (callbacks_.on_bytes) callbacks_.on_bytes(std::string_view(read_buffer_.data(), n));
    if (state_ == State::Open && generation == generation_) do_read();
  }

  void do_write() {
    writing_ = true;
    // The bytes in flight live in the handler, so closing the port (which clears the
    // queue) can never free a buffer the kernel is still being handed.
    auto data = std::make_shared<std::string>(std::move(queue_.front()));
    queue_.pop_front();
    asio::async_write(
        port_, asio::buffer(*data),
        [self = shared_from_this(), data, generation = generation_](const error_code& ec, std::size_t n) {
          self->on_written(generation, data->size(), ec, n);
        });
  }

  void on_written(std::uint64_t generation, std::size_t size, const error_code& ec, std::size_t n) {
    if (state_ != State::Open || generation != generation_) return;
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      lose("write failed: " + ec.message());
      return;
    }
    counters_.bytes_written += n;
    queued_bytes_ -= std::min(queued_bytes_, size);
    writing_ = false;
    if (!queue_.empty()) do_write();
  }

  void lose(const std::string& reason) {
    close_port();
    ++counters_.losses;
    state_ = State::Waiting;
    report_lost(reason);
    schedule_retry();
  }

  void report_lost(const std::string& reason) {
    if (lost_reported_) return;
    lost_reported_ = true;
    if (callbacks_.on_lost) callbacks_.on_lost(reason);
  }

  void schedule_retry() {
    if (state_ == State::Stopped) return;
    state_ = State::Waiting;
    retry_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, options_.max_backoff);
    retry_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec || self->state_ != State::Waiting) return;
      self->attempt_open();
    });
  }

  void close_port() {
    ++generation_;
    error_code ignored;
    port_.close(ignored);
    queue_.clear();
    queued_bytes_ = 0;
    writing_ = false;
  }

  asio::io_context& io_;
  SerialPortOptions options_;
  SerialPortCallbacks callbacks_;
  asio::serial_port port_;
  asio::steady_timer retry_timer_;
  std::chrono::milliseconds backoff_;
  State state_ = State::Idle;
  bool lost_reported_ = false;
  std::uint64_t generation_ = 0;  // bumped on every close; handlers carry the one they began in
  std::array<char, 4096> read_buffer_{};
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;  // queued plus in flight
  bool writing_ = false;
  SerialPortCounters counters_;
};

SerialPortTransport::SerialPortTransport(asio::io_context& io, SerialPortOptions options,
                                         SerialPortCallbacks callbacks) {
  if (!is_supported_baud(options.baud)) {
    throw std::invalid_argument("unsupported baud rate " + std::to_string(options.baud) +
                                " (allowed: 9600, 19200, 38400, 57600, 115200)");
  }
  if (options.initial_backoff.count() <= 0) options.initial_backoff = std::chrono::milliseconds(1);
  if (options.max_backoff < options.initial_backoff) options.max_backoff = options.initial_backoff;
  impl_ = std::make_shared<Impl>(io, std::move(options), std::move(callbacks));
}

SerialPortTransport::~SerialPortTransport() { impl_->stop(); }

void SerialPortTransport::start() { impl_->start(); }
void SerialPortTransport::stop() { impl_->stop(); }
bool SerialPortTransport::send(std::string bytes) { return impl_->send(std::move(bytes)); }
bool SerialPortTransport::is_open() const { return impl_->is_open(); }
const SerialPortCounters& SerialPortTransport::counters() const { return impl_->counters(); }
const SerialPortOptions& SerialPortTransport::options() const { return impl_->options(); }

}  // namespace vigil::transport
