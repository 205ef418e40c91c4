#pragma once
// Framing for protobuf messages on a byte stream (the daemon<->client stream): a varint
// length prefix, then that many bytes of a serialized message (protobuf's "delimited"
// convention). Pure: bytes in, frames out; no sockets, no clocks. Both the server and the
// client library use it.

#include <google/protobuf/message_lite.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::net {

// Frames larger than this are a protocol error (the peer is broken or hostile).
inline constexpr std::size_t kMaxFrameBytes = 1 << 20;

// Serializes `message` and prefixes it with its varint length.
std::string encode_frame(const google::protobuf::MessageLite& message);

// Incremental decoder: feed it whatever the socket delivered, get complete payloads out.
// Memory is bounded: it never buffers more than one frame plus its 10-byte prefix.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_frame_bytes = kMaxFrameBytes);

  // Appends each complete frame's payload to `out`. Returns false on a protocol error
  // (oversize or malformed length); the decoder is then dead.
  bool feed(std::string_view bytes, std::vector<std::string>& out);

  // Changes the bound for frames whose length prefix has not been read yet (the server
  // raises it once a client has logged in).
  void set_max_frame_bytes(std::size_t max_frame_bytes) { max_frame_bytes_ = max_frame_bytes; }

  // True once feed() has reported a protocol error.
  bool failed() const { return failed_; }

  // Bytes held for an incomplete frame (prefix or payload).
  std::size_t buffered() const { return prefix_.size() + payload_.size(); }

 private:
  enum class Prefix { NeedMore, Done, Bad };
  Prefix take_prefix_byte(unsigned char byte);

  std::size_t max_frame_bytes_;
  bool failed_ = false;
  bool in_payload_ = false;  // prefix complete, collecting `want_` payload bytes
  std::string prefix_;       // varint bytes seen so far (at most 10)
  std::uint64_t want_ = 0;   // payload length from the prefix
  std::string payload_;
};

}  // namespace vigil::net
