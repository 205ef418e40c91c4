#pragma once
// A simulated Philips IntelliVue monitor speaking Data Export, over UDP (it listens on a
// port; vigild `--intellivue CHAIR=127.0.0.1:PORT` associates with it) or over a
// pseudo-terminal in MIB/RS-232 framing (vigild `--serial CHAIR=/dev/pts/N,protocol=intellivue`).
//
// Like the real monitor it waits for a client: an Association Request is accepted (one
// client at a time: a request from another UDP peer while one is associated is refused),
// followed by the MDS Create Event Report; every poll request is answered once with the
// chair's current numerics (HR, pleth pulse, SpO2, a perfusion index vigild does not map,
// and the last NIBP result as a compound value with its measurement time; MSMT_ONGOING
// while the cuff inflates; NaN values after a failed measurement).
//
// Faults, on a fraction of outgoing messages (--fault drop,garbage,bad-fcs,questionable):
//   drop          the message is not sent
//   garbage       junk bytes first (pty: outside any frame; UDP: a junk datagram)
//   bad-fcs       pty: the frame's FCS is wrong; UDP: the message is cut short
//   questionable  numerics only: SpO2 carries the QUESTIONABLE state bit
// With announce_to it also sends a Connect Indication there every announce_every, as a real
// monitor broadcasts one to port 24005 (intellivue_announcer.hpp).
// reboot() (vigil-sim on SIGUSR1): the association is aborted, requests are refused for
// refuse_after_reboot, then accepted again. Unplugged (suspend): nothing is heard or sent.
//
// Threading: not thread-safe; the io_context thread runs it. Create with std::make_shared.

#include <utility>  // before Asio (Boost 1.74 in C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "intellivue/mib_frame.hpp"
#include "sim/intellivue_announcer.hpp"
#include "sim/monitor_output.hpp"

namespace vigil::sim {

enum class IvFault : std::uint8_t { Drop, Garbage, BadFcs, Questionable };

/// Parses "drop,garbage,bad-fcs,questionable" (empty: none). nullopt and `error` on an unknown name.
std::optional<std::vector<IvFault>> parse_iv_fault_list(const std::string& list, std::string* error);

struct IntelliVueSimOptions {
  std::string chair = "CHAIR1";
  bool pty = false;  // false: UDP
  std::string udp_address = "127.0.0.1";
  std::uint16_t udp_port = 0;  // 0: any free port (printed)
  std::vector<IvFault> faults;
  double fault_rate = 0;
  std::uint64_t seed = 1;
  std::chrono::milliseconds refuse_after_reboot{3000};
  std::string announce_to;  // UDP only: "IP:PORT" to send Connect Indications to; empty: none
  std::chrono::milliseconds announce_every{5000};
};

struct IntelliVueSimCounters {
  std::uint64_t associations = 0;
  std::uint64_t refused = 0;
  std::uint64_t polls = 0;
  std::uint64_t sent = 0;
  std::uint64_t faults = 0;
  std::uint64_t bad_requests = 0;  // undecodable datagrams / frames
};

class IntelliVueSimMonitor : public MonitorOutput, public std::enable_shared_from_this<IntelliVueSimMonitor> {
 public:
  using WallNowFn = std::function<WallMillis()>;
  using LogFn = std::function<void(const std::string& line)>;

  /// Binds the UDP port or opens the pty. Throws std::runtime_error on failure.
  IntelliVueSimMonitor(boost::asio::io_context& io, IntelliVueSimOptions options, WallNowFn wall_now);
  ~IntelliVueSimMonitor() override;

  /// "127.0.0.1:PORT" (UDP) or the pty slave path.
  const std::string& where() const { return where_; }
  const IntelliVueSimCounters& counters() const { return counters_; }
  /// "intellivue associations=N refused=N polls=N sent=N faults=N bad_requests=N".
  std::string summary() const;
  void set_log_hook(LogFn fn) { log_ = std::move(fn); }
  /// Abort the association; refuse for refuse_after_reboot; then accept again.
  void reboot();

  void start() override;
  void numerics(const NumericSample& sample, WallMillis at) override;
  void nibp_started(const NibpSample& sample, WallMillis at) override;
  void nibp_done(const NibpSample& sample, WallMillis at) override;
  void suspend() override { suspended_ = true; }
  void resume() override { suspended_ = false; }
  bool idle() const override { return true; }
  void stop() override;
  std::uint64_t messages_built() const override { return counters_.sent; }

 private:
  void receive_udp();
  void read_pty();
  void on_message(std::string_view bytes);
  void answer_poll(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                   std::uint16_t object_class, std::uint16_t attr_group);
  void send(std::string message, bool numerics = false);
  void write_raw(std::string bytes);
  bool roll();
  std::string numerics_result(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                              bool questionable);
  void log(const std::string& line);

  IntelliVueSimOptions opt_;
  WallNowFn wall_now_;
  boost::asio::ip::udp::socket udp_;
  boost::asio::posix::stream_descriptor line_;
  int slave_fd_ = -1;
  std::string where_;
  std::array<char, 4096> buf_{};
  boost::asio::ip::udp::endpoint from_;
  std::optional<boost::asio::ip::udp::endpoint> peer_;  // the associated client (UDP)
  intellivue::MibDeframer deframer_;
  std::deque<std::string> pty_out_;  // bounded: kMaxPtyQueue frames
  bool writing_ = false;
  bool associated_ = false;
  std::chrono::steady_clock::time_point refuse_until_{};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uint16_t invoke_id_ = 0;
  NumericSample latest_{};
  bool have_numerics_ = false;
  std::optional<NibpSample> nibp_;
  WallMillis nibp_at_ = 0;
  bool nibp_measuring_ = false;
  bool suspended_ = false;
  bool stopped_ = false;
  std::mt19937_64 rng_;
  IntelliVueSimCounters counters_;
  LogFn log_;
  std::unique_ptr<IvAnnouncer> announcer_;  // --iv-announce
};

}  // namespace vigil::sim
