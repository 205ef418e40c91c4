// --serial BED=DEVICE[,baud=N][,protocol=datex-s5|intellivue]: what is accepted, and what each mistake says.
#include <gtest/gtest.h>

#include <string>

#include "daemon/serial_spec.hpp"
#include "daemon/settings.hpp"  // ConfigError

namespace vigil::daemon {
namespace {

// The ConfigError message for `text`, or "" if it parsed.
std::string error_of(const std::string& text) {
  try {
    parse_serial_spec(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(SerialSpec, BedAndDeviceTakeDefaults) {
  SerialSpec s = parse_serial_spec("CHAIR5=/dev/ttyUSB0");
  EXPECT_EQ(s.bed, "CHAIR5");
  EXPECT_EQ(s.device, "/dev/ttyUSB0");
  EXPECT_EQ(s.baud, 19200u);
  EXPECT_EQ(s.protocol, "datex-s5");
}

TEST(SerialSpec, OptionsInAnyOrderWithBlanks) {
  SerialSpec s =
      parse_serial_spec("Chair 2= /dev/serial/by-id/usb-FTDI-if00 , protocol=datex-s5, baud = 115200");
  EXPECT_EQ(s.bed, "Chair 2");
  EXPECT_EQ(s.device, "/dev/serial/by-id/usb-FTDI-if00");
  EXPECT_EQ(s.baud, 115200u);
  EXPECT_EQ(s.protocol, "datex-s5");
  EXPECT_EQ(parse_serial_spec("C1=/dev/ttyS0,baud=9600").baud, 9600u);
}

TEST(SerialSpec, EveryAllowedBaud) {
  for (unsigned baud : {9600u, 19200u, 38400u, 57600u, 115200u}) {
    EXPECT_EQ(parse_serial_spec("C=/dev/x,baud=" + std::to_string(baud)).baud, baud);
  }
}

TEST(SerialSpec, ToStringRoundTrips) {
  SerialSpec s = parse_serial_spec("CHAIR5=/dev/ttyUSB0,baud=57600");
  EXPECT_EQ(to_string(s), "CHAIR5=/dev/ttyUSB0,baud=57600,protocol=datex-s5");
  EXPECT_EQ(parse_serial_spec(to_string(s)), s);
}

TEST(SerialSpec, MissingEquals) {
  EXPECT_TRUE(contains(error_of("/dev/ttyUSB0"), "missing '='")) << error_of("/dev/ttyUSB0");
}

TEST(SerialSpec, EmptyBedOrDevice) {
  EXPECT_TRUE(contains(error_of("=/dev/ttyUSB0"), "chair name")) << error_of("=/dev/ttyUSB0");
  EXPECT_TRUE(contains(error_of("CHAIR5="), "device path")) << error_of("CHAIR5=");
  EXPECT_TRUE(contains(error_of("CHAIR5=,baud=19200"), "device path"));
}

// The chair name is what stands before '=', as written: " C5" is refused as the config
// file's beds { chair: " C5" } is, never quietly made "C5".
TEST(SerialSpec, ChairNameIsNotTrimmed) {
  EXPECT_EQ(error_of(" C5=/dev/null"), "--serial ' C5=/dev/null': chair name begins or ends with a space");
  EXPECT_EQ(error_of("C5 =/dev/null"), "--serial 'C5 =/dev/null': chair name begins or ends with a space");
  EXPECT_EQ(error_of(" =/dev/null"), "--serial ' =/dev/null': chair name begins or ends with a space");
  EXPECT_EQ(error_of("\tC5=/dev/null"),
            "--serial '\tC5=/dev/null': chair name contains the control byte 0x09 at byte 1");
}

TEST(SerialSpec, ChairAndDeviceMustBeUtf8) {
  EXPECT_TRUE(contains(error_of("FAUTEUIL-\xE9=/dev/ttyUSB0"), "not valid UTF-8"));
  EXPECT_TRUE(contains(error_of("CHAIR5=/dev/tty\xE9"), "not valid UTF-8"));
  EXPECT_EQ(error_of("FAUTEUIL-\xC3\xA9=/dev/ttyUSB0"), "");
}

TEST(SerialSpec, BadBaud) {
  for (const char* text : {"C=/dev/x,baud=12345", "C=/dev/x,baud=0", "C=/dev/x,baud=fast",
                           "C=/dev/x,baud=", "C=/dev/x,baud=-19200", "C=/dev/x,baud=19200x",
                           "C=/dev/x,baud=99999999999999999999"}) {
    const std::string err = error_of(text);
    EXPECT_TRUE(contains(err, "baud")) << text << ": " << err;
    EXPECT_TRUE(contains(err, "allowed: 9600, 19200, 38400, 57600, 115200")) << text << ": " << err;
  }
}

TEST(SerialSpec, UnknownProtocol) {
  const std::string err = error_of("C=/dev/x,protocol=mindray");
  EXPECT_TRUE(contains(err, "unknown protocol 'mindray'")) << err;
  EXPECT_TRUE(contains(err, "intellivue")) << err;  // the list of known ones
  EXPECT_TRUE(contains(error_of("C=/dev/x,protocol="), "unknown protocol"));
}

// The IntelliVue MIB port runs at 115200 unless told otherwise; an explicit baud wins.
TEST(SerialSpec, IntelliVueDefaultsTo115200) {
  SerialSpec s = parse_serial_spec("CHAIR7=/dev/ttyUSB1,protocol=intellivue");
  EXPECT_EQ(s.protocol, "intellivue");
  EXPECT_EQ(s.baud, 115200u);
  s = parse_serial_spec("CHAIR7=/dev/ttyUSB1,baud=19200,protocol=intellivue");
  EXPECT_EQ(s.baud, 19200u);
  EXPECT_EQ(parse_serial_spec("CHAIR7=/dev/ttyUSB1").baud, 19200u);
}

TEST(SerialSpec, UnknownOrMalformedOption) {
  EXPECT_TRUE(contains(error_of("C=/dev/x,parity=odd"), "unknown option 'parity'"));
  EXPECT_TRUE(contains(error_of("C=/dev/x,19200"), "not KEY=VALUE"));
  EXPECT_TRUE(contains(error_of("C=/dev/x,"), "not KEY=VALUE"));
}

TEST(SerialSpec, RepeatedOption) {
  EXPECT_TRUE(contains(error_of("C=/dev/x,baud=9600,baud=19200"), "baud given twice"));
  EXPECT_TRUE(contains(error_of("C=/dev/x,protocol=datex-s5,protocol=datex-s5"), "protocol given twice"));
}

TEST(SerialSpec, MessageNamesTheFlagAndIsOneLine) {
  const std::string err = error_of("C=/dev/x,baud=1");
  EXPECT_EQ(err.rfind("--serial 'C=/dev/x,baud=1': ", 0), 0u) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos);
}

TEST(SerialSpec, CheckFieldsFromConfig) {
  SerialSpec s{"CHAIR1", "/dev/ttyUSB1", 38400, "datex-s5"};
  EXPECT_NO_THROW(check_serial_spec(s, "config x: serial[0]"));
  s.baud = 4800;
  try {
    check_serial_spec(s, "config x: serial[0]");
    FAIL() << "4800 accepted";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(contains(e.what(), "config x: serial[0]: baud 4800")) << e.what();
  }
}

TEST(SerialSpec, DuplicatesRejected) {
  std::vector<SerialSpec> specs{parse_serial_spec("A=/dev/ttyUSB0"), parse_serial_spec("B=/dev/ttyUSB1")};
  EXPECT_NO_THROW(check_serial_specs_unique(specs));
  specs.push_back(parse_serial_spec("C=/dev/ttyUSB0"));
  EXPECT_THROW(check_serial_specs_unique(specs), ConfigError);
  specs.back() = parse_serial_spec("A=/dev/ttyUSB2");
  EXPECT_THROW(check_serial_specs_unique(specs), ConfigError);
}

}  // namespace
}  // namespace vigil::daemon
