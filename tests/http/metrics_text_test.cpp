// The Prometheus text formatter and vigild's metric set: exact output for given values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "http/metrics_text.hpp"
#include "http/vigil_metrics.hpp"

namespace vigil::http {
namespace {

TEST(MetricsText, CounterAndGaugeFamiliesWithHelpTypeAndEscapedLabels) {
  MetricsText m;
  m.add("vigil_things_total", MetricType::Counter, "Things seen.\nSecond line \\ here.");
  m.sample(3, {{"source", "mon \"A\"\\1\nx"}, {"code", "AA"}});
  m.sample(0.25);
  m.add("vigil_level", MetricType::Gauge, "A level.");
  m.sample(-2);
  EXPECT_EQ(m.text(),
            "# HELP vigil_things_total Things seen.\\nSecond line \\\\ here.\n"
            "# TYPE vigil_things_total counter\n"
            "vigil_things_total{source=\"mon \\\"A\\\"\\\\1\\nx\",code=\"AA\"} 3\n"
            "vigil_things_total 0.25\n"
            "# HELP vigil_level A level.\n"
            "# TYPE vigil_level gauge\n"
            "vigil_level -2\n");
}

TEST(MetricsText, HistogramHasCumulativeBucketsInfSumAndCount) {
  MetricsText m;
  HistogramValue h;
  h.bounds = {0.001, 0.5, 2.5};
  h.cumulative = {1, 4, 4};
  h.sum = 1.125;
  h.count = 5;
  m.histogram("vigil_commit_seconds", "Commits.", h);
  EXPECT_EQ(m.text(),
            "# HELP vigil_commit_seconds Commits.\n"
            "# TYPE vigil_commit_seconds histogram\n"
            "vigil_commit_seconds_bucket{le=\"0.001\"} 1\n"
            "vigil_commit_seconds_bucket{le=\"0.5\"} 4\n"
            "vigil_commit_seconds_bucket{le=\"2.5\"} 4\n"
            "vigil_commit_seconds_bucket{le=\"+Inf\"} 5\n"
            "vigil_commit_seconds_sum 1.125\n"
            "vigil_commit_seconds_count 5\n");
}

TEST(MetricsText, ValuesPrintShortestExactForm) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(12345678901234), "12345678901234");
  EXPECT_EQ(format_metric_value(0.1), "0.1");
  EXPECT_EQ(format_metric_value(0.0005), "0.0005");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
}

TEST(MetricsText, InvalidNamesAreRefused) {
  MetricsText m;
  EXPECT_THROW(m.add("9starts_with_digit", MetricType::Gauge, "x"), std::invalid_argument);
  EXPECT_THROW(m.add("has-dash", MetricType::Gauge, "x"), std::invalid_argument);
  EXPECT_THROW(m.sample(1), std::invalid_argument);  // no family yet
  m.add("ok_name:sub", MetricType::Gauge, "x");
  EXPECT_THROW(m.sample(1, {{"bad:label", "v"}}), std::invalid_argument);
  EXPECT_TRUE(valid_metric_name("vigil_a1"));
  EXPECT_FALSE(valid_metric_name(""));
}

VigilFigures sample_figures() {
  VigilFigures f;
  f.acks = {{"EfficiaCM", 7, 1, 0}, {"other", 0, 0, 2}};
  f.readings_stored = 42;
  f.commit_seconds.bounds = {0.01, 0.1};
  f.commit_seconds.cumulative = {3, 4};
  f.commit_seconds.sum = 0.5;
  f.commit_seconds.count = 4;
  f.failed_transactions = 1;
  f.store_healthy = false;
  f.store_queue = 5;
  f.journal_queue = 6;
  f.hl7_connections.idle = 2;
  f.hl7_connections.paused = 1;
  f.serial_links.receiving = 1;
  f.serial_links.lost = 1;
  f.intellivue_links.connected = 1;
  f.intellivue_links.silent = 2;
  f.stream_clients = 3;
  f.alerts_high = 1;
  f.alerts_low = 2;
  f.technical_alerts = 1;
  f.outbox_pending = 9;
  f.outbox_oldest_pending_age_s = 12.5;
  f.database_bytes = 4096;
  f.checkpoints_thread = 8;
  f.checkpoints_writer = 2;
  f.io_loop_lag_s = 0.002;
  return f;
}

