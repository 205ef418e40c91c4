#pragma once
// Who a nurse request is done by, and whether the screen that sent it may say so.
//
// A shared central screen has many nurses: it asks who acknowledges at the moment of
// acknowledging and names her in NurseRequest.user (with NurseRequest.pin when she has a
// pin_sha256). The request is then hers in the alert log; the screen it came from goes to
// the daemon's log.
//
//   request.user empty or the logged-in user ──► the logged-in user acts
//       (a station must name a nurse for a nurse action: it is a screen, not a person)
//   request.user another name ──► a configured user with role nurse, from a nurse or station
//       login ──► her pin_sha256 set? ──► PIN given and right ──► she acts
//                                    └─► wrong: refused, counted; after free tries, backed
//                                        off (1 s, 2 s ...)
//     any other name: a nurse login acts as herself (as before: a typed name is not trusted),
//     a station is refused, a viewer's (report) request is the viewer's
//   authentication off (loopback, no users): the name given, as before.
//
// Wrong PINs are counted per (screen, nurse) in a LoginBackoff: a guesser at one screen is
// slowed, the nurse can still be named from another screen. The check is constant time.
//
// Threading: not thread-safe; the daemon uses it on its io thread only.

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "daemon/login_backoff.hpp"
#include "daemon/stream_auth.hpp"
#include "stream/stream_server.hpp"

namespace vigil::proto {
class NurseRequest;
}

namespace vigil::daemon {

struct Actor {
  std::string user;    // logged with the action (alert_log.user, acknowledged_by)
  std::string screen;  // the logged-in client it came from, when that is someone else
};

// The refusal a client sees (RequestResult.reason).
struct ActorRefused {
  std::string reason;
};

class ActingUser {
 public:
  ActingUser(std::vector<StreamUser> users, std::shared_ptr<LoginBackoff> pin_backoff);

  std::variant<Actor, ActorRefused> resolve(const stream::StreamServer::ClientIdentity& who,
                                            const proto::NurseRequest& request);

 private:
  const StreamUser* find(const std::string& name) const;

  std::vector<StreamUser> users_;
  std::shared_ptr<LoginBackoff> pin_backoff_;
};

}  // namespace vigil::daemon
