// The `vigilctl alerts` formats, transition by transition.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/json_util.h>

#include "json_lines.pb.h"
#include "log_test_support.hpp"
#include "store/alert_export.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_alert;

using testing::kT0;

proto::AlertEvent sample_alert() {
  proto::AlertEvent a = make_alert("CHAIR3-P2-17", "CHAIR3", "ACTIVE", "raised", kT0);
  a.set_log_id(5);
  return a;
}

TEST(AlertCsv, HeaderNamesTheColumns) {
  EXPECT_EQ(alert_csv_header(),
            "id,alert_id,bed,rule,priority,state,transition,kind,value,limit,baseline,message,at,"
            "user,acknowledged_by,phase,limits,profile");
}

TEST(AlertCsv, PlainRow) {
  EXPECT_EQ(alert_csv_row(sample_alert()),
            "5,CHAIR3-P2-17,CHAIR3,P2,MEDIUM,ACTIVE,raised,physiological,184,180,126,"
            "SBP 184 >= 180,2025-11-21T10:15:00Z,,,infusion,SBP >= 180 or >= baseline+40,default");
}

TEST(AlertCsv, AbsentNumbersAreEmptyAndTextIsQuoted) {
  proto::AlertEvent a = sample_alert();
  a.clear_value();
  a.clear_baseline();
  a.set_limit(36.6);
  a.set_state(proto::ACKNOWLEDGED);
  a.set_transition(proto::acknowledged);
  a.set_user("nurse \"Jo\"");
  a.set_acknowledged_by("nurse \"Jo\"");
  a.set_limits("SBP >= 180, DBP >= 110");
  EXPECT_EQ(alert_csv_row(a),
            "5,CHAIR3-P2-17,CHAIR3,P2,MEDIUM,ACKNOWLEDGED,acknowledged,physiological,,36.6,,"
            "SBP 184 >= 180,2025-11-21T10:15:00Z,\"nurse \"\"Jo\"\"\",\"nurse \"\"Jo\"\"\","
            "infusion,\"SBP >= 180, DBP >= 110\",default");
}

// Key order and escaping are the JSON printer's business (see json_lines.hpp), so the line is
// parsed back rather than compared as text.
proto::AlertLine parse(const std::string& line) {
  proto::AlertLine out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &out).ok()) << line;
  return out;
}

TEST(AlertJsonl, CarriesTheContractFields) {
  std::string line = alert_jsonl_row(sample_alert());
  // The contract's example fields (the export format outside tools read). Protobuf's
  // printer puts the optional numbers last, so their text is checked on its own; JSON
  // readers do not care about key order.
  EXPECT_THAT(line,
              ::testing::StartsWith(R"({"type":"alert","id":"CHAIR3-P2-17","bed":"CHAIR3","rule":"P2",)"
                                    R"("priority":"MEDIUM","state":"ACTIVE","message":"SBP 184 >= 180",)"
                                    R"("at":"2025-11-21T10:15:00Z",)"));
  EXPECT_THAT(line, ::testing::HasSubstr(R"("value":184,"limit":180,"baseline":126)"));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  proto::AlertLine back = parse(line);
  EXPECT_EQ(back.type(), "alert");
  EXPECT_EQ(back.value().value(), 184);
  EXPECT_EQ(back.limit().value(), 180);
  EXPECT_EQ(back.baseline().value(), 126);
  EXPECT_EQ(back.message(), "SBP 184 >= 180");
  EXPECT_EQ(back.at(), "2025-11-21T10:15:00Z");
  EXPECT_EQ(back.transition(), "raised");
  EXPECT_EQ(back.limits(), "SBP >= 180 or >= baseline+40");
  EXPECT_EQ(back.log_id(), 5u);
  EXPECT_FALSE(back.has_snapshot());
}

TEST(AlertJsonl, AbsentNumbersAreLeftOut) {
  proto::AlertEvent a = sample_alert();
  a.clear_value();
  a.clear_limit();
  a.clear_baseline();
  a.set_message("line\nbreak");
  std::string line = alert_jsonl_row(a);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_THAT(line, ::testing::Not(::testing::HasSubstr(R"("value")")));
  proto::AlertLine back = parse(line);
  EXPECT_FALSE(back.has_value());
  EXPECT_FALSE(back.has_limit());
  EXPECT_FALSE(back.has_baseline());
  EXPECT_EQ(back.message(), "line\nbreak");
}

}  // namespace
}  // namespace vigil::store
