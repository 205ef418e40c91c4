#pragma once
// One monitor's MLLP connection: messages in, ACKs out, in the order the messages arrived.
//
//   net::MllpPeer --message--> Hl7Receiver::handle --(ack ready, maybe later)--> in-order
//   reply queue --> MllpPeer::write
//
// A frame over the size bound is skipped up to its end block (never held: the peer's deframer
// keeps its first bytes only) and answered AR in its turn, from the MSH at its start; the
// link stays up. Only a frame that never ends closes it.
//
// Reading pauses while kMaxInFlight messages wait for their ACK or for it to be written, so a
// sender that pipelines faster than we commit (or never reads its ACKs) is slowed by TCP
// instead of growing our memory. The socket loop (reading without a buffer of its own,
// deframing, the unfinished-frame deadline, writing) is the shared net::MllpPeer.
//
// Threading: lives on the daemon's io thread. Owned by shared_ptr from its pending handlers
// and its peer's; the listener keeps a weak registry to close everything at shutdown.

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "daemon/hl7_receiver.hpp"
#include "net/mllp_peer.hpp"

namespace vigil::daemon {

struct Hl7ConnectionStats {
  std::uint64_t connections = 0;
  std::uint64_t oversize_frames = 0;
  std::uint64_t truncated_frames = 0;
  std::uint64_t junk_bytes = 0;
  std::uint64_t frame_timeouts = 0;  // frames started but not finished within the deadline
};

// What a connection is doing, for the metrics port (vigil_hl7_connections{state}).
enum class Hl7ConnectionState {
  Idle,    // no message waiting for its ACK
  Busy,    // messages being handled or their ACKs written
  Paused,  // kMaxInFlight of them: reading paused until ACKs go out
};

class Hl7Connection : public std::enable_shared_from_this<Hl7Connection> {
 public:
  static constexpr std::size_t kMaxInFlight = 64;

  // Asked before each message is handled; false: its source is over the message rate and
  // the message is answered AR at once, never dropped (the monitor resends it later). The
  // connection owns it (and whatever it holds, e.g. its SourceLease) until destroyed.
  using MessageGate = std::function<bool()>;

  // A frame started (start block seen) but not ended within `frame_timeout` closes the
  // connection: a half-sent message would otherwise hold its buffer and descriptor forever.
  // Zero: no deadline.
  Hl7Connection(boost::asio::ip::tcp::socket socket, Hl7Receiver& receiver, std::size_t max_frame_bytes,
                std::chrono::milliseconds frame_timeout, Hl7ConnectionStats& stats, MessageGate gate = {});
  void start();
  void close();
  const std::string& peer() const { return peer_name_; }
  Hl7ConnectionState state() const;

 private:
  struct Slot {
    bool ready = false;
    std::string bytes;
  };
  void on_message(std::string_view message);
  void on_oversize(std::string_view head, std::size_t frame_bytes);
  // A slot for the next reply in arrival order, and the callback that fills it.
  Hl7Receiver::Reply next_reply();
  void on_closed(net::LinkError error, const std::string& detail);
  void count_junk();
  void ack_ready(std::uint64_t seq, std::string bytes);
  void write_ready();
  void pace_reading();
  std::size_t in_flight() const;

  Hl7Receiver& receiver_;
  Hl7ConnectionStats& stats_;
  MessageGate gate_;
  std::size_t max_frame_bytes_;
  const std::chrono::milliseconds frame_timeout_;
  std::string peer_name_;
  std::shared_ptr<net::MllpPeer> link_;  // set in start(); its handlers hold us
  boost::asio::ip::tcp::socket socket_;  // until start() hands it to link_
  // Messages live only while being handled.
  std::deque<Slot> slots_;       // replies in arrival order; front is the oldest
  std::uint64_t first_seq_ = 0;  // sequence number of slots_.front()
  bool closed_ = false;
  std::uint64_t junk_reported_ = 0;
};

}  // namespace vigil::daemon
