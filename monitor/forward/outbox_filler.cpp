#include "forward/outbox_filler.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "forward/alert_report.hpp"
#include "hl7/oru_r01_builder.hpp"

namespace vigil::forward {

OutboxFiller::OutboxFiller(std::string daemon_id, std::uint64_t last_id,
                           std::map<std::string, std::string> open_starts)
    : daemon_id_(std::move(daemon_id)), next_id_(last_id + 1), open_starts_(std::move(open_starts)) {}

std::string OutboxFiller::control_id(std::uint64_t id) const { return daemon_id_ + "-" + std::to_string(id); }

void OutboxFiller::fill(store::WriteBatch& batch, WallMillis now) {
  // Readings: one message per chair, in the order the chairs first appear.
  std::vector<hl7::ObservationReport> reports;
  for (std::size_t i = 0; i < batch.readings.size(); ++i) {
    const Reading& r = batch.readings[i];
    hl7::ObservationReport* report = nullptr;
    for (auto& existing : reports) {
      if (existing.bed == r.bed) report = &existing;
    }
    if (report == nullptr) {
      report = &reports.emplace_back();
      report->bed = r.bed;
      if (i < batch.reading_context.size()) report->session_id = batch.reading_context[i].session_id;
    }
    report->readings.push_back(r);
  }
  for (const auto& report : reports) {
    store::OutboxEntry e;
    e.id = next_id_++;
    e.created_ms = now;
    e.kind = "R01";
    e.control_id = control_id(e.id);
    e.bed = report.bed;
    e.message = hl7::build_oru_r01({daemon_id_, e.control_id, now}, report);
    batch.outbox.push_back(std::move(e));
  }

  static const std::string kNone;
  for (std::size_t i = 0; i < batch.alerts.size(); ++i) {
    const proto::AlertEvent& alert = batch.alerts[i];
    const std::string& session = i < batch.alert_session_ids.size() ? batch.alert_session_ids[i] : kNone;
    auto open = open_starts_.find(alert.id());
    const bool start = alert.transition() == proto::raised;
    hl7::AlertReport report =
        to_alert_report(alert, session, start || open == open_starts_.end() ? kNone : open->second);
    store::OutboxEntry e;
    e.id = next_id_++;
    e.created_ms = now;
    e.kind = "R40";
    e.control_id = control_id(e.id);
    e.bed = alert.bed();
    e.alert_id = alert.id();
    e.phase = std::string(hl7::to_string(report.phase));
    e.message = hl7::build_oru_r40({daemon_id_, e.control_id, now}, report);
    if (start) {
      if (open_starts_.size() >= kMaxOpenAlerts && open == open_starts_.end()) {
        // Only reachable with a runaway number of open alerts: their follow-ups then go
        // without OBR-29, which the engine still matches by OBR-3 (the alert id).
        spdlog::warn("forward: {} open alerts remembered; forgetting the oldest links", open_starts_.size());
        open_starts_.erase(open_starts_.begin());
      }
      open_starts_[alert.id()] = e.control_id;
    } else if (report.phase == hl7::EventPhase::End && open != open_starts_.end()) {
      open_starts_.erase(open);
    }
    batch.outbox.push_back(std::move(e));
  }
}

}  // namespace vigil::forward
