#include "daemon/request_worker.hpp"

#include <boost/asio/post.hpp>

#include "store/records.hpp"
#include "stream.pb.h"

namespace vigil::daemon {

RequestWorker::RequestWorker(boost::asio::io_context& io, stream::StreamServer& stream, std::string what,
                             int max_queued)
    : io_(io), stream_(stream), what_(std::move(what)), max_queued_(max_queued) {}

RequestWorker::~RequestWorker() {
  worker_.stop();
  worker_.join();
}

void RequestWorker::answer(std::uint64_t client_id, proto::RequestResult result) {
  proto::ServerMessage message;
  *message.mutable_result() = std::move(result);
  stream_.send_to(client_id, message);
}

void RequestWorker::run(std::uint64_t client_id, proto::RequestResult result,
                        std::function<void(proto::RequestResult&)> work,
                        std::function<void(const proto::RequestResult&)> done) {
  ++queued_;
  boost::asio::post(worker_, [this, client_id, result = std::move(result), work = std::move(work),
                              done = std::move(done)]() mutable {
    try {
      work(result);
    } catch (const store::StoreError& e) {
      result.set_reason(e.what());
    } catch (const std::exception& e) {
      result.set_reason(what_ + " failed: " + e.what());
    }
    boost::asio::post(io_, [this, client_id, result = std::move(result), done = std::move(done)]() mutable {
      --queued_;
      done(result);
      answer(client_id, std::move(result));
    });
  });
}

}  // namespace vigil::daemon
