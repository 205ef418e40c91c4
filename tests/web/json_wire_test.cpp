// The stream protocol's JSON form (stream/json_wire.hpp): .proto field names, enum names,
// 64-bit integers as strings, defaults printed, unknown inbound fields ignored (a newer page
// on an older daemon), garbage refused.
#include <gtest/gtest.h>

#include "stream/json_wire.hpp"

namespace vigil::stream {
namespace {

TEST(JsonWire, ServerMessageUsesProtoFieldNamesAndEnumNames) {
  proto::ServerMessage m;
  auto* a = m.mutable_alert();
  a->set_id("CHAIR1-P1-1");
  a->set_bed("CHAIR1");
  a->set_priority(proto::HIGH);
  a->set_state(proto::ACTIVE);
  a->set_at_ms(1765000000123);
  a->set_acknowledged_by("");
  const std::string json = server_message_json(m);
  EXPECT_NE(json.find("\"alert\":{"), std::string::npos) << json;
  EXPECT_NE(json.find("\"priority\":\"HIGH\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"state\":\"ACTIVE\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"at_ms\":\"1765000000123\""), std::string::npos) << json;
  // Defaults are printed: a page need not know proto3's.
  EXPECT_NE(json.find("\"acknowledged_by\":\"\""), std::string::npos) << json;
  EXPECT_EQ(json.find('\n'), std::string::npos);

  proto::ServerMessage back;
  ASSERT_TRUE(parse_server_message_json(json, back));
  EXPECT_EQ(back.alert().at_ms(), 1765000000123);
  EXPECT_EQ(back.alert().priority(), proto::HIGH);
}

TEST(JsonWire, UnsetOptionalFieldsStayAbsent) {
  // The page reads an absent `verified` as "not judged", never as false (unverified).
  proto::ServerMessage m;
  m.mutable_reading()->set_kind(proto::HR);
  m.mutable_reading()->set_value(72);
  std::string json = server_message_json(m);
  EXPECT_EQ(json.find("\"verified\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"baseline_sys_mmhg\""), std::string::npos) << json;
  m.mutable_reading()->set_verified(false);
  json = server_message_json(m);
  EXPECT_NE(json.find("\"verified\":false"), std::string::npos) << json;
}

TEST(JsonWire, ClientMessagesAsAPageWritesThem) {
  proto::ClientMessage m;
  ASSERT_TRUE(parse_client_message_json(
      R"({"hello":{"protocol_version":1,"client_name":"vigil-web","user":"nurse.kim","token":"t0k"}})", m));
  ASSERT_TRUE(m.has_hello());
  EXPECT_EQ(m.hello().user(), "nurse.kim");
  EXPECT_EQ(m.hello().token(), "t0k");

  ASSERT_TRUE(parse_client_message_json(
      R"({"request":{"request_id":"7","bed":"CHAIR1","acknowledge":{"alert_id":"CHAIR1-P1-1"}}})", m));
  ASSERT_TRUE(m.has_request());
  EXPECT_EQ(m.request().request_id(), 7u);
  EXPECT_EQ(m.request().acknowledge().alert_id(), "CHAIR1-P1-1");

  ASSERT_TRUE(
      parse_client_message_json(R"({"request":{"request_id":8,"bed":"CHAIR1","pause_audio":{}}})", m));
  EXPECT_TRUE(m.request().has_pause_audio());

  ASSERT_TRUE(parse_client_message_json(R"({"heartbeat":{"seq":"3","sent_at_ms":"1765000000000"}})", m));
  EXPECT_EQ(m.heartbeat().seq(), 3u);
}

TEST(JsonWire, UnknownFieldsPassWithoutHarm) {
  // The on-call fields a newer page sends before this daemon knows them.
  proto::ClientMessage m;
  std::string error;
  ASSERT_TRUE(parse_client_message_json(
      R"({"hello":{"protocol_version":1,"user":"lee","on_call_tier":1,"on_call_label":"nurse.lee's phone"}})",
      m, &error))
      << error;
  EXPECT_EQ(m.hello().user(), "lee");
}

TEST(JsonWire, GarbageIsRefused) {
  proto::ClientMessage m;
  std::string error;
  for (const char* text : {"", "{", "[]", "null", R"({"hello":5})", R"({"heartbeat":{"seq":"x"}})",
                           R"({"hello":{},"heartbeat":{}})", "\xff\xfe"}) {
    EXPECT_FALSE(parse_client_message_json(text, m, &error)) << text;
  }
  EXPECT_FALSE(error.empty());
}

TEST(JsonWire, RoundTripOfAClientMessage) {
  proto::ClientMessage m;
  m.mutable_request()->set_request_id(12);
  m.mutable_request()->set_bed("CHAIR3");
  m.mutable_request()->mutable_pause_audio();
  proto::ClientMessage back;
  ASSERT_TRUE(parse_client_message_json(client_message_json(m), back));
  EXPECT_EQ(back.SerializeAsString(), m.SerializeAsString());
}

}  // namespace
}  // namespace vigil::stream
