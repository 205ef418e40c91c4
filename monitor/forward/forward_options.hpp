#pragma once
// Settings of HL7 forwarding (config `forward_hl7 { }`, `vigild --forward-hl7 HOST:PORT`).
// See docs/forwarding.md.

#include <chrono>
#include <cstdint>
#include <string>

namespace vigil::forward {

struct ForwardOptions {
  std::string host;  // the hospital's integration engine
  std::uint16_t port = 0;
  std::string tls_ca_file;               // set: TLS, the engine's certificate verified against it (and host)
  std::string daemon_id;                 // MSH-3/MSH-4: which vigild sent a message
  std::chrono::seconds link_alert{60};   // link down / every message failing this long -> alarm
  std::chrono::seconds ack_timeout{10};  // no ACK this long: the connection is dropped, resent
  std::chrono::seconds max_backoff{60};  // cap of the exponential reconnect/resend delay
  std::uint64_t outbox_max_rows = 1000000;
  std::chrono::hours outbox_max_age{7 * 24};
  // After an AE or a dropped reading, the warning stays up this long without a new one.
  std::chrono::seconds warning_hold{300};
};

}  // namespace vigil::forward
