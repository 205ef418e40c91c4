#include "daemon/request_router.hpp"

#include <spdlog/spdlog.h>

#include <variant>

#include "daemon/chair_name.hpp"
#include "daemon/stream_auth.hpp"

namespace vigil::daemon {

RequestRouter::RequestRouter(AlertService& alerts, ReportService& reports, HistoryService& history,
                             ActingUser& acting, Send send)
    : alerts_(alerts), reports_(reports), history_(history), acting_(acting), send_(std::move(send)) {}

void RequestRouter::answer(std::uint64_t client_id, proto::RequestResult result) {
  proto::ServerMessage message;
  *message.mutable_result() = std::move(result);
  send_(client_id, message);
}

void RequestRouter::route(std::uint64_t client_id, const stream::StreamServer::ClientIdentity& who,
                          const proto::ClientMessage& message) {
  if (message.body_case() != proto::ClientMessage::kRequest) return;
  const proto::NurseRequest& request = message.request();
  const std::string& bed = request.bed();
  std::string user = who.authenticated || request.user().empty() ? who.user : request.user();
  const Role role = who.authenticated ? role_from_string(who.role).value_or(Role::Viewer) : Role::Nurse;
  auto refuse = [&](const std::string& why) {
    proto::RequestResult result;
    result.set_request_id(request.request_id());
    result.set_ok(false);
    result.set_reason(why);
    spdlog::info("request refused for {}: {}", bed, why);
    alerts_.attach_session(result, bed);
    answer(client_id, std::move(result));
  };
  if (!request_allowed(role, request)) {
    spdlog::warn("request denied: user {} (role {}) may not {} on {}", user, to_string(role),
                 action_name(request), bed.substr(0, 64));
    return refuse("not permitted for role " + std::string(to_string(role)));
  }
  if (request.action_case() == proto::NurseRequest::kListDevices) {
    proto::RequestResult result;
    result.set_request_id(request.request_id());
    if (list_devices_) {
      list_devices_(result);
    } else {
      result.set_ok(false);
      result.set_reason("this daemon does not list devices");
    }
    return answer(client_id, std::move(result));
  }
  if (bed.empty()) return refuse("no bed given");
  if (auto problem = chair_name_problem(bed)) return refuse(*problem);
  // Reading what is stored changes nothing and is logged with no one's name: no acting
  // nurse, no PIN. The history service checks the chair and session against the database.
  if (request.action_case() == proto::NurseRequest::kHistory)
    return history_.on_request(client_id, request, user);
  const auto actor = acting_.resolve(who, request);
  if (const auto* refused = std::get_if<ActorRefused>(&actor)) {
    spdlog::warn("request refused: {} on {} from {}: {}", action_name(request), bed.substr(0, 64), who.user,
                 refused->reason);
    return refuse(refused->reason);
  }
  const Actor& acting = std::get<Actor>(actor);
  user = acting.user;
  // The alert log has no column for the screen: the daemon's log says where it came from.
  if (!acting.screen.empty())
    spdlog::info("{} on {} by {} at shared screen {}", action_name(request), bed.substr(0, 64), user,
                 acting.screen);
  if (user.empty()) return refuse("no user given: every nurse action is logged with who did it (--user)");
  switch (request.action_case()) {
    case proto::NurseRequest::ACTION_NOT_SET: return refuse("the request names no action");
    case proto::NurseRequest::kReport:
      // Not an engine action: the report service answers later, from its worker thread.
      return reports_.on_request(client_id, request, user);
    default: break;
  }
  auto refused = alerts_.act(request, user, [this, client_id](proto::RequestResult result) {
    answer(client_id, std::move(result));
  });
  if (refused) refuse(*refused);
}

}  // namespace vigil::daemon
