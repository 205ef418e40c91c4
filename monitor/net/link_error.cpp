#include "net/link_error.hpp"

namespace vigil::net {

bool is_final(LinkError error) {
  return error == LinkError::TlsSetup || error == LinkError::Refused || error == LinkError::Insecure;
}

std::string_view to_string(LinkError error) {
  switch (error) {
    case LinkError::None: return "none";
    case LinkError::Unresolved: return "unresolved";
    case LinkError::Unreachable: return "unreachable";
    case LinkError::Closed: return "closed";
    case LinkError::Io: return "io";
    case LinkError::Silent: return "silent";
    case LinkError::Protocol: return "protocol";
    case LinkError::TlsHandshake: return "tls-handshake";
    case LinkError::TlsSetup: return "tls-setup";
    case LinkError::Refused: return "refused";
    case LinkError::Insecure: return "insecure";
  }
  return "unknown";
}

}  // namespace vigil::net
