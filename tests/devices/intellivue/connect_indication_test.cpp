// Connect Indication: the broadcast that tells us a monitor's address and model.
#include <gtest/gtest.h>

#include "intellivue/messages.hpp"
#include "intellivue/monitor_side.hpp"
#include "iv_test_support.hpp"

namespace vigil::intellivue {
namespace {

using test::from_hex;

// Attribute layouts as OpenICE (mdpnp/mdpnp devices/philips ... data/IPAddressInformation,
// data/ProtocolSupport, data/SystemModel) reads them: MAC(6) IP(4) mask(4); count, length,
// {application protocol, transport protocol, port, options}; two VariableLabels.
std::string sample_indication() {
  return test::connect_indication({
      {kAttrSysType, from_hex("00 01 11 4d")},  // NOM_DEV_MON_PHYSIO_MULTI_PARAM_MDS (4429)
      {kAttrPcolSupport, from_hex("00 02 00 10 00 01 00 01 5e 29 00 00 00 05 00 01 5e 29 00 00")},
      {0x0937, from_hex("00 00 00 00")},  // NOM_ATTR_LOCALIZN: not read, skipped
      {kAttrNetAddrInfo, from_hex("00 09 fb 01 02 03 0a 01 02 03 ff ff ff 00")},
      {kAttrIdModel, test::system_model("Philips", "M8007A")},
  });
}

TEST(ConnectIndication, AddressModelAndPortsDecode) {
  const ConnectIndicationResult r = decode_connect_indication(sample_indication());
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const ConnectIndication& ci = r.indication;
  EXPECT_EQ(ci.nomenclature_major, 1);
  ASSERT_TRUE(ci.address);
  EXPECT_EQ(ci.address->ip, (std::array<std::uint8_t, 4>{10, 1, 2, 3}));
  EXPECT_EQ(ci.address->subnet_mask, (std::array<std::uint8_t, 4>{255, 255, 255, 0}));
  EXPECT_EQ(ci.address->mac[0], 0x00);
  EXPECT_EQ(ci.address->mac[5], 0x03);
  ASSERT_TRUE(ci.model);
  EXPECT_EQ(ci.model->manufacturer, "Philips");
  EXPECT_EQ(ci.model->model_number, "M8007A");
  EXPECT_EQ(ci.system_type, 0x0001114Du);
  ASSERT_EQ(ci.protocols.size(), 2u);
  EXPECT_EQ(ci.protocols[1].application_protocol, 5);  // Data Export
  EXPECT_EQ(ci.protocols[1].port_number, 24105);
  EXPECT_EQ(ci.unknown_attributes, 1u);
}

TEST(ConnectIndication, HostileInputIsATypedError) {
  const std::string full = sample_indication();
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(decode_connect_indication(full.substr(0, n)).ok()) << n;
  }
  EXPECT_EQ(decode_connect_indication(full + "x").error, DecodeError::LengthMismatch);
  std::string magic = full;
  magic[0] = 0x01;
  EXPECT_EQ(decode_connect_indication(magic).error, DecodeError::BadSession);
  // A data export message is not a connect indication.
  EXPECT_FALSE(decode_connect_indication(from_hex("e1 00 00 02 00 01 00 00")).ok());
  // An address of the wrong size.
  EXPECT_EQ(decode_connect_indication(test::connect_indication({{kAttrNetAddrInfo, from_hex("0a 01 02 03")}}))
                .error,
            DecodeError::LengthMismatch);
  // Too many protocol entries announced.
  EXPECT_EQ(decode_connect_indication(test::connect_indication({{kAttrPcolSupport, from_hex("00 09 00 00")}}))
                .error,
            DecodeError::TooManyItems);
  // Another event type on the discovery port.
  std::string other = full;
  other[24] = 0x0D;  // event_type: 4 nomenclature + 4 ROapdus + 6 ROIV + 6 object + 4 time
  other[25] = 0x06;
  EXPECT_EQ(decode_connect_indication(other).error, DecodeError::UnexpectedContent);
}

// What vigil-sim announces decodes to what it said.
TEST(ConnectIndication, EncodedAnnouncementRoundTrips) {
  NetAddressInfo info;
  info.ip = {127, 0, 0, 1};
  info.mac = {0x00, 0x09, 0xFB, 0x01, 0x02, 0x03};
  info.subnet_mask = {255, 0, 0, 0};
  const ConnectIndicationResult r =
      decode_connect_indication(encode_connect_indication(info, 24123, {"Philips", "M8007A"}));
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  ASSERT_TRUE(r.indication.address);
  EXPECT_EQ(*r.indication.address, info);
  ASSERT_TRUE(r.indication.model);
  EXPECT_EQ(r.indication.model->model_number, "M8007A");
  ASSERT_EQ(r.indication.protocols.size(), 2u);
  EXPECT_EQ(r.indication.protocols[0].application_protocol, 1);
  EXPECT_EQ(r.indication.protocols[0].port_number, 24123);
  EXPECT_EQ(r.indication.system_type, 0x0001114Du);
}

}  // namespace
}  // namespace vigil::intellivue
