#pragma once
// Nurse and report requests from stream clients: who may do what, and who answers.
//
//   StreamServer ──(client id, ClientIdentity, ClientMessage)──► route
//        role check (request_allowed) ─► bed given?
//        ├─ history ──────────► HistoryService::on_request (read-only: no acting user needed)
//        └─ who acts (ActingUser: a station or
//        nurse login naming a nurse, with her PIN) ─► user given? ─► action given?
//        │  (list_devices, read-only and about no chair, is answered before the bed check)
//        ├─ report ───────────► ReportService::on_request (worker thread, answers later)
//        └─ any other action ─► AlertService::act ─► Journal ─(after the commit)─► answer
//   a refusal is answered at once: RequestResult{ok=false, reason} with the chair's session
//
// Logged in: the action is the authenticated user's, unless a nurse or station login names
// a configured nurse (acting_user.hpp); then hers, and the screen goes to the daemon's log.
// Authentication off (loopback, no users): the name given, and everyone may act.
//
// Threading: io thread only (the stream calls it there; answers are sent from there).

#include <cstdint>
#include <functional>
#include <string>

#include "daemon/acting_user.hpp"
#include "daemon/alert_service.hpp"
#include "daemon/history_service.hpp"
#include "daemon/report_service.hpp"
#include "stream.pb.h"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

class RequestRouter {
 public:
  // Sends a reply to one client (StreamServer::send_to); false when it is gone.
  using Send = std::function<bool(std::uint64_t client_id, const proto::ServerMessage& message)>;

  RequestRouter(AlertService& alerts, ReportService& reports, HistoryService& history, ActingUser& acting,
                Send send);

  // Fills the answer to list_devices (IntelliVue discovery); unset: refused.
  using DeviceLister = std::function<void(proto::RequestResult& result)>;
  void set_device_lister(DeviceLister lister) { list_devices_ = std::move(lister); }

  void route(std::uint64_t client_id, const stream::StreamServer::ClientIdentity& who,
             const proto::ClientMessage& message);

 private:
  void answer(std::uint64_t client_id, proto::RequestResult result);

  AlertService& alerts_;
  ReportService& reports_;
  HistoryService& history_;
  ActingUser& acting_;
  Send send_;
  DeviceLister list_devices_;
};

}  // namespace vigil::daemon
