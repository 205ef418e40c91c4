#pragma once
// Why a link is down, as a value: callers decide on it (give up, retry, say what to fix)
// instead of reading the detail text. The text that goes with it is for people.
//
//   Unresolved, Unreachable, Closed, Io, Silent, Protocol, TlsHandshake   retrying may help
//   TlsSetup, Refused, Insecure                                          final: retrying
//                                                                        cannot help until
//                                                                        someone changes
//                                                                        the configuration

#include <cstdint>
#include <string_view>

namespace vigil::net {

enum class LinkError : std::uint8_t {
  None,          // up, or going up
  Unresolved,    // the host name did not resolve
  Unreachable,   // the connection could not be made
  Closed,        // the peer closed the connection
  Io,            // a read or a write failed
  Silent,        // nothing within the deadline (no data, no answer, an unfinished frame)
  Protocol,      // the peer's bytes are not this protocol (bad or oversize frame)
  TlsHandshake,  // the TLS handshake failed (untrusted certificate, wrong name, no TLS)
  TlsSetup,      // our own TLS files cannot be used
  Refused,       // the peer answered no (login, protocol version, too many clients)
  Insecure,      // we would have had to send a secret in clear text
};

// True when retrying cannot help: give up and say so.
bool is_final(LinkError error);

// "refused", "tls-handshake", ... (for logs and tests).
std::string_view to_string(LinkError error);

}  // namespace vigil::net
