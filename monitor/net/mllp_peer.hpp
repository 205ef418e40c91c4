#pragma once
// One MLLP connection's socket loop, for either end: vigild's HL7 receiver (a monitor's
// link), the forwarder's link to the integration engine and the simulator's monitor all
// read, deframe and write through it. What the messages mean (ACK rules, retries, outboxes)
// stays with them.
//
//   read ──► MllpDeframer ──► on_message(view) for each message   (unless paused)
//   write(bytes) ──► queue ──► one async_write at a time, gathering everything queued
//   a frame over the bound ──► on_oversize(head, size) once it ends, if set; else close
//   EOF, error, oversize frame, unfinished frame ──► close, then on_closed(error, detail)
//
// Memory: on plain TCP the peer holds no read buffer of its own: it waits for readability,
// then reads into one buffer per io thread and deframes before any other handler runs
// (memory per monitor matters at thousands of beds). TLS has its own record buffering, so
// a TLS peer reads into a 4 KiB buffer of its own.
// A frame started but not finished within frame_timeout closes the link (Silent): a
// half-sent message would otherwise hold its buffer and descriptor for ever. While reading
// is paused the clock is ours, not the sender's, so it restarts.
//
// Lifetime: create with std::make_shared; pending operations hold it. After close() no
// handler is called again. The owner keeps it (shared_ptr) and may close it from inside a
// handler.
// Threading: io thread only, like the socket.

#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/mllp_deframer.hpp"
#include "net/link_error.hpp"
#include "net/link_socket.hpp"

namespace vigil::net {

class MllpPeer : public std::enable_shared_from_this<MllpPeer> {
 public:
  struct Options {
    std::size_t max_frame_bytes = hl7::kDefaultMaxFrameBytes;
    std::chrono::milliseconds frame_timeout{0};  // zero: no deadline
  };
  struct Handlers {
    // One message without its framing; the view is valid during the call only.
    std::function<void(std::string_view message)> on_message;
    // The link ended by itself (not by close()): Closed (peer's EOF), Io, Protocol (a frame
    // over max_frame_bytes; with on_oversize set, one that ran on past
    // hl7::kOversizeSkipFactor times it), Silent (an unfinished frame). Called once.
    std::function<void(LinkError error, const std::string& detail)> on_closed;
    // Optional. Set: a frame over max_frame_bytes is skipped up to its end block, and this
    // gets its first bytes (where MSH is; a view valid during the call) and its size without
    // framing; the link stays up, so the sender can be answered. Unset: such a frame ends
    // the link (Protocol).
    std::function<void(std::string_view head, std::size_t frame_bytes)> on_oversize;
    // After each read's messages were delivered (e.g. to count junk bytes). Optional.
    std::function<void()> on_read;
  };

  MllpPeer(LinkSocket socket, Options options, Handlers handlers);
  MllpPeer(const MllpPeer&) = delete;
  MllpPeer& operator=(const MllpPeer&) = delete;

  // Starts reading.
  void start();
  // Reading stops after the current read until resume_reading() (back-pressure).
  void pause_reading();
  void resume_reading();
  // Queues bytes as they are (already framed: see hl7::mllp_wrap). `on_written` runs once
  // they are all written; never if the link ends first.
  void write(std::string bytes, std::function<void()> on_written = {});
  // Frames `message` and queues it.
  void send(std::string_view message) { write(hl7::mllp_wrap(message)); }
  // Closes the socket; no handler runs afterwards. Idempotent.
  void close();

  bool open() const { return !closed_; }
  // Writes queued or being written (their on_written has not run): an owner that must bound
  // what a peer who never reads can make it hold counts these.
  std::size_t pending_writes() const { return queued_.size() + writing_.size(); }
  // The deframer's counters (junk bytes, a frame in progress and its size).
  const hl7::MllpDeframer& deframer() const { return deframer_; }
  LinkSocket& socket() { return socket_; }

 private:
  struct Write {
    std::string bytes;
    std::function<void()> on_written;
  };
  void read_next();
  void on_readable(const boost::system::error_code& ec);
  void on_bytes(const boost::system::error_code& ec, std::string_view bytes);
  void write_next();
  void arm_frame_deadline();
  void fail(LinkError error, const std::string& detail);

  LinkSocket socket_;
  Options options_;
  Handlers handlers_;
  hl7::MllpDeframer deframer_;
  std::unique_ptr<std::array<char, 4096>> tls_buffer_;  // TLS only (see the file comment)
  // Vectors, not a deque: an empty std::deque holds 576 bytes, per monitor.
  std::vector<Write> queued_;
  std::vector<Write> writing_;
  boost::asio::steady_timer frame_timer_;
  std::chrono::steady_clock::time_point frame_started_{};
  bool frame_timer_armed_ = false;
  bool reading_ = false;
  bool paused_ = false;
  bool started_ = false;
  bool closed_ = false;
};

}  // namespace vigil::net
