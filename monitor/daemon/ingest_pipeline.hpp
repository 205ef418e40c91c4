#pragma once
// What happens to one received HL7 message: decode, name the chair, store durably, then
// (and only then) acknowledge it and announce its readings.
//
//   message --ingest_message--> readings --Store::submit--> [writer thread commits]
//        --post to io--> BedBoard::update, StreamServer::publish, reply(AA)
//
// Messages that cannot be used get their AE/AR at once: nothing of them is stored.
// If storage fails the sender gets AR ("receiver trouble, resend later"), never AA.
//
// Threading: every member runs on the daemon's io thread; the store's completion is posted
// back to it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "daemon/bed_board.hpp"
#include "daemon/bed_resolver.hpp"
#include "hl7/ingest.hpp"
#include "store/store.hpp"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

struct IngestStats {
  std::uint64_t messages = 0;
  std::uint64_t acked_aa = 0;
  std::uint64_t acked_ae = 0;
  std::uint64_t acked_ar = 0;
  std::uint64_t readings = 0;
  std::uint64_t unmapped = 0;
  std::uint64_t store_retries = 0;
  std::uint64_t store_failures = 0;
};

class IngestPipeline {
 public:
  // Gets the MLLP-framed ACK once it may be sent. Runs on the io thread.
  using Reply = std::function<void(std::string framed_ack)>;

  IngestPipeline(boost::asio::io_context& io, store::Store& store, BedBoard& board,
                 stream::StreamServer& stream, BedResolver resolver, hl7::MapOptions options);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  void handle(std::string_view message, Reply reply);

  // Readings from a device without acknowledgements (a serial monitor): `bed`,
  // `received_at_ms` and `measured_at_ms` already set. Stored, then announced; `done`
  // (optional) learns whether the commit succeeded. Never dropped for a full queue: held
  // and retried like HL7 messages.
  using Stored = std::function<void(const store::WriteOutcome&)>;
  void store_and_announce(store::WriteBatch batch, Stored done);

  const IngestStats& stats() const { return stats_; }

 private:
  struct Pending;
  void submit(std::shared_ptr<Pending> pending);
  void committed(const std::shared_ptr<Pending>& pending, store::WriteOutcome outcome);
  void announce(const store::WriteBatch& batch, const store::WriteOutcome& outcome);
  std::string ack_for(const hl7::IngestResult& result, hl7::AckCode code, std::string_view text,
                      int error_code);

  boost::asio::io_context& io_;
  store::Store& store_;
  BedBoard& board_;
  stream::StreamServer& stream_;
  BedResolver resolver_;
  hl7::MapOptions options_;
  IngestStats stats_;
  std::uint64_t ack_counter_ = 0;
  // Completions can still be queued on the writer thread when the daemon shuts down.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace vigil::daemon
