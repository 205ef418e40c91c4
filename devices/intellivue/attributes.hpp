#pragma once
// AttributeList walking and the attribute values the codec reads (PIPG "Attribute Value
// Assertion", "Numeric Observed Value", "Compound Numeric Observed Value", "Absolute
// Time", "System Model", "IP Address Information", "Protocol Support").
//
// Every length is checked against the bytes that hold it; a value of the wrong size is a
// typed error, never a read past the end. Attribute ids we do not read are skipped by
// their length: monitors add attributes across software revisions.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "intellivue/iv_bytes.hpp"
#include "intellivue/iv_types.hpp"

namespace vigil::intellivue {

/// One AVAType: attribute id and its value bytes (a view into the message).
struct Ava {
  std::uint16_t id = 0;
  std::string_view value;
};

/// Reads AttributeList {count, length, AVAType[count]} at the reader's position into `out`
/// (cleared first). The AVAs must fill `length` exactly; at most kMaxAttributesPerList.
DecodeError read_attribute_list(detail::IvReader& r, std::vector<Ava>& out);

/// NuObsValue: physio id, state, unit code, FLOAT (10 bytes).
DecodeError decode_numeric_value(std::string_view value, NumericValue& out);
/// NuObsValueCmp {count, length, NuObsValue[count]}: appends each entry (compound = true).
DecodeError decode_compound_numeric(std::string_view value, std::vector<NumericValue>& out);
/// AbsoluteTime (8 bytes).
DecodeError decode_absolute_time(std::string_view value, AbsoluteTime& out);
/// RelativeTime (u32, 1/8 ms).
DecodeError decode_relative_time(std::string_view value, std::uint32_t& out);

/// SystemModel: manufacturer and model number (VariableLabel each: u16 length + bytes).
struct SystemModel {
  std::string manufacturer;
  std::string model_number;
  bool operator==(const SystemModel&) const = default;
};
/// Text is kept as printable ASCII (anything else becomes '?'; trailing NULs dropped).
DecodeError decode_system_model(std::string_view value, SystemModel& out);

/// IpAddressInfo (NOM_ATTR_NET_ADDR_INFO): MAC, IPv4 address, subnet mask.
struct NetAddressInfo {
  std::array<std::uint8_t, 6> mac{};
  std::array<std::uint8_t, 4> ip{};
  std::array<std::uint8_t, 4> subnet_mask{};
  bool operator==(const NetAddressInfo&) const = default;
};
DecodeError decode_net_address_info(std::string_view value, NetAddressInfo& out);

/// One ProtocolSupportEntry (NOM_ATTR_PCOL_SUPPORT): which application protocol listens on
/// which port (application 1 = ACSE/association, 5 = Data Export; transport 1 = UDP).
struct ProtocolSupportEntry {
  std::uint16_t application_protocol = 0;
  std::uint16_t transport_protocol = 0;
  std::uint16_t port_number = 0;
  std::uint16_t options = 0;
  bool operator==(const ProtocolSupportEntry&) const = default;
};
/// ProtocolSupport {count, length, entries}; at most kMaxProtocolSupportEntries.
DecodeError decode_protocol_support(std::string_view value, std::vector<ProtocolSupportEntry>& out);

/// Appends AttributeList bytes for `avas` (encoders, tests, simulators).
void append_attribute_list(std::string& out, const std::vector<std::pair<std::uint16_t, std::string>>& avas);

}  // namespace vigil::intellivue