TEST(VigilMetrics, ExactTextForGivenFigures) {
  const std::string expected =
      "# HELP vigil_hl7_messages_total HL7 messages answered, by ACK code and source (at most 256 sources, "
      "then "
      "\"other\").\n"
      "# TYPE vigil_hl7_messages_total counter\n"
      "vigil_hl7_messages_total{code=\"AA\",source=\"EfficiaCM\"} 7\n"
      "vigil_hl7_messages_total{code=\"AE\",source=\"EfficiaCM\"} 1\n"
      "vigil_hl7_messages_total{code=\"AR\",source=\"EfficiaCM\"} 0\n"
      "vigil_hl7_messages_total{code=\"AA\",source=\"other\"} 0\n"
      "vigil_hl7_messages_total{code=\"AE\",source=\"other\"} 0\n"
      "vigil_hl7_messages_total{code=\"AR\",source=\"other\"} 2\n"
      "# HELP vigil_readings_stored_total Readings committed to the database.\n"
      "# TYPE vigil_readings_stored_total counter\n"
      "vigil_readings_stored_total 42\n"
      "# HELP vigil_store_commit_seconds Database transactions on the writer thread, BEGIN to COMMIT (fsync "
      "included).\n"
      "# TYPE vigil_store_commit_seconds histogram\n"
      "vigil_store_commit_seconds_bucket{le=\"0.01\"} 3\n"
      "vigil_store_commit_seconds_bucket{le=\"0.1\"} 4\n"
      "vigil_store_commit_seconds_bucket{le=\"+Inf\"} 4\n"
      "vigil_store_commit_seconds_sum 0.5\n"
      "vigil_store_commit_seconds_count 4\n"
      "# HELP vigil_store_failed_transactions_total Database transactions that failed (their senders were "
      "answered AR).\n"
      "# TYPE vigil_store_failed_transactions_total counter\n"
      "vigil_store_failed_transactions_total 1\n"
      "# HELP vigil_store_checkpoints_total Write-ahead log checkpoints, by who ran them: the checkpointer "
      "thread, or the writer when the log reached its bound (the disk is not keeping up, or a flood left "
      "the writer no idle moment).\n"
      "# TYPE vigil_store_checkpoints_total counter\n"
      "vigil_store_checkpoints_total{by=\"thread\"} 8\n"
      "vigil_store_checkpoints_total{by=\"writer\"} 2\n"
      "# HELP vigil_store_healthy 1 while the last database transaction committed, else 0.\n"
      "# TYPE vigil_store_healthy gauge\n"
      "vigil_store_healthy 0\n"
      "# HELP vigil_writer_queue_depth Write batches waiting: queued for the writer thread (store), held "
      "while "
      "its queue was full (journal).\n"
      "# TYPE vigil_writer_queue_depth gauge\n"
      "vigil_writer_queue_depth{queue=\"store\"} 5\n"
      "vigil_writer_queue_depth{queue=\"journal\"} 6\n"
      "# HELP vigil_hl7_connections Open HL7/MLLP connections from monitors, by state (paused: reading "
      "stopped, too many ACKs pending).\n"
      "# TYPE vigil_hl7_connections gauge\n"
      "vigil_hl7_connections{state=\"idle\"} 2\n"
      "vigil_hl7_connections{state=\"busy\"} 0\n"
      "vigil_hl7_connections{state=\"paused\"} 1\n"
      "# HELP vigil_serial_links Configured serial monitor links, by link state.\n"
      "# TYPE vigil_serial_links gauge\n"
      "vigil_serial_links{state=\"connected\"} 0\n"
      "vigil_serial_links{state=\"receiving\"} 1\n"
      "vigil_serial_links{state=\"silent\"} 0\n"
      "vigil_serial_links{state=\"lost\"} 1\n"
      "# HELP vigil_intellivue_links Configured IntelliVue monitor links (LAN and MIB serial), by link "
      "state.\n"
      "# TYPE vigil_intellivue_links gauge\n"
      "vigil_intellivue_links{state=\"connected\"} 1\n"
      "vigil_intellivue_links{state=\"receiving\"} 0\n"
      "vigil_intellivue_links{state=\"silent\"} 2\n"
      "vigil_intellivue_links{state=\"lost\"} 0\n"
      "# HELP vigil_stream_clients Connected stream clients (dashboards, vigilctl).\n"
      "# TYPE vigil_stream_clients gauge\n"
      "vigil_stream_clients 3\n"
      "# HELP vigil_alerts_active Live alerts on all chairs, by priority.\n"
      "# TYPE vigil_alerts_active gauge\n"
      "vigil_alerts_active{priority=\"high\"} 1\n"
      "vigil_alerts_active{priority=\"medium\"} 0\n"
      "vigil_alerts_active{priority=\"low\"} 2\n"
      "# HELP vigil_technical_alerts_active Live T8 alerts (the system's own trouble) on all chairs; "
      "/healthz "
      "fails while above 0.\n"
      "# TYPE vigil_technical_alerts_active gauge\n"
      "vigil_technical_alerts_active 1\n"
      "# HELP vigil_outbox_pending_rows HL7 forwarding outbox rows not yet delivered (0 when forwarding is "
      "off).\n"
      "# TYPE vigil_outbox_pending_rows gauge\n"
      "vigil_outbox_pending_rows 9\n"
      "# HELP vigil_outbox_oldest_pending_age_seconds Age of the oldest undelivered outbox row (0 when none, "
      "or "
      "forwarding is off).\n"
      "# TYPE vigil_outbox_oldest_pending_age_seconds gauge\n"
      "vigil_outbox_oldest_pending_age_seconds 12.5\n"
      "# HELP vigil_database_bytes Size of the database file and its write-ahead log.\n"
      "# TYPE vigil_database_bytes gauge\n"
      "vigil_database_bytes 4096\n"
      "# HELP vigil_disk_free_bytes Bytes free for vigild on the database's filesystem.\n"
      "# TYPE vigil_disk_free_bytes gauge\n"
      "# HELP vigil_io_loop_lag_seconds How late the daemon's io loop last ran a timer.\n"
      "# TYPE vigil_io_loop_lag_seconds gauge\n"
      "vigil_io_loop_lag_seconds 0.002\n";
  EXPECT_EQ(vigil_metrics_text(sample_figures()), expected);
}

TEST(VigilMetrics, EveryListedNameHasHelpAndType) {
  const std::string text = vigil_metrics_text(VigilFigures{});
  for (const std::string& name : vigil_metric_names()) {
    EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos) << name;
    EXPECT_NE(text.find("# TYPE " + name + " "), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace vigil::http
