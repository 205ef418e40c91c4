// --intellivue BED=HOST[:PORT]: what is accepted, and what each mistake says.
#include <gtest/gtest.h>

#include <string>

#include "daemon/intellivue_spec.hpp"
#include "daemon/settings.hpp"  // ConfigError

namespace vigil::daemon {
namespace {

std::string iv_error_of(const std::string& text) {
  try {
    parse_intellivue_spec(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(IntelliVueSpec, PortDefaultsTo24105) {
  const IntelliVueSpec s = parse_intellivue_spec("CHAIR7=10.1.2.3");
  EXPECT_EQ(s.bed, "CHAIR7");
  EXPECT_EQ(s.host, "10.1.2.3");
  EXPECT_EQ(s.port, 24105);
  EXPECT_EQ(to_string(s), "CHAIR7=10.1.2.3:24105");
}

TEST(IntelliVueSpec, PortNamesAndIpv6) {
  EXPECT_EQ(parse_intellivue_spec("Chair 2= mp50-bay2.local:4000 ").port, 4000);
  EXPECT_EQ(parse_intellivue_spec("Chair 2= mp50-bay2.local:4000 ").host, "mp50-bay2.local");
  EXPECT_EQ(parse_intellivue_spec("Chair 2= mp50-bay2.local:4000 ").bed, "Chair 2");
  const IntelliVueSpec v6 = parse_intellivue_spec("C=[fd00::5]:24105");
  EXPECT_EQ(v6.host, "fd00::5");
  EXPECT_EQ(parse_intellivue_spec("C=fd00::5").host, "fd00::5");  // bare literal, default port
}

TEST(IntelliVueSpec, MistakesAreNamed) {
  EXPECT_NE(iv_error_of("10.1.2.3").find("missing '='"), std::string::npos);
  EXPECT_NE(iv_error_of("=10.1.2.3").find("chair name"), std::string::npos);
  EXPECT_NE(iv_error_of("C=").find("host is empty"), std::string::npos);
  EXPECT_NE(iv_error_of("C=10.1.2.3:0").find("PORT 1..65535"), std::string::npos);
  EXPECT_NE(iv_error_of("C=10.1.2.3:99999").find("PORT"), std::string::npos);
  EXPECT_NE(iv_error_of("C=10.1.2.3:x").find("--intellivue 'C=10.1.2.3:x'"), std::string::npos);
}

// As --serial and the config file: blanks around the chair name are refused, not trimmed.
TEST(IntelliVueSpec, ChairNameIsNotTrimmed) {
  EXPECT_EQ(iv_error_of(" C7=10.1.2.3"),
            "--intellivue ' C7=10.1.2.3': chair name begins or ends with a space");
  EXPECT_EQ(iv_error_of("C7 =10.1.2.3"),
            "--intellivue 'C7 =10.1.2.3': chair name begins or ends with a space");
  EXPECT_EQ(iv_error_of("\tC7=10.1.2.3"),
            "--intellivue '\tC7=10.1.2.3': chair name contains the control byte 0x09 at byte 1");
}

TEST(IntelliVueSpec, DuplicatesRejected) {
  EXPECT_THROW(
      check_intellivue_specs_unique({parse_intellivue_spec("A=h"), parse_intellivue_spec("B=h:24105")}),
      ConfigError);
  EXPECT_THROW(check_intellivue_specs_unique({parse_intellivue_spec("A=h"), parse_intellivue_spec("A=g")}),
               ConfigError);
  EXPECT_NO_THROW(
      check_intellivue_specs_unique({parse_intellivue_spec("A=h"), parse_intellivue_spec("B=h:24106")}));
}

}  // namespace
}  // namespace vigil::daemon

namespace vigil::daemon {
namespace {

// The config file's intellivue blocks and an IntelliVue serial block (baud defaults to the
// MIB port's 115200).
TEST(IntelliVueSpec, ConfigBlocks) {
  Settings s;
  apply_config_text(R"(
    intellivue { bed: "CHAIR7" host: "10.1.2.3" }
    intellivue { bed: "CHAIR8" host: "10.1.2.4" port: 4000 }
    serial { bed: "CHAIR9" device: "/dev/ttyUSB1" protocol: "intellivue" }
  )",
                    "test.conf", s);
  ASSERT_EQ(s.intellivues.size(), 2u);
  EXPECT_EQ(s.intellivues[0], (IntelliVueSpec{"CHAIR7", "10.1.2.3", 24105}));
  EXPECT_EQ(s.intellivues[1].port, 4000);
  ASSERT_EQ(s.serials.size(), 1u);
  EXPECT_EQ(s.serials[0].baud, 115200u);

  Settings bad;
  try {
    apply_config_text("intellivue { bed: \"C\" host: \"h\" port: 70000 }", "test.conf", bad);
    FAIL() << "port 70000 accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("intellivue[0].port"), std::string::npos) << e.what();
  }
  EXPECT_THROW(apply_config_text("intellivue { bed: \"C\" }", "test.conf", bad), ConfigError);
  EXPECT_THROW(apply_config_text(
                   "intellivue { bed: \"C\" host: \"h\" } intellivue { bed: \"C\" host: \"g\" }", "t", bad),
               ConfigError);
}

}  // namespace
}  // namespace vigil::daemon
