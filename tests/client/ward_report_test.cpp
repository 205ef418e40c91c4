// The dashboard side of a report: the answer to its request shows "Report saved: PATH",
// a refusal shows why.
#include <gtest/gtest.h>

#include "client/ward_model.hpp"

namespace vigil::client {
namespace {

proto::ServerMessage result(std::uint64_t id, bool ok, const std::string& path, const std::string& reason) {
  proto::ServerMessage m;
  auto* r = m.mutable_result();
  r->set_request_id(id);
  r->set_ok(ok);
  r->set_report_path(path);
  r->set_reason(reason);
  return m;
}

TEST(DashboardReport, SavedPathAndRefusalAreShown) {
  client::WardModel model("nurse1");
  model.on_request_sent(1, "report CHAIR2");
  model.on_message(result(1, true, "/var/lib/vigil/reports/CHAIR2-1-20261122T101500000Z.pdf", ""), 1000);
  EXPECT_EQ(model.snapshot(1000).last_result,
            "Report saved: /var/lib/vigil/reports/CHAIR2-1-20261122T101500000Z.pdf");
  model.on_request_sent(2, "report CHAIR9");
  model.on_message(result(2, false, "", "no session for bed CHAIR9 in vigil.db"), 2000);
  EXPECT_EQ(model.snapshot(2000).last_result,
            "report CHAIR9: refused: no session for bed CHAIR9 in vigil.db");
}

}  // namespace
}  // namespace vigil::client
