#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "daemon/bed_board.hpp"
#include "daemon/bed_resolver.hpp"
#include "daemon/config_error.hpp"
#include "daemon/settings.hpp"
#include "support/child_process.hpp"

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
  )",
                    "test.conf", s);
  EXPECT_EQ(s.hl7_listen.host, "0.0.0.0");
  EXPECT_EQ(s.hl7_listen.port, 2600);
  EXPECT_EQ(s.stream_listen.host, "::1");
  EXPECT_EQ(s.stream_listen.port, 7500);
  EXPECT_EQ(s.db_path, "/var/lib/vigil/vigil.db");
  ASSERT_EQ(s.bed_mappings.size(), 2u);
  EXPECT_EQ(s.max_frame_bytes, 65536u);
  EXPECT_EQ(s.hl7_default_utc_offset_minutes, -300);
}

TEST(Settings, RetentionDefaultsAndOverrides) {
  Settings defaults;
  EXPECT_EQ(defaults.retention.readings.count(), 90);
  EXPECT_EQ(defaults.retention.alert_log.count(), 365);
  EXPECT_EQ(defaults.retention.session_log.count(), 365);
  EXPECT_EQ(defaults.retention.archive_dir, "");  // the daemon puts "archive" beside the db
  Settings s;
  apply_config_text(
      "retention { readings_days: 30 alert_log_days: 0 session_log_days: 730 archive_dir: \"/srv/vigil\" "
      "max_rows_per_run: 5000 }\n",
      "test.conf", s);
  EXPECT_EQ(s.retention.readings.count(), 30);
  EXPECT_EQ(s.retention.alert_log.count(), 0);  // kept live for ever
  EXPECT_EQ(s.retention.session_log.count(), 730);
  EXPECT_EQ(s.retention.archive_dir, "/srv/vigil");
  EXPECT_EQ(s.retention.max_rows_per_run, 5000u);
  for (const char* bad : {"retention { readings_days: 1 }", "retention { alert_log_days: 10001 }",
                          "retention { max_rows_per_run: 0 }"}) {
    Settings t;
    EXPECT_THROW(apply_config_text(bad, "test.conf", t), ConfigError) << bad;
  }
}

// What an operator copies must load: the shipped example file and the documented example.
TEST(Settings, TheShippedAndDocumentedExamplesLoad) {
  const std::string root = std::string(VIGIL_TEST_DATA_DIR) + "/../..";
  Settings example;
  EXPECT_NO_THROW(load_config_file(root + "/deploy/vigild.conf.example", example));
  EXPECT_EQ(example.retention.readings.count(), 90);
  std::ifstream doc(root + "/docs/configuration.md");
  ASSERT_TRUE(doc) << "docs/configuration.md";
  std::string line, block;
  bool in_block = false;
  while (std::getline(doc, line)) {
    if (line.rfind("```", 0) == 0) {
      if (in_block) break;  // the first block is the full example
      in_block = true;
      continue;
    }
    if (in_block) block += line + "\n";
  }
  ASSERT_FALSE(block.empty());
  Settings documented;
  EXPECT_NO_THROW(apply_config_text(block, "docs/configuration.md", documented));
  EXPECT_EQ(documented.retention.alert_log.count(), 365);
  ASSERT_TRUE(documented.intellivue_discover);
  EXPECT_EQ(documented.intellivue_discover->port, 24005);
}

