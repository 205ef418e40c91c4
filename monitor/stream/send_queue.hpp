#pragma once
// A stream client's outgoing queue with its byte bound: what a client that stops reading can
// make the daemon hold. Shared by both transports (client_session, web/websocket_session).
//
// Threading: one io thread, like the session that owns it.

#include <cstddef>
#include <deque>

#include "stream/stream_peer.hpp"

namespace vigil::stream {

class SendQueue {
 public:
  SendQueue(std::size_t max_bytes, std::size_t snapshot_allowance)
      : max_bytes_(max_bytes), snapshot_allowance_(snapshot_allowance) {}

  // False (nothing queued) when the frame would take the queue over its bound.
  bool push(SharedFrame frame) {
    if (bytes_ + frame->size() > max_bytes_) return false;
    bytes_ += frame->size();
    frames_.push_back(std::move(frame));
    return true;
  }
  // A snapshot frame: the bound grows by its size while the snapshot allowance lasts.
  bool push_snapshot(SharedFrame frame) {
    if (frame->size() > snapshot_allowance_) return false;
    snapshot_allowance_ -= frame->size();
    max_bytes_ += frame->size();
    return push(std::move(frame));
  }
  // Drops the first `count` frames (written).
  void pop(std::size_t count) {
    for (std::size_t i = 0; i < count && !frames_.empty(); ++i) {
      bytes_ -= frames_.front()->size();
      frames_.pop_front();
    }
  }

  bool empty() const { return frames_.empty(); }
  std::size_t size() const { return frames_.size(); }
  const SharedFrame& operator[](std::size_t i) const { return frames_[i]; }

 private:
  std::deque<SharedFrame> frames_;
  std::size_t bytes_ = 0;  // includes frames being written
  std::size_t max_bytes_;
  std::size_t snapshot_allowance_;
};

}  // namespace vigil::stream
