#include "sim/s5_serial_monitor.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "datex/s5_decoder.hpp"

namespace vigil::sim {

namespace {

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

void add_flags(int fd, int fd_flags, int status_flags) {
  if (fd_flags) ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | fd_flags);
  if (status_flags) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | status_flags);
}

// The S/5 computer interface: 19200 baud, 8 data bits, no parity, 1 stop bit, raw.
int open_tty(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw sys_error("cannot open " + path);
  termios t{};
  if (::tcgetattr(fd, &t) == 0) {
    ::cfmakeraw(&t);
    t.c_cflag |= CREAD | CLOCAL;
    ::cfsetispeed(&t, B19200);
    ::cfsetospeed(&t, B19200);
    ::tcsetattr(fd, TCSANOW, &t);
  }
  return fd;
}

}  // namespace

S5SerialMonitor::S5SerialMonitor(boost::asio::io_context& io, S5SerialOptions options, WallNowFn wall_now)
    : opt_(std::move(options)), wall_now_(std::move(wall_now)), line_(io), timer_(io) {
  if (!(opt_.time_scale > 0)) opt_.time_scale = 1;
  if (!opt_.tty.empty()) {
    line_.assign(open_tty(opt_.tty));
    path_ = opt_.tty;
    return;
  }
  // Raw from the start: a cooked slave would echo records back and rewrite CR/LF bytes
  // inside them before vigild sets its own modes.
  termios raw{};
  ::cfmakeraw(&raw);
  raw.c_cflag |= CREAD | CLOCAL;
  int master = -1;
  if (::openpty(&master, &slave_fd_, nullptr, &raw, nullptr) != 0) throw sys_error("openpty");
  // vigild is not our child, but a demo script's other children must not inherit the ends.
  add_flags(master, FD_CLOEXEC, O_NONBLOCK);
  add_flags(slave_fd_, FD_CLOEXEC, 0);
  char name[128] = {};
  if (::ptsname_r(master, name, sizeof name) != 0) {
    ::close(master);
    ::close(slave_fd_);
    throw sys_error("ptsname_r");
  }
  line_.assign(master);
  path_ = name;
  if (!opt_.link.empty()) {
    // symlink + rename: the link always names a pty, never a half-made file.
    const std::string tmp = opt_.link + ".new";
    ::unlink(tmp.c_str());
    if (::symlink(name, tmp.c_str()) != 0 || ::rename(tmp.c_str(), opt_.link.c_str()) != 0)
      throw sys_error("cannot link " + opt_.link + " to " + name);
    path_ = opt_.link;
  }
}

S5SerialMonitor::~S5SerialMonitor() { stop(); }

void S5SerialMonitor::log(const std::string& line) {
  if (log_) log_(line);
}

void S5SerialMonitor::start() { read_loop(); }

void S5SerialMonitor::stop() {
  if (stopped_) return;
  stopped_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  line_.close(ignored);
  if (slave_fd_ >= 0) ::close(slave_fd_);
  slave_fd_ = -1;
  if (!opt_.link.empty()) ::unlink(opt_.link.c_str());
}

void S5SerialMonitor::read_loop() {
  if (stopped_) return;
  auto self = shared_from_this();
  line_.async_read_some(boost::asio::buffer(read_buf_), [this, self](boost::system::error_code ec,
                                                                     std::size_t n) {
    if (stopped_ || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      // A pty master whose slave we hold open does not fail; a tty whose adapter vanished
      // does. Stay silent from then on, as a monitor with a broken cable would.
      log(opt_.chair + ": serial line read failed: " + ec.message() + " (requests are no longer heard)");
      return;
    }
    std::vector<std::string> records;
    deframer_.feed(std::string_view(read_buf_.data(), n), records);
    counters_.bad_frames = deframer_.counters().bad_frames();
    for (const std::string& record : records) {
      const datex::DecodeResult decoded = datex::decode_record(record);
      if (!decoded.ok() || !decoded.record.request) continue;
      if (decoded.record.request->record_type != static_cast<std::uint8_t>(datex::PhdbRecordType::Displayed))
        continue;  // trend requests: this monitor only shows displayed values
      ++counters_.requests;
      on_request(decoded.record.request->interval_s);
    }
    read_loop();
  });
}

void S5SerialMonitor::on_request(std::int16_t interval_s) {
  timer_.cancel();
  if (interval_s == 0) {
    streaming_ = false;
    log(opt_.chair + ": serial: stop request");
    return;
  }
  if (interval_s < 0) {  // one record, now
    streaming_ = false;
    send_record();
    return;
  }
  if (!streaming_) log(opt_.chair + ": serial: start request, every " + std::to_string(interval_s) + " s");
  streaming_ = true;
  const auto scaled = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(interval_s / opt_.time_scale));
  period_ = std::max<std::chrono::steady_clock::duration>(scaled, opt_.min_period);
  send_record();  // a monitor answers at once
  schedule_record();
}

void S5SerialMonitor::schedule_record() {
  if (!streaming_ || stopped_) return;
  auto self = shared_from_this();
  timer_.expires_after(period_);
  timer_.async_wait([this, self](boost::system::error_code ec) {
    if (ec || stopped_) return;
    send_record();
    schedule_record();
  });
}

void S5SerialMonitor::send_record() {
  if (stopped_ || suspended_) return;
  if (writing_) {
    // One record may wait for the write in flight (the fresh NIBP result must get out);
    // beyond that nobody drains the line and records are lost, as on a real one.
    if (record_due_) ++counters_.records_dropped;
    record_due_ = true;
    return;
  }
  out_ = s5_displayed_record(display_, wall_now_ ? wall_now_() : 0, r_nbr_++);
  writing_ = true;
  auto self = shared_from_this();
  boost::asio::async_write(line_, boost::asio::buffer(out_),
                           [this, self](boost::system::error_code ec, std::size_t) {
                             writing_ = false;
                             if (ec) {
                               if (!stopped_ && ec != boost::asio::error::operation_aborted)
                                 ++counters_.records_dropped;
                               return;
                             }
                             ++counters_.records;
                             if (record_due_) {
                               record_due_ = false;
                               send_record();
                             }
                           });
}

void S5SerialMonitor::numerics(const NumericSample& sample, WallMillis) { display_.numerics = sample; }

void S5SerialMonitor::nibp_started(const NibpSample&, WallMillis) {
  display_.nibp_started = true;
  display_.nibp_measuring = true;
}

void S5SerialMonitor::nibp_done(const NibpSample& sample, WallMillis at) {
  display_.nibp_measuring = false;
  display_.last_nibp = sample;
  display_.last_nibp_at_ms = at;
  if (streaming_) send_record();
}

}  // namespace vigil::sim
