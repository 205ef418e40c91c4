#include "stream/stream_peer.hpp"

#include "net/frame_codec.hpp"
#include "stream/json_wire.hpp"

namespace vigil::stream {

SharedFrame encode_for(WireFormat format, const proto::ServerMessage& message) {
  if (format == WireFormat::Json) return std::make_shared<const std::string>(server_message_json(message));
  return std::make_shared<const std::string>(net::encode_frame(message));
}

}  // namespace vigil::stream