// IntelliVue discovery: a port alone listens on every interface (announcements are broadcasts).
TEST(Settings, DiscoverAddressTakesAPortAlone) {
  const ListenAddress any = parse_discover_address("24005", "--intellivue-discover");
  EXPECT_EQ(any.host, "0.0.0.0");
  EXPECT_EQ(any.port, 24005);
  const ListenAddress local = parse_discover_address("127.0.0.1:0", "--intellivue-discover");
  EXPECT_EQ(local.host, "127.0.0.1");
  EXPECT_THROW(parse_discover_address("", "--intellivue-discover"), ConfigError);
  EXPECT_THROW(parse_discover_address("host", "--intellivue-discover"), ConfigError);
  Settings s;
  apply_config_text("intellivue_discover: \"10.0.0.5:24005\"", "c", s);
  ASSERT_TRUE(s.intellivue_discover);
  EXPECT_EQ(s.intellivue_discover->host, "10.0.0.5");
  EXPECT_THROW(apply_config_text("intellivue_discover: \"nope:x\"", "c", s), ConfigError);
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

// A directory opens as a stream and reads as nothing: `vigild --config /etc/vigil` passed for
// an empty config and started on every default (another database, other ports) without a word.
TEST(Settings, AConfigPathThatIsNoFileIsAnError) {
  auto error_of = [](const std::string& path) -> std::string {
    Settings s;
    try {
      load_config_file(path, s);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  };
  vigil::test::TempDir dir;
  EXPECT_EQ(error_of(dir.path()), "config " + dir.path() + ": is a directory");
  EXPECT_EQ(error_of(dir.path() + "/"), "config " + dir.path() + "/: is a directory");
  EXPECT_EQ(error_of("/dev/null"), "config /dev/null: is not a regular file");
  EXPECT_EQ(error_of(dir.file("missing.conf")),
            "config " + dir.file("missing.conf") + ": cannot be read (check the path and permissions)");
  std::ofstream(dir.file("empty.conf")).flush();
  EXPECT_EQ(error_of(dir.file("empty.conf")), "no error") << "an empty file is a config of defaults";
  // A link to a file is that file (/etc/vigil/vigild.conf may link to the clinic's own).
  std::ofstream(dir.file("real.conf")) << "db: \"/srv/clinic/vigil.db\"\n";
  std::filesystem::create_symlink(dir.file("real.conf"), dir.file("link.conf"));
  Settings s;
  load_config_file(dir.file("link.conf"), s);
  EXPECT_EQ(s.db_path, "/srv/clinic/vigil.db");
  std::filesystem::create_directory_symlink(dir.path(), dir.file("dir-link"));
  EXPECT_EQ(error_of(dir.file("dir-link")), "config " + dir.file("dir-link") + ": is a directory");
}

TEST(Settings, ChairNamesMustBeUtf8) {
  // A config file saved as Latin-1: the chair name would reach every client as a protobuf
  // string, which must be UTF-8.
  Settings s;
  try {
    apply_config_text("beds { match: \"MON1\" chair: \"FAUTEUIL-\xE9\" }", "clinic.conf", s);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("field beds[0].chair: not valid UTF-8"), std::string::npos)
        << e.what();
  }
  // Any string field, however deep (a profile name reaches every client too).
  try {
    apply_config_text("rule_profile { name: \"doux-\xE9\" }", "clinic.conf", s);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("field rule_profile[0].name: not valid UTF-8"), std::string::npos)
        << e.what();
  }
  apply_config_text("beds { match: \"MON1\" chair: \"FAUTEUIL-\xC3\xA9\" }", "clinic.conf", s);
  ASSERT_EQ(s.bed_mappings.size(), 1u);
}

TEST(Settings, ChairNamesAreOneLineOfTextWithoutOuterSpaces) {
  for (const auto& [conf, problem] : std::vector<std::pair<std::string, std::string>>{
           {"beds { match: \"X\" chair: \" C1 \" }",
            "field beds[0].chair: chair name begins or ends with a space"},
           {"beds { match: \"X\" chair: \"C\\033[2J\" }",
            "field beds[0].chair: chair name contains the control byte 0x1B at byte 2"}}) {
    Settings s;
    try {
      apply_config_text(conf, "clinic.conf", s);
      FAIL() << "expected a ConfigError for " << conf;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
    }
  }
}

// Only the first of two entries for one identity applies: a monitor meant for the second
// chair would have fed the first without a word. The same entry twice is harmless.
TEST(Settings, OneMonitorIdentityMapsToOneChair) {
  Settings s;
  try {
    apply_config_text("beds { match: \"MON1\" chair: \"C1\" }\nbeds { match: \"MON1\" chair: \"C2\" }",
                      "clinic.conf", s);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(
        std::string(e.what()).find("field beds[1].match: 'MON1' is already mapped to chair 'C1' by beds[0]"),
        std::string::npos)
        << e.what();
  }
  Settings same;
  apply_config_text("beds { match: \"MON1\" chair: \"C1\" }\nbeds { match: \"MON1\" chair: \"C1\" }",
                    "clinic.conf", same);
  EXPECT_EQ(same.bed_mappings.size(), 2u);
}

