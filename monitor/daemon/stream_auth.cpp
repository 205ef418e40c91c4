#include "daemon/stream_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <stdexcept>

#include "daemon/source_limits.hpp"
#include "events.pb.h"

namespace vigil::daemon {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::Nurse: return "nurse";
    case Role::Station: return "station";
    case Role::Viewer: break;
  }
  return "viewer";
}

std::optional<Role> role_from_string(std::string_view text) {
  if (text == "viewer") return Role::Viewer;
  if (text == "nurse") return Role::Nurse;
  if (text == "station") return Role::Station;
  return std::nullopt;
}

bool request_allowed(Role role, const proto::NurseRequest& request) {
  if (role == Role::Nurse || role == Role::Station) return true;
  using R = proto::NurseRequest;
  switch (request.action_case()) {
    case R::kBegin:
    case R::kBaselineOverride:
    case R::kStartInfusion:
    case R::kStopInfusion:
    case R::kPauseInfusion:
    case R::kResumeInfusion:
    case R::kEndSession:
    case R::kAcknowledge:
    case R::kPauseAudio: return false;
    default: return true;  // not a nurse action (e.g. a report): viewers may ask
  }
}

std::string_view action_name(const proto::NurseRequest& request) {
  using R = proto::NurseRequest;
  switch (request.action_case()) {
    case R::kBegin: return "begin";
    case R::kBaselineOverride: return "baseline";
    case R::kStartInfusion: return "start";
    case R::kStopInfusion: return "stop";
    case R::kPauseInfusion: return "pause";
    case R::kResumeInfusion: return "resume";
    case R::kEndSession: return "end";
    case R::kAcknowledge: return "acknowledge";
    case R::kPauseAudio: return "pause-audio";
    case R::kListDevices: return "list-devices";
    case R::kHistory: return "history";
    default: return "request";
  }
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

namespace {

// 64 hex digits, lower-cased; throws naming `field` otherwise.
std::string hex_sha256(const std::string& text, const char* field) {
  const std::string why = std::string(field) + " must be 64 hex digits (vigild --hash-token prints it)";
  if (text.size() != 64) throw std::invalid_argument(why);
  std::string out;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) throw std::invalid_argument(why);
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

StreamUser make_stream_user(const std::string& name, const std::string& role, const std::string& token_sha256,
                            const std::string& cert_cn, const std::string& pin_sha256) {
  StreamUser user;
  if (name.empty()) throw std::invalid_argument("name is required");
  user.name = name;
  auto parsed = role_from_string(role);
  if (!parsed)
    throw std::invalid_argument("role must be \"viewer\", \"nurse\" or \"station\", not '" + role + "'");
  user.role = *parsed;
  if (!token_sha256.empty()) user.token_sha256 = hex_sha256(token_sha256, "token_sha256");
  if (!pin_sha256.empty()) user.pin_sha256 = hex_sha256(pin_sha256, "pin_sha256");
  if (!user.pin_sha256.empty() && user.role != Role::Nurse)
    throw std::invalid_argument("user '" + name + "': pin_sha256 is for nurses (a station names them)");
  user.cert_cn = cert_cn;
  if (user.token_sha256.empty() && user.cert_cn.empty() && user.pin_sha256.empty())
    throw std::invalid_argument("user '" + name +
                                "' needs token_sha256 or cert_cn to log in (or, for a nurse "
                                "named at a station, a pin_sha256)");
  return user;
}

StreamAuth::StreamAuth(std::vector<StreamUser> users, bool client_ca)
    : users_(std::move(users)), client_ca_(client_ca) {}

stream::StreamServer::Admission StreamAuth::admit(const stream::StreamServer::HelloFacts& facts) const {
  stream::StreamServer::Admission out;
  if (!enabled()) {
    // Logins off is only safe for this host's own clients. The stream port cannot be bound
    // beyond loopback without logins (start_checks.cpp), but the web view's WebSocket
    // arrives on the HTTP port, which may be (HTTPS): a page from the network must not
    // act as a nurse without a login.
    boost::system::error_code ec;
    const auto peer = boost::asio::ip::make_address(facts.peer_address, ec);
    if (ec || !is_loopback(peer)) {
      out.accepted = false;
      out.reason =
          "logins are off on this vigild: only clients on its own host may connect (configure "
          "stream users, docs/web.md)";
      return out;
    }
    out.user = facts.hello.user();
    return out;
  }
  out.accepted = false;
  out.reason = "authentication failed";
  const std::string& token = facts.hello.token();
  if (!token.empty()) {
    const std::string hash = sha256_hex(token);
    for (const StreamUser& user : users_) {
      // Constant time: how much of a hash matched says nothing to a guesser.
      if (user.token_sha256.size() == hash.size() &&
          CRYPTO_memcmp(user.token_sha256.data(), hash.data(), hash.size()) == 0) {
        return admitted(user);
      }
    }
    return out;
  }
  if (facts.cert_cn.empty()) return out;
  if (users_.empty()) return {true, true, facts.cert_cn, "nurse", "", {}, false};
  for (const StreamUser& user : users_) {
    if (!user.cert_cn.empty() && user.cert_cn == facts.cert_cn) return admitted(user);
  }
  return out;
}

stream::StreamServer::Admission StreamAuth::admitted(const StreamUser& user) const {
  stream::StreamServer::Admission a{true, true, user.name, std::string(to_string(user.role)), "", {}, false};
  // Only a client that may act learns who it may act for.
  if (user.role == Role::Viewer) return a;
  for (const StreamUser& u : users_) {
    if (u.role != Role::Nurse) continue;
    a.nurses.push_back(u.name);
    a.pin_required = a.pin_required || !u.pin_sha256.empty();
  }
  return a;
}

}  // namespace vigil::daemon
