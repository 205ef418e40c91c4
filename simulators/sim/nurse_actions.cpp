#include "sim/nurse_actions.hpp"

#include <boost/asio/steady_timer.hpp>
#include <chrono>

namespace vigil::sim {

proto::NurseRequest nurse_request_for(const std::string& chair, NurseActionKind kind, int planned_minutes) {
  proto::NurseRequest r;
  r.set_bed(chair);
  switch (kind) {
    case NurseActionKind::Begin:
      // A label, not a name: the simulator has no patients, only chairs.
      r.mutable_begin()->set_patient("SIM-" + chair);
      r.mutable_begin()->set_planned_minutes(planned_minutes);
      break;
    case NurseActionKind::Start: r.mutable_start_infusion(); break;
    case NurseActionKind::Stop: r.mutable_stop_infusion(); break;
    case NurseActionKind::End: r.mutable_end_session(); break;
  }
  return r;
}

NurseActionDriver::NurseActionDriver(boost::asio::io_context& io, NurseClient& client, double time_scale,
                                     int max_start_retries)
    : io_(io),
      client_(client),
      time_scale_(time_scale > 0 ? time_scale : 1),
      max_start_retries_(max_start_retries) {}

void NurseActionDriver::log(const std::string& line) {
  if (log_) log_(line);
}

void NurseActionDriver::act(const std::string& chair, const NurseAction& action, int planned_minutes) {
  ++counters_.requested;
  ++in_progress_;
  send(chair, action.kind, planned_minutes, 0);
}

void NurseActionDriver::send(const std::string& chair, NurseActionKind kind, int planned_minutes,
                             int attempt) {
  auto self = shared_from_this();
  client_.request(nurse_request_for(chair, kind, planned_minutes),
                  [this, self, chair, kind, planned_minutes, attempt](const proto::RequestResult& r) {
                    const std::string what = chair + ": nurse " + to_string(kind);
                    if (r.ok()) {
                      ++counters_.done;
                      --in_progress_;
                      log(what + ": done" + (r.detail().empty() ? "" : " (" + r.detail() + ")"));
                      return;
                    }
                    ++counters_.refused;
                    // Only a start has something to wait for (the baseline readings); anything else
                    // refused now would be refused again.
                    if (kind == NurseActionKind::Start && attempt < max_start_retries_) {
                      log(what + ": refused: " + r.reason() + " (trying again in 1 simulated minute)");
                      ++counters_.retries;
                      auto timer = std::make_shared<boost::asio::steady_timer>(io_);
                      timer->expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(60.0 / time_scale_)));
                      timer->async_wait([this, self, timer, chair, kind, planned_minutes,
                                         attempt](boost::system::error_code ec) {
                        if (ec) {
                          --in_progress_;
                          return;
                        }
                        send(chair, kind, planned_minutes, attempt + 1);
                      });
                      return;
                    }
                    ++counters_.given_up;
                    --in_progress_;
                    log(what + ": refused: " + r.reason() + " (given up)");
                  });
}

}  // namespace vigil::sim
