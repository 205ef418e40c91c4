#pragma once
// Who may use vigild's stream and what they may do (docs/configuration.md "Stream
// TLS and users"): a stream beyond loopback carries patient data and nurse actions.
//
//   hello ──► StreamAuth::admit ──► accepted as (user, role) ──► every NurseRequest passes
//             token (SHA-256 match)        or refused              request_allowed(role, ...)
//             or verified cert CN          "authentication failed"
//
// Roles: viewer watches; nurse also acknowledges, pauses audio and runs sessions; station is
// a shared central screen: it may do what a nurse does, but only in the name of a nurse it
// names in each request (with her PIN when she has one: acting_user.hpp). With no users and
// no client CA, authentication is off: every client on this host (a loopback peer) is
// admitted under the name its hello gives and may act; any other peer is refused (the stream
// port cannot be bound wider then, but the web view's WebSocket on an HTTPS port can).
//
// Threading: admit() is const and pure; called on the io thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stream/stream_server.hpp"

namespace vigil::proto {
class NurseRequest;
}

namespace vigil::daemon {

enum class Role { Viewer, Nurse, Station };

// "viewer", "nurse", "station".
std::string_view to_string(Role role);
// nullopt for anything but "viewer" / "nurse" / "station".
std::optional<Role> role_from_string(std::string_view text);

// THE role check: acknowledge, pause_audio and every session action need a nurse (or a
// station, which must then name the nurse: acting_user.hpp); any other request kind
// (reports, ...) is open to viewers.
bool request_allowed(Role role, const proto::NurseRequest& request);

// The request's action as a word for logs ("acknowledge", "begin", ...).
std::string_view action_name(const proto::NurseRequest& request);

// Lower-case hex SHA-256 of `data` (64 digits): what stream_user.token_sha256 holds.
std::string sha256_hex(std::string_view data);

struct StreamUser {
  std::string name;
  Role role = Role::Viewer;
  std::string token_sha256;  // lower-case hex, or empty
  std::string cert_cn;       // client certificate CN, or empty
  std::string pin_sha256;    // lower-case hex SHA-256 of the nurse's PIN, or empty
};

// Checks one configured user: a name, a known role, a 64-hex-digit token_sha256 (any case;
// stored lower-case) and/or a cert_cn, an optional 64-hex-digit pin_sha256. A nurse with a
// PIN but no token or certificate is valid: she never logs in herself, a station names her.
// Throws std::invalid_argument saying what is wrong.
StreamUser make_stream_user(const std::string& name, const std::string& role, const std::string& token_sha256,
                            const std::string& cert_cn, const std::string& pin_sha256 = {});

class StreamAuth {
 public:
  // `client_ca`: the daemon asks for client certificates. With no users, any certificate that
  // CA signed logs in as a nurse named by its CN (the CA is the clinic's own).
  StreamAuth(std::vector<StreamUser> users, bool client_ca);

  // Authentication is on: every client must present a token or a mapped certificate.
  bool enabled() const { return !users_.empty() || client_ca_; }

  // A token, when given, must match (a wrong token is refused even with a good certificate);
  // otherwise the verified certificate CN must map to a user.
  stream::StreamServer::Admission admit(const stream::StreamServer::HelloFacts& facts) const;

  const std::vector<StreamUser>& users() const { return users_; }

 private:
  // Fills what an accepted nurse or station is told: the nurses it may name, PINs needed.
  stream::StreamServer::Admission admitted(const StreamUser& user) const;

  std::vector<StreamUser> users_;
  bool client_ca_ = false;
};

}  // namespace vigil::daemon
