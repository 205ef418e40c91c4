#pragma once
// vigild's metrics, as plain figures, and their one rendering as Prometheus text. The names
// and labels are a contract with dashboards and alert rules (docs/operations.md lists each):
// change them only with the docs and the acceptance suite.
//
// The daemon fills VigilFigures on its io thread from the stats its parts keep (no query,
// no new thread); vigil_metrics_text() is pure, so its exact output is unit-tested.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/metrics_text.hpp"

namespace vigil::http {

struct AckFigures {
  std::string source;  // already bounded by the daemon (ack_tally.hpp)
  std::uint64_t aa = 0, ae = 0, ar = 0;
};

// Monitor links by state (the daemon's LinkState); every state is listed, 0 included.
struct LinkStateCounts {
  std::uint64_t connected = 0, receiving = 0, silent = 0, lost = 0;
};

// Open HL7/MLLP connections by what they are doing (hl7_connection.hpp):
//   idle    no message waiting for its ACK
//   busy    messages being stored or their ACKs written
//   paused  Hl7Connection::kMaxInFlight messages waiting: reading stopped until the store
//           catches up (back-pressure on that monitor)
struct Hl7ConnectionCounts {
  std::uint64_t idle = 0, busy = 0, paused = 0;
};

struct VigilFigures {
  std::vector<AckFigures> acks;
  std::uint64_t readings_stored = 0;
  HistogramValue commit_seconds;
  std::uint64_t failed_transactions = 0;
  // Checkpoints of the write-ahead log: by the checkpointer thread, and by the writer once
  // the log reached its bound (a disk that cannot keep up).
  std::uint64_t checkpoints_thread = 0, checkpoints_writer = 0;
  bool store_healthy = true;
  std::uint64_t store_queue = 0;    // batches queued for the writer thread
  std::uint64_t journal_queue = 0;  // batches held while the writer's queue was full
  Hl7ConnectionCounts hl7_connections;
  LinkStateCounts serial_links;      // configured serial S/5 monitors
  LinkStateCounts intellivue_links;  // configured IntelliVue monitors, LAN and MIB serial
  std::uint64_t stream_clients = 0;
  std::uint64_t alerts_low = 0, alerts_medium = 0, alerts_high = 0;
  std::uint64_t technical_alerts = 0;
  std::uint64_t outbox_pending = 0;             // 0 when forwarding is off
  double outbox_oldest_pending_age_s = 0;       // 0 when nothing is pending or forwarding is off
  std::optional<std::uint64_t> database_bytes;  // unset: the file could not be stat'ed
  std::optional<std::uint64_t> disk_free_bytes;
  double io_loop_lag_s = 0;
};

// Every metric name vigil_metrics_text() writes, in order (tests check the docs name each).
std::vector<std::string> vigil_metric_names();

std::string vigil_metrics_text(const VigilFigures& figures);

}  // namespace vigil::http
