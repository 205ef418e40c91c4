#include "daemon/history_service.hpp"

#include <spdlog/spdlog.h>

#include "store/records.hpp"
#include "stream.pb.h"

namespace vigil::daemon {

HistoryService::HistoryService(boost::asio::io_context& io, stream::StreamServer& stream, Options options,
                               std::function<std::int64_t()> wall_now_ms)
    : options_(std::move(options)),
      wall_now_ms_(std::move(wall_now_ms)),
      worker_(io, stream, "history", options_.max_queued) {}

void HistoryService::on_request(std::uint64_t client_id, const proto::NurseRequest& request,
                                const std::string& user) {
  proto::RequestResult result;
  result.set_request_id(request.request_id());
  if (request.history().session_id().size() > 128 || request.bed().size() > 128) {
    result.set_reason("history: chair name or session id too long");
    return worker_.answer(client_id, std::move(result));
  }
  if (worker_.full()) {
    result.set_reason("history busy (" + std::to_string(worker_.queued()) +
                      " requests being read): try again shortly");
    return worker_.answer(client_id, std::move(result));
  }
  spdlog::debug("history requested by {} for {}", user, request.bed());
  store::HistoryQuery query;
  query.bed = request.bed();
  query.session_id = request.history().session_id();
  query.since_ms = request.history().since_ms();
  query.now_ms = wall_now_ms_();
  worker_.run(
      client_id, std::move(result),
      [this, query](proto::RequestResult& r) {
        try {
          *r.mutable_history() = store::read_chair_history(options_.db_path, query, options_.limits);
        } catch (const store::HistoryRefused& e) {
          r.set_reason(e.what());
          return;
        }
        const auto& h = r.history();
        r.set_ok(true);
        r.set_detail("history of " + query.bed + ": " + std::to_string(h.readings_size()) + " readings, " +
                     std::to_string(h.alerts_size()) + " alert transitions" +
                     (h.truncated() ? " (truncated)" : ""));
      },
      [](const proto::RequestResult& r) {
        if (!r.ok()) spdlog::info("history refused: {}", r.reason());
      });
}

}  // namespace vigil::daemon