TEST(Settings, DatabaseFreeSpaceMinimum) {
  Settings s;
  EXPECT_EQ(s.db_min_free_mb, 1024u) << "default: 1 GiB";
  apply_config_text("db_min_free_mb: 0", "c", s);
  EXPECT_EQ(s.db_min_free_mb, 0u) << "0 turns the check off";
  apply_config_text("db_min_free_mb: 4096", "c", s);
  EXPECT_EQ(s.db_min_free_mb, 4096u);
  EXPECT_THROW(apply_config_text("db_min_free_mb: 1099511627777", "c", s), ConfigError);
  EXPECT_THROW(apply_config_text("db_min_free_mb: -1", "c", s), ConfigError);
}

TEST(Settings, SpinLimit) {
  Settings s;
  EXPECT_EQ(s.spin, std::thread::hardware_concurrency() >= 2 ? std::chrono::microseconds(200)
                                                             : std::chrono::microseconds(0))
      << "default: 200 us with two CPUs or more, off with one";
  apply_config_text("spin_us: 0", "c", s);
  EXPECT_EQ(s.spin, std::chrono::microseconds(0)) << "0 turns it off";
  apply_config_text("spin_us: 10000", "c", s);
  EXPECT_EQ(s.spin, std::chrono::microseconds(10000));
  EXPECT_THROW(apply_config_text("spin_us: 10001", "c", s), ConfigError);
}

TEST(Settings, BoundsHaveDefaultsAndAreCheckedWhenSet) {
  Settings s;
  EXPECT_EQ(s.max_chairs, 2000u);
  EXPECT_EQ(s.max_stream_clients, 64u);
  EXPECT_EQ(s.stream_prelogin_frame_bytes, 4096u);
  apply_config_text(R"(
    max_chairs: 5 chair_idle_forget_s: 0 max_stream_clients: 3 stream_prelogin_frame_bytes: 1024
    stream_login_free_failures: 0 stream_login_backoff_max_s: 60 snapshot_max_bytes: 1048576
    hl7_frame_timeout_s: 2
  )",
                    "test.conf", s);
  EXPECT_EQ(s.max_chairs, 5u);
  EXPECT_EQ(s.chair_idle_forget_s, 0u);
  EXPECT_EQ(s.max_stream_clients, 3u);
  EXPECT_EQ(s.stream_prelogin_frame_bytes, 1024u);
  EXPECT_EQ(s.stream_login_free_failures, 0u);
  EXPECT_EQ(s.stream_login_backoff_max_s, 60u);
  EXPECT_EQ(s.snapshot_max_bytes, 1048576u);
  EXPECT_EQ(s.hl7_frame_timeout_s, 2u);
  for (const char* bad : {"max_chairs: 0", "max_stream_clients: 0", "stream_prelogin_frame_bytes: 10",
                          "snapshot_max_bytes: 100", "hl7_frame_timeout_s: 0", "max_chairs: 20001"}) {
    try {
      apply_config_text(bad, "c", s);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      const std::string field = std::string(bad).substr(0, std::string(bad).find(':'));
      EXPECT_NE(std::string(e.what()).find("field " + field + ": must be"), std::string::npos) << e.what();
    }
  }
}

