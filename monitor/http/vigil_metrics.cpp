#include "http/vigil_metrics.hpp"

namespace vigil::http {

namespace {

double as_sample(std::uint64_t v) { return static_cast<double>(v); }

void link_state_samples(MetricsText& m, const LinkStateCounts& links) {
  m.sample(as_sample(links.connected), {{"state", "connected"}});
  m.sample(as_sample(links.receiving), {{"state", "receiving"}});
  m.sample(as_sample(links.silent), {{"state", "silent"}});
  m.sample(as_sample(links.lost), {{"state", "lost"}});
}

}  // namespace

std::vector<std::string> vigil_metric_names() {
  return {"vigil_hl7_messages_total",
          "vigil_readings_stored_total",
          "vigil_store_commit_seconds",
          "vigil_store_failed_transactions_total",
          "vigil_store_checkpoints_total",
          "vigil_store_healthy",
          "vigil_writer_queue_depth",
          "vigil_hl7_connections",
          "vigil_serial_links",
          "vigil_intellivue_links",
          "vigil_stream_clients",
          "vigil_alerts_active",
          "vigil_technical_alerts_active",
          "vigil_outbox_pending_rows",
          "vigil_outbox_oldest_pending_age_seconds",
          "vigil_database_bytes",
          "vigil_disk_free_bytes",
          "vigil_io_loop_lag_seconds"};
}

std::string vigil_metrics_text(const VigilFigures& f) {
  MetricsText m;
  m.add("vigil_hl7_messages_total", MetricType::Counter,
        "HL7 messages answered, by ACK code and source (at most 256 sources, then \"other\").");
  for (const AckFigures& a : f.acks) {
    m.sample(as_sample(a.aa), {{"code", "AA"}, {"source", a.source}});
    m.sample(as_sample(a.ae), {{"code", "AE"}, {"source", a.source}});
    m.sample(as_sample(a.ar), {{"code", "AR"}, {"source", a.source}});
  }
  m.add("vigil_readings_stored_total", MetricType::Counter, "Readings committed to the database.");
  m.sample(as_sample(f.readings_stored));
  m.histogram("vigil_store_commit_seconds",
              "Database transactions on the writer thread, BEGIN to COMMIT (fsync included).",
              f.commit_seconds);
  m.add("vigil_store_failed_transactions_total", MetricType::Counter,
        "Database transactions that failed (their senders were answered AR).");
  m.sample(as_sample(f.failed_transactions));
  m.add("vigil_store_checkpoints_total", MetricType::Counter,
        "Write-ahead log checkpoints, by who ran them: the checkpointer thread, or the writer when the "
        "log reached its bound (the disk is not keeping up, or a flood left the writer no idle "
        "moment).");
  m.sample(as_sample(f.checkpoints_thread), {{"by", "thread"}});
  m.sample(as_sample(f.checkpoints_writer), {{"by", "writer"}});
  m.add("vigil_store_healthy", MetricType::Gauge, "1 while the last database transaction committed, else 0.");
  m.sample(f.store_healthy ? 1 : 0);
  m.add("vigil_writer_queue_depth", MetricType::Gauge,
        "Write batches waiting: queued for the writer thread (store), held while its queue was full "
        "(journal).");
  m.sample(as_sample(f.store_queue), {{"queue", "store"}});
  m.sample(as_sample(f.journal_queue), {{"queue", "journal"}});
  m.add("vigil_hl7_connections", MetricType::Gauge,
        "Open HL7/MLLP connections from monitors, by state (paused: reading stopped, too many ACKs "
        "pending).");
  m.sample(as_sample(f.hl7_connections.idle), {{"state", "idle"}});
  m.sample(as_sample(f.hl7_connections.busy), {{"state", "busy"}});
  m.sample(as_sample(f.hl7_connections.paused), {{"state", "paused"}});
  m.add("vigil_serial_links", MetricType::Gauge, "Configured serial monitor links, by link state.");
  link_state_samples(m, f.serial_links);
  m.add("vigil_intellivue_links", MetricType::Gauge,
        "Configured IntelliVue monitor links (LAN and MIB serial), by link state.");
  link_state_samples(m, f.intellivue_links);
  m.add("vigil_stream_clients", MetricType::Gauge, "Connected stream clients (dashboards, vigilctl).");
  m.sample(as_sample(f.stream_clients));
  m.add("vigil_alerts_active", MetricType::Gauge, "Live alerts on all chairs, by priority.");
  m.sample(as_sample(f.alerts_high), {{"priority", "high"}});
  m.sample(as_sample(f.alerts_medium), {{"priority", "medium"}});
  m.sample(as_sample(f.alerts_low), {{"priority", "low"}});
  m.add("vigil_technical_alerts_active", MetricType::Gauge,
        "Live T8 alerts (the system's own trouble) on all chairs; /healthz fails while above 0.");
  m.sample(as_sample(f.technical_alerts));
  m.add("vigil_outbox_pending_rows", MetricType::Gauge,
        "HL7 forwarding outbox rows not yet delivered (0 when forwarding is off).");
  m.sample(as_sample(f.outbox_pending));
  m.add("vigil_outbox_oldest_pending_age_seconds", MetricType::Gauge,
        "Age of the oldest undelivered outbox row (0 when none, or forwarding is off).");
  m.sample(f.outbox_oldest_pending_age_s);
  m.add("vigil_database_bytes", MetricType::Gauge, "Size of the database file and its write-ahead log.");
  if (f.database_bytes) m.sample(as_sample(*f.database_bytes));
  m.add("vigil_disk_free_bytes", MetricType::Gauge, "Bytes free for vigild on the database's filesystem.");
  if (f.disk_free_bytes) m.sample(as_sample(*f.disk_free_bytes));
  m.add("vigil_io_loop_lag_seconds", MetricType::Gauge, "How late the daemon's io loop last ran a timer.");
  m.sample(f.io_loop_lag_s);
  return m.text();
}

}  // namespace vigil::http
