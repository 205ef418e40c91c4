#pragma once
// One monitor's MLLP connection: bytes in, ACKs out, in the order the messages arrived.
//
//   read --> MllpDeframer --> IngestPipeline::handle --(ack ready, maybe later)--> in-order
//   reply queue --> one async_write at a time
//
// Reading pauses while kMaxInFlight messages wait for their ACK, so a sender that pipelines
// faster than we commit is slowed by TCP instead of growing our memory. An idle connection
// holds no read buffer (it waits for readability, then reads into one per-thread buffer):
// memory per monitor matters at thousands of beds.
//
// Threading: lives on the daemon's io thread. Owned by shared_ptr from its pending handlers;
// the listener keeps a weak registry to close everything at shutdown.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/ingest_pipeline.hpp"
#include "hl7/mllp_deframer.hpp"

namespace vigil::daemon {

struct Hl7ConnectionStats {
  std::uint64_t connections = 0;
  std::uint64_t oversize_frames = 0;
  std::uint64_t truncated_frames = 0;
  std::uint64_t junk_bytes = 0;
  std::uint64_t frame_timeouts = 0;  // frames started but not finished within the deadline
};

class Hl7Connection : public std::enable_shared_from_this<Hl7Connection> {
 public:
  static constexpr std::size_t kMaxInFlight = 64;

  // Asked before each message is handled; false: its source is over the message rate and
  // the message is answered AR at once, never dropped (the monitor resends it later). The
  // connection owns it (and whatever it holds, e.g. its SourceLease) until destroyed.
  using MessageGate = std::function<bool()>;

  Hl7Connection(boost::asio::ip::tcp::socket socket, IngestPipeline& pipeline,
                std::size_t max_frame_bytes, Hl7ConnectionStats& stats, MessageGate gate = {});
  // A frame started (start block seen) but not ended within `timeout` closes the
  // connection: a half-sent message would otherwise hold its buffer and descriptor forever.
  // Zero: no deadline. Call before start().
  void set_frame_timeout(std::chrono::milliseconds timeout) { frame_timeout_ = timeout; }
  void start();
  void close();
  const std::string& peer() const { return peer_; }

 private:
  struct Slot {
    bool ready = false;
    std::string bytes;
  };
  void do_read();
  void on_readable(const boost::system::error_code& ec);
  void on_read(const boost::system::error_code& ec, std::string_view bytes);
  void ack_ready(std::uint64_t seq, std::string bytes);
  void do_write();
  void finish(const std::string& why);
  void arm_frame_deadline();

  boost::asio::ip::tcp::socket socket_;
  IngestPipeline& pipeline_;
  Hl7ConnectionStats& stats_;
  MessageGate gate_;
  hl7::MllpDeframer deframer_;
  std::size_t max_frame_bytes_;
  std::string peer_;
  // No read buffer of its own: see do_read(). Messages live only while being handled.
  std::deque<Slot> slots_;          // replies in arrival order; front is the oldest
  std::uint64_t first_seq_ = 0;     // sequence number of slots_.front()
  std::vector<std::string> writing_;
  bool reading_ = false;
  bool closed_ = false;
  std::uint64_t junk_reported_ = 0;
  std::chrono::milliseconds frame_timeout_{0};
  boost::asio::steady_timer frame_timer_;
  std::chrono::steady_clock::time_point frame_started_{};
  bool frame_timer_armed_ = false;
};

}  // namespace vigil::daemon
