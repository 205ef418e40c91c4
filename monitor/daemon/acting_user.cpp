#include "daemon/acting_user.hpp"

#include <openssl/crypto.h>

#include "events.pb.h"

namespace vigil::daemon {

ActingUser::ActingUser(std::vector<StreamUser> users, std::shared_ptr<LoginBackoff> pin_backoff)
    : users_(std::move(users)), pin_backoff_(std::move(pin_backoff)) {}

const StreamUser* ActingUser::find(const std::string& name) const {
  for (const auto& u : users_)
    if (u.name == name) return &u;
  return nullptr;
}

std::variant<Actor, ActorRefused> ActingUser::resolve(const stream::StreamServer::ClientIdentity& who,
                                                      const proto::NurseRequest& request) {
  const std::string& named = request.user();
  if (!who.authenticated) return Actor{named.empty() ? who.user : named, {}};
  const Role role = role_from_string(who.role).value_or(Role::Viewer);
  // Reports and other requests open to viewers are the screen's own.
  const bool nurse_action = !request_allowed(Role::Viewer, request);
  if (named.empty() || named == who.user) {
    if (role == Role::Station && nurse_action)
      return ActorRefused{"this shared screen (" + who.user + ") must name the nurse who acts"};
    return Actor{who.user, {}};
  }
  // A viewer's request here is one open to viewers (a report): it is the viewer's own.
  if (role == Role::Viewer) return Actor{who.user, {}};
  const StreamUser* nurse = find(named);
  if (!nurse || nurse->role != Role::Nurse) {
    // A nurse login typing a name that is no nurse acts as herself (the name typed was never
    // trusted: `vigilctl --user` defaults to $USER). A station has nobody to fall back to.
    if (role == Role::Nurse) return Actor{who.user, {}};
    return ActorRefused{"no nurse named '" + named.substr(0, 64) + "'"};
  }
  if (!nurse->pin_sha256.empty()) {
    const std::string key = who.user + "\n" + nurse->name;
    const auto locked = pin_backoff_->check(key);
    if (locked.count() > 0)
      return ActorRefused{"too many wrong PINs for " + nurse->name + " from this screen; retry in " +
                          std::to_string((locked.count() + 999) / 1000) + " s"};
    if (request.pin().empty()) return ActorRefused{"PIN required for " + nurse->name};
    const std::string hash = sha256_hex(request.pin());
    // Constant time: how much of a hash matched says nothing to a guesser.
    if (hash.size() != nurse->pin_sha256.size() ||
        CRYPTO_memcmp(hash.data(), nurse->pin_sha256.data(), hash.size()) != 0) {
      pin_backoff_->failed(key);
      return ActorRefused{"wrong PIN for " + nurse->name};
    }
    pin_backoff_->succeeded(key);
  }
  return Actor{nurse->name, who.user};
}

}  // namespace vigil::daemon
