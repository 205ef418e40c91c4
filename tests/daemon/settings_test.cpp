#include <gtest/gtest.h>

#include "daemon/bed_board.hpp"
#include "daemon/bed_resolver.hpp"
#include "daemon/settings.hpp"

namespace vigil::daemon {
namespace {

TEST(Settings, ConfigFileOverridesDefaults) {
  Settings s;
  apply_config_text(R"(
    hl7_listen: "0.0.0.0:2600"
    stream_listen: "[::1]:7500"
    db: "/var/lib/vigil/vigil.db"
    beds { match: "3 WEST ICU^3001^1" chair: "CHAIR1" }
    beds { match: "080019FFFE0B4020" chair: "CHAIR2" }
    max_frame_bytes: 65536
    hl7_default_utc_offset_minutes: -300
  )", "test.conf", s);
  EXPECT_EQ(s.hl7_listen.host, "0.0.0.0");
  EXPECT_EQ(s.hl7_listen.port, 2600);
  EXPECT_EQ(s.stream_listen.host, "::1");
  EXPECT_EQ(s.stream_listen.port, 7500);
  EXPECT_EQ(s.db_path, "/var/lib/vigil/vigil.db");
  ASSERT_EQ(s.bed_mappings.size(), 2u);
  EXPECT_EQ(s.max_frame_bytes, 65536u);
  EXPECT_EQ(s.hl7_default_utc_offset_minutes, -300);
}

TEST(Settings, ErrorsNameFileLineAndField) {
  Settings s;
  try {
    apply_config_text("db: \"x\"\nmax_frame_bytes: \"big\"\n", "clinic.conf", s);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("clinic.conf"), std::string::npos) << what;
    EXPECT_NE(what.find("line 2"), std::string::npos) << what;
    EXPECT_NE(what.find("max_frame_bytes"), std::string::npos) << what;
  }
  EXPECT_THROW(apply_config_text("beds { match: \"x\" }", "c", s), ConfigError);
  EXPECT_THROW(apply_config_text("hl7_listen: \"nope\"", "c", s), ConfigError);
  EXPECT_THROW(apply_config_text("max_frame_bytes: 10", "c", s), ConfigError);
  EXPECT_THROW(load_config_file("/nonexistent/vigild.conf", s), ConfigError);
}

TEST(Settings, CodeMapEntriesAreReadAndChecked) {
  Settings s;
  apply_config_text("code_map { source: \"MONITOR-7\" code: \"9001\" label: \"SYS\" kind: NIBP_SYS unit: \"mmHg\" }\n"
                    "code_map { label: \"SpO2T\" kind: SPO2 }\n",
                    "c", s);
  ASSERT_EQ(s.code_map.size(), 2u);
  EXPECT_EQ(s.code_map[0].source, "MONITOR-7");
  EXPECT_EQ(s.code_map[0].code, "9001");
  EXPECT_EQ(s.code_map[0].label, "SYS");
  EXPECT_EQ(s.code_map[0].kind, VitalKind::NibpSys);
  EXPECT_EQ(s.code_map[0].unit, "mmHg");
  EXPECT_EQ(s.code_map[1].kind, VitalKind::SpO2);
  auto error_of = [](const std::string& text) {
    Settings t;
    try {
      apply_config_text(text, "c", t);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("code_map { code: \"1\" }"),
            "config c: field code_map[0]: kind is required (NIBP_SYS, NIBP_DIA, NIBP_MEAN, HR, PULSE, SPO2, RESP, TEMP)");
  EXPECT_EQ(error_of("code_map { kind: HR }"), "config c: field code_map[0]: code or label is required");
  EXPECT_EQ(error_of("code_map { code: \"1\" kind: TEMP unit: \"mmHg\" }"),
            "config c: field code_map[0]: unit 'mmHg' does not fit kind TEMP");
}

TEST(BedResolver, MappingBeatsIdentityAndFallsBackInOrder) {
  BedResolver resolver({{"3 WEST ICU^3001^1", "CHAIR1"}, {"080019FFFE0B4020", "CHAIR2"}});
  hl7::DeviceIdentity id;
  id.location_raw = "3 WEST ICU^3001^1";
  id.location = "3 WEST ICU/3001/1";
  EXPECT_EQ(resolver.resolve(id), "CHAIR1");

  hl7::DeviceIdentity by_equipment;
  by_equipment.equipment_id = "080019FFFE0B4020";
  EXPECT_EQ(resolver.resolve(by_equipment), "CHAIR2");

  hl7::DeviceIdentity unmapped;
  unmapped.location = "CHAIR9";
  unmapped.equipment_id = "ABC";
  EXPECT_EQ(resolver.resolve(unmapped), "CHAIR9");

  hl7::DeviceIdentity nothing;
  EXPECT_EQ(resolver.resolve(nothing), "");
}

TEST(BedBoard, OlderMeasurementNeverReplacesNewer) {
  BedBoard board;
  proto::Reading newer;
  newer.set_id(2);
  newer.set_bed("C1");
  newer.set_kind(proto::NIBP_SYS);
  newer.set_value(150);
  newer.set_measured_at_ms(2000);
  newer.set_received_at_ms(2100);
  proto::Reading older = newer;
  older.set_id(3);
  older.set_value(120);
  older.set_measured_at_ms(1000);
  older.set_received_at_ms(2200);
  board.update(newer);
  board.update(older);
  auto snap = board.snapshot(5000);
  ASSERT_EQ(snap.size(), 1u);
  ASSERT_EQ(snap[0].latest_size(), 1);
  EXPECT_EQ(snap[0].latest(0).value(), 150);
  EXPECT_EQ(snap[0].latest(0).age_ms(), 3000);
  EXPECT_EQ(snap[0].latest(0).id(), 2u);
}

}  // namespace
}  // namespace vigil::daemon
