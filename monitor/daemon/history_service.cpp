#include "daemon/history_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "store/records.hpp"
#include "stream.pb.h"

namespace vigil::daemon {

HistoryService::HistoryService(boost::asio::io_context& io, stream::StreamServer& stream, Options options,
                               std::function<std::int64_t()> wall_now_ms)
    : io_(io), stream_(stream), options_(std::move(options)), wall_now_ms_(std::move(wall_now_ms)) {}

HistoryService::~HistoryService() {
  worker_.stop();
  worker_.join();
}

void HistoryService::answer(std::uint64_t client_id, proto::RequestResult result) {
  proto::ServerMessage message;
  *message.mutable_result() = std::move(result);
  stream_.send_to(client_id, message);
}

void HistoryService::on_request(std::uint64_t client_id, const proto::NurseRequest& request,
                                const std::string& user) {
  proto::RequestResult result;
  result.set_request_id(request.request_id());
  if (request.history().session_id().size() > 128 || request.bed().size() > 128) {
    result.set_reason("history: chair name or session id too long");
    return answer(client_id, std::move(result));
  }
  if (queued_ >= options_.max_queued) {
    result.set_reason("history busy (" + std::to_string(queued_) +
                      " requests being read): try again shortly");
    return answer(client_id, std::move(result));
  }
  ++queued_;
  spdlog::debug("history requested by {} for {}", user, request.bed());
  store::HistoryQuery query;
  query.bed = request.bed();
  query.session_id = request.history().session_id();
  query.since_ms = request.history().since_ms();
  query.now_ms = wall_now_ms_();
  boost::asio::post(worker_, [this, client_id, query, result]() mutable {
    try {
      *result.mutable_history() = store::read_chair_history(options_.db_path, query, options_.limits);
      const auto& h = result.history();
      result.set_ok(true);
      result.set_detail("history of " + query.bed + ": " + std::to_string(h.readings_size()) + " readings, " +
                        std::to_string(h.alerts_size()) + " alert transitions" +
                        (h.truncated() ? " (truncated)" : ""));
    } catch (const store::HistoryRefused& e) {
      result.set_reason(e.what());
    } catch (const store::StoreError& e) {
      result.set_reason(e.what());
    } catch (const std::exception& e) {
      result.set_reason(std::string("history failed: ") + e.what());
    }
    boost::asio::post(io_, [this, client_id, result = std::move(result)]() mutable {
      --queued_;
      if (!result.ok()) spdlog::info("history refused: {}", result.reason());
      answer(client_id, std::move(result));
    });
  });
}

}  // namespace vigil::daemon
