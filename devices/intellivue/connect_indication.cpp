// Connect Indication (PIPG "Device Discovery Messages: CONNECT INDICATION EVENT"): the UDP
// broadcast a monitor sends to port 24005 every few seconds while Data Export is enabled.
//
//   Nomenclature   00 00 major minor        (OpenICE dataexport/Nomenclature.java)
//   ROapdus        ro_type = ROIV, length
//   ROIVapdu       invoke_id, command_type = CMD_EVENT_REPORT, length
//   EventReportArgument  managed_object, event_time, event_type = NOM_NOTI_CONN_INDIC, length
//   ConnectIndInfo       AttributeList (system type, protocol support, localization,
//                        IP address information 0xF100, ...)
#include <utility>

#include "intellivue/iv_bytes.hpp"
#include "intellivue/messages.hpp"

namespace vigil::intellivue {

using detail::IvReader;

namespace {

bool take_length_u16(IvReader& r, IvReader& out) {
  std::uint16_t length = 0;
  return r.u16(length) && r.take(length, out);
}

DecodeError read_indication_attributes(IvReader& info, ConnectIndication& ci) {
  std::vector<Ava> avas;
  if (const DecodeError e = read_attribute_list(info, avas); e != DecodeError::None) return e;
  if (!info.empty()) return DecodeError::LengthMismatch;
  for (const Ava& a : avas) {
    DecodeError e = DecodeError::None;
    switch (a.id) {
      case kAttrNetAddrInfo: {
        NetAddressInfo addr;
        e = decode_net_address_info(a.value, addr);
        if (e == DecodeError::None) ci.address = addr;
        break;
      }
      case kAttrIdModel: {
        SystemModel m;
        e = decode_system_model(a.value, m);
        if (e == DecodeError::None) ci.model = std::move(m);
        break;
      }
      case kAttrSysType: {
        IvReader t(a.value);
        std::uint32_t type = 0;
        if (a.value.size() != 4) {
          e = DecodeError::LengthMismatch;
        } else {
          t.u32(type);
          ci.system_type = type;
        }
        break;
      }
      case kAttrPcolSupport: e = decode_protocol_support(a.value, ci.protocols); break;
      default: ++ci.unknown_attributes; break;
    }
    if (e != DecodeError::None) return e;
  }
  return DecodeError::None;
}

}  // namespace

ConnectIndicationResult decode_connect_indication(std::string_view bytes) {
  ConnectIndicationResult result;
  ConnectIndication& ci = result.indication;
  IvReader r(bytes);
  std::uint16_t magic = 0, ro_type = 0, invoke_id = 0, command = 0, event_type = 0;
  std::uint32_t event_time = 0;
  ManagedObjectId object;
  IvReader ro, arg, info;
  if (!r.u16(magic) || !r.u8(ci.nomenclature_major) || !r.u8(ci.nomenclature_minor)) {
    result.error = DecodeError::Truncated;
    return result;
  }
  if (magic != 0) {
    result.error = DecodeError::BadSession;
    return result;
  }
  if (!r.u16(ro_type) || !take_length_u16(r, ro) || !ro.u16(invoke_id) || !ro.u16(command) ||
      !take_length_u16(ro, arg) || !arg.u16(object.object_class) || !arg.u16(object.context_id) ||
      !arg.u16(object.handle) || !arg.u32(event_time) || !arg.u16(event_type) ||
      !take_length_u16(arg, info)) {
    result.error = DecodeError::Truncated;
    return result;
  }
  if (!r.empty() || !ro.empty() || !arg.empty()) {
    result.error = DecodeError::LengthMismatch;
    return result;
  }
  if (ro_type != kRoInvoke || command != kCmdEventReport || event_type != kNotiConnIndic) {
    result.error = DecodeError::UnexpectedContent;
    return result;
  }
  result.error = read_indication_attributes(info, ci);
  return result;
}

}  // namespace vigil::intellivue