TEST(Settings, CodeMapEntriesAreReadAndChecked) {
  Settings s;
  apply_config_text(
      "code_map { source: \"MONITOR-7\" code: \"9001\" label: \"SYS\" kind: NIBP_SYS unit: \"mmHg\" }\n"
      "code_map { label: \"SpO2T\" kind: SPO2 }\n",
      "c", s);
  ASSERT_EQ(s.code_map.size(), 2u);
  EXPECT_EQ(s.code_map[0].source, "MONITOR-7");
  EXPECT_EQ(s.code_map[0].code, "9001");
  EXPECT_EQ(s.code_map[0].label, "SYS");
  EXPECT_EQ(s.code_map[0].kind, VitalKind::NibpSys);
  EXPECT_EQ(s.code_map[0].unit, "mmHg");
  EXPECT_EQ(s.code_map[1].kind, VitalKind::SpO2);
  EXPECT_EQ(test::config_error_of("code_map { code: \"1\" }"),
            "config c: field code_map[0]: kind is required (NIBP_SYS, NIBP_DIA, NIBP_MEAN, HR, PULSE, SPO2, "
            "RESP, TEMP), "
            "or ignore: true");
  EXPECT_EQ(test::config_error_of("code_map { kind: HR }"),
            "config c: field code_map[0]: code or label is required");
  EXPECT_EQ(test::config_error_of("code_map { code: \"1\" kind: TEMP unit: \"mmHg\" }"),
            "config c: field code_map[0]: unit 'mmHg' does not fit kind TEMP");
}

TEST(Settings, CodeMapIgnoreEntriesAreReadAndChecked) {
  Settings s;
  apply_config_text("code_map { source: \"EHR\" code: \"PAIN\" ignore: true }\n", "c", s);
  ASSERT_EQ(s.code_map.size(), 1u);
  EXPECT_TRUE(s.code_map[0].ignore);
  EXPECT_EQ(s.code_map[0].code, "PAIN");
  EXPECT_EQ(test::config_error_of("code_map { code: \"PAIN\" ignore: true kind: HR }"),
            "config c: field code_map[0]: ignore: true takes no kind (an ignored code is not a vital sign)");
  EXPECT_EQ(test::config_error_of("code_map { code: \"PAIN\" ignore: true unit: \"%\" }"),
            "config c: field code_map[0]: ignore: true takes no unit (an ignored code is not a vital sign)");
  // Ignoring a whole source is not an entry: a code or a label is required.
  EXPECT_EQ(test::config_error_of("code_map { source: \"EHR\" ignore: true }"),
            "config c: field code_map[0]: code or label is required");
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

TEST(BedBoard, ArrivalDecidesWhatIsCurrentNotTheDevicesStamp) {
  // A monitor whose clock runs 5 h ahead sends first; a correct one (or the same monitor,
  // its clock fixed) sends later. The later arrival is current, its age counted from its
  // arrival, never negative; the device's stamp is kept as reported.
  constexpr std::int64_t kFiveHours = 5 * 3'600'000;
  BedBoard board;
  proto::Reading ahead;
  ahead.set_id(2);
  ahead.set_bed("C1");
  ahead.set_kind(proto::NIBP_SYS);
  ahead.set_value(150);
  ahead.set_measured_at_ms(2000 + kFiveHours);
  ahead.set_received_at_ms(2100);
  proto::Reading later = ahead;
  later.set_id(3);
  later.set_value(120);
  later.set_measured_at_ms(2150);
  later.set_received_at_ms(2200);
  board.update(ahead);
  board.update(later);
  auto snap = board.snapshot(5000);
  ASSERT_EQ(snap.size(), 1u);
  ASSERT_EQ(snap[0].latest_size(), 1);
  EXPECT_EQ(snap[0].latest(0).value(), 120);
  EXPECT_EQ(snap[0].latest(0).age_ms(), 2800);
  EXPECT_EQ(snap[0].latest(0).measured_at_ms(), 2150);
  EXPECT_EQ(snap[0].latest(0).id(), 3u);
  // An earlier arrival delivered late to the board (restart replay) does not replace it.
  board.update(ahead);
  EXPECT_EQ(board.snapshot(5000)[0].latest(0).id(), 3u);
  // A host clock step back puts "now" before the arrival: the age is 0, not negative.
  EXPECT_EQ(board.snapshot(1000)[0].latest(0).age_ms(), 0);
}

TEST(BedBoard, AgeNeverNegativeNorOverflows) {
  EXPECT_EQ(age_since(5000, 2000), 3000);
  EXPECT_EQ(age_since(1000, 2000), 0);
  EXPECT_EQ(age_since(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()), 0);
  EXPECT_EQ(age_since(std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()), 0);
}

}  // namespace
}  // namespace vigil::daemon
