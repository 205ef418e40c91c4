#pragma once
// A simulated GE S/5 monitor on a serial line: a pseudo-terminal it creates (vigild opens
// the slave, e.g. `vigild --serial CHAIR5=/dev/pts/7`) or a real tty it is given.
//
// Like the real monitor it stays quiet until the computer asks: a PHDB request for
// displayed values with interval N starts a record every N simulated seconds (-1: one
// record, 0: stop). The record shows the latest values (s5_display.hpp); a completed NIBP
// measurement also sends one record at once, so its result is never first seen "older
// than 60 s" at high time scales. Unplugged (suspend): the line goes silent, as when the
// cable is pulled out of the monitor.
//
// Real time per record = N / time_scale seconds, but never under min_period: at scale 600
// and N = 5 that is 50 ms real, 30 simulated seconds.
//
// Threading: not thread-safe; the io_context thread runs it. Create with std::make_shared.

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "datex/s5_deframer.hpp"
#include "sim/monitor_output.hpp"
#include "sim/s5_display.hpp"

namespace vigil::sim {

/// Where the monitor writes and how fast.
struct S5SerialOptions {
  std::string chair = "CHAIR1";
  std::string tty;   // empty: create a pseudo-terminal
  std::string link;  // pty only: also make this symlink to the slave
  double time_scale = 1;
  std::chrono::milliseconds min_period{50};
};

/// What went over the line.
struct S5SerialCounters {
  std::uint64_t requests = 0;         // PHDB requests decoded
  std::uint64_t records = 0;          // displayed-values records written whole
  std::uint64_t records_dropped = 0;  // not written: the line was backed up or failed
  std::uint64_t bad_frames = 0;       // frames from the computer the deframer dropped
};

/// A MonitorOutput speaking the S/5 serial protocol.
class S5SerialMonitor : public MonitorOutput, public std::enable_shared_from_this<S5SerialMonitor> {
 public:
  using WallNowFn = std::function<WallMillis()>;
  using LogFn = std::function<void(const std::string& line)>;

  /// Opens the pty (or the tty, raw 19200 8N1). Throws std::runtime_error on failure.
  S5SerialMonitor(boost::asio::io_context& io, S5SerialOptions options, WallNowFn wall_now);
  ~S5SerialMonitor() override;

  /// The path to give vigild: the symlink if one was asked for, else the pty slave or tty.
  const std::string& path() const { return path_; }
  const S5SerialCounters& counters() const { return counters_; }
  void set_log_hook(LogFn fn) { log_ = std::move(fn); }

  void start() override;
  void numerics(const NumericSample& sample, WallMillis at) override;
  void nibp_started(const NibpSample& sample, WallMillis at) override;
  void nibp_done(const NibpSample& sample, WallMillis at) override;
  void suspend() override { suspended_ = true; }
  void resume() override { suspended_ = false; }
  bool idle() const override { return !writing_; }
  void stop() override;
  std::uint64_t messages_built() const override { return counters_.records; }

 private:
  void read_loop();
  void on_request(std::int16_t interval_s);
  void schedule_record();
  void send_record();
  void log(const std::string& line);

  S5SerialOptions opt_;
  WallNowFn wall_now_;
  boost::asio::posix::stream_descriptor line_;
  boost::asio::steady_timer timer_;
  int slave_fd_ = -1;  // pty: held open so the master never sees "no reader" (EIO)
  std::string path_;
  S5Display display_;
  datex::S5Deframer deframer_;
  S5SerialCounters counters_;
  std::array<char, 2048> read_buf_{};
  std::string out_;  // the record being written
  bool writing_ = false;
  bool record_due_ = false;  // a record to write when the one in flight is done
  bool streaming_ = false;
  bool suspended_ = false;
  bool stopped_ = false;
  std::chrono::steady_clock::duration period_{};
  std::uint8_t r_nbr_ = 0;
  LogFn log_;
};

}  // namespace vigil::sim
