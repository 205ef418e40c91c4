#include "intellivue/monitor_side.hpp"

#include <utility>
#include <variant>

#include "intellivue/association.hpp"
#include "intellivue/attributes.hpp"
#include "intellivue/data_export_encoder.hpp"
#include "intellivue/iv_bytes.hpp"

namespace vigil::intellivue {

using detail::IvReader;
using detail::put_u16;
using detail::put_u32;

namespace {

// PIPG "Association Response" presentation header, ending in the user data tag 0x81.
constexpr unsigned char kMsAcceptHeader[] = {
    0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00, 0x00, 0x01, 0xA5,
    0x80, 0x30, 0x80, 0x80, 0x01, 0x00, 0x81, 0x02, 0x51, 0x01, 0x00, 0x00, 0x30, 0x80, 0x80, 0x01, 0x00,
    0x81, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x61, 0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A,
    0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xA2, 0x03, 0x02, 0x01,
    0x00, 0xA3, 0x05, 0xA1, 0x03, 0x02, 0x01, 0x00, 0xBE, 0x80, 0x28, 0x80, 0x02, 0x01, 0x02, 0x81};
constexpr unsigned char kMsReleaseResult[] = {0x0A, 0x18, 0xC1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02,
                                              0x01, 0x01, 0xA0, 0x80, 0x63, 0x80, 0x80, 0x01, 0x00,
                                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

void ms_put_mds(std::string& out) {
  put_u16(out, kMocVmsMds);
  put_u16(out, 0);
  put_u16(out, 0);
}

std::string ms_nu_obs(const NumericValue& v) {
  std::string out;
  put_u16(out, v.physio_id);
  put_u16(out, v.state);
  put_u16(out, v.unit_code);
  put_u32(out, v.value.raw);
  return out;
}

std::string ms_poll_result(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                           std::uint32_t rel_time, const AbsoluteTime& abs_time, std::uint16_t object_class,
                           std::uint16_t attr_group, const std::string& context_list) {
  std::string reply;
  put_u16(reply, poll_number);
  if (extended) put_u16(reply, 0);  // sequence_no
  put_u32(reply, rel_time);
  reply.append(reinterpret_cast<const char*>(abs_time.bcd), 8);
  put_u16(reply, kPartitionObject);
  put_u16(reply, object_class);
  put_u16(reply, attr_group);
  reply += context_list;
  std::string body;
  ms_put_mds(body);
  put_u16(body, extended ? kActPollMdibDataExt : kActPollMdibData);
  put_u16(body, static_cast<std::uint16_t>(reply.size()));
  body += reply;
  return wrap_remote_operation(kRoResult, invoke_id, kCmdConfirmedAction, body);
}

}  // namespace

std::string encode_association_accept(std::uint32_t min_poll_period, std::uint32_t max_mtu_tx) {
  std::string ext;
  put_u32(ext, kPollExtPeriodNu1s);
  put_u32(ext, 0);
  std::string profile;
  put_u32(profile, kPollProfileRevision0);
  put_u32(profile, min_poll_period);
  put_u32(profile, 1000);  // max_mtu_rx
  put_u32(profile, max_mtu_tx);
  put_u32(profile, 0xFFFFFFFF);
  put_u32(profile, 0x60000000);
  append_attribute_list(profile, {{kAttrPollProfileExt, ext}});
  std::string user;
  put_u32(user, 0x80000000);
  put_u32(user, 0x40000000);
  put_u32(user, 0);
  put_u32(user, kSystemTypeServer);
  put_u32(user, 0x20000000);
  put_u32(user, 0);
  append_attribute_list(user, {{kPollProfileSupport, profile}});

  std::string pres(reinterpret_cast<const char*>(kMsAcceptHeader), sizeof kMsAcceptHeader);
  pres.push_back(static_cast<char>(user.size()));  // < 128: one-byte ASN.1 length
  pres += user;
  pres.append(16, '\0');
  std::string body(kAssociationSessionData);
  body.push_back(static_cast<char>(0xC1));
  body.push_back(static_cast<char>(pres.size()));  // < 255
  body += pres;
  std::string out(1, static_cast<char>(SpduType::Accept));
  out.push_back(static_cast<char>(body.size()));
  return out + body;
}

std::string encode_refuse(std::uint8_t reason) {
  return std::string{static_cast<char>(SpduType::Refuse), 0x03, 0x32, 0x01, static_cast<char>(reason)};
}

std::string encode_connect_indication(const NetAddressInfo& address, std::uint16_t association_port,
                                      const SystemModel& model) {
  std::string addr(address.mac.begin(), address.mac.end());
  addr.append(address.ip.begin(), address.ip.end());
  addr.append(address.subnet_mask.begin(), address.subnet_mask.end());
  // Application 1 (ACSE, association) and 5 (Data Export), both over UDP (transport 1) on
  // the one port, as the monitor does.
  std::string protocols;
  put_u16(protocols, 2);
  put_u16(protocols, 16);
  for (const std::uint16_t application : {1, 5}) {
    put_u16(protocols, application);
    put_u16(protocols, 1);
    put_u16(protocols, association_port);
    put_u16(protocols, 0);
  }
  std::string labels;
  put_u16(labels, static_cast<std::uint16_t>(model.manufacturer.size()));
  labels += model.manufacturer;
  put_u16(labels, static_cast<std::uint16_t>(model.model_number.size()));
  labels += model.model_number;
  std::string sys_type;
  put_u32(sys_type, 0x0001114D);  // {NOM_PART_OBJ, NOM_DEV_MON_PHYSIO_MULTI_PARAM_MDS}
  std::string arg;
  ms_put_mds(arg);
  put_u32(arg, 0);  // event_time
  put_u16(arg, kNotiConnIndic);
  std::string list;
  append_attribute_list(list, {{kAttrSysType, sys_type},
                               {kAttrPcolSupport, protocols},
                               {kAttrNetAddrInfo, addr},
                               {kAttrIdModel, labels}});
  put_u16(arg, static_cast<std::uint16_t>(list.size()));
  arg += list;
  std::string ro;
  put_u16(ro, 0);  // invoke id
  put_u16(ro, kCmdEventReport);
  put_u16(ro, static_cast<std::uint16_t>(arg.size()));
  ro += arg;
  // Nomenclature 00 00 01 00 (major 1, minor 0), then ROapdus.
  std::string out("\x00\x00\x01\x00", 4);
  put_u16(out, kRoInvoke);
  put_u16(out, static_cast<std::uint16_t>(ro.size()));
  return out + ro;
}

std::string encode_release_result() {
  return std::string(reinterpret_cast<const char*>(kMsReleaseResult), sizeof kMsReleaseResult);
}

std::string encode_mds_create_event(std::uint16_t invoke_id, const AbsoluteTime& now_abs,
                                    std::uint32_t now_rel) {
  std::string abs(reinterpret_cast<const char*>(now_abs.bcd), 8);
  std::string rel;
  put_u32(rel, now_rel);
  std::string info;
  ms_put_mds(info);
  append_attribute_list(info, {{kAttrTimeAbs, abs}, {kAttrTimeRel, rel}});
  std::string arg;
  ms_put_mds(arg);
  put_u32(arg, now_rel);
  put_u16(arg, kNotiMdsCreate);
  put_u16(arg, static_cast<std::uint16_t>(info.size()));
  arg += info;
  return wrap_remote_operation(kRoInvoke, invoke_id, kCmdConfirmedEventReport, arg);
}

std::string encode_numerics_poll_result(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                                        std::uint32_t rel_time, const AbsoluteTime& abs_time,
                                        const std::vector<PolledNumeric>& numerics) {
  std::string polls;
  for (const PolledNumeric& n : numerics) {
    std::vector<std::pair<std::uint16_t, std::string>> avas;
    if (n.values.size() == 1) {
      avas.emplace_back(kAttrNuValObs, ms_nu_obs(n.values.front()));
    } else {
      std::string entries;
      for (const NumericValue& v : n.values) entries += ms_nu_obs(v);
      std::string cmpd;
      put_u16(cmpd, static_cast<std::uint16_t>(n.values.size()));
      put_u16(cmpd, static_cast<std::uint16_t>(entries.size()));
      avas.emplace_back(kAttrNuCmpdValObs, cmpd + entries);
    }
    if (n.timestamp)
      avas.emplace_back(kAttrTimeStampAbs, std::string(reinterpret_cast<const char*>(n.timestamp->bcd), 8));
    put_u16(polls, n.handle);
    append_attribute_list(polls, avas);
  }
  std::string info;
  if (numerics.empty()) {
    put_u16(info, 0);
    put_u16(info, 0);
  } else {
    std::string ctx;
    put_u16(ctx, 0);  // context id
    put_u16(ctx, static_cast<std::uint16_t>(numerics.size()));
    put_u16(ctx, static_cast<std::uint16_t>(polls.size()));
    ctx += polls;
    put_u16(info, 1);
    put_u16(info, static_cast<std::uint16_t>(ctx.size()));
    info += ctx;
  }
  return ms_poll_result(invoke_id, poll_number, extended, rel_time, abs_time, kMocVmoMetricNu, kAttrGroupAll,
                        info);
}

std::string encode_empty_poll_result(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                                     std::uint16_t object_class, std::uint16_t attr_group) {
  std::string info;
  put_u16(info, 0);
  put_u16(info, 0);
  return ms_poll_result(invoke_id, poll_number, extended, 0, AbsoluteTime{}, object_class, attr_group, info);
}

std::optional<ClientRequest> decode_client_request(std::string_view bytes) {
  if (bytes.empty()) return std::nullopt;
  if (static_cast<std::uint8_t>(bytes[0]) != 0xE1) {
    const MessageResult m = decode_message(bytes);
    if (!m.ok()) return std::nullopt;
    if (std::holds_alternative<AssociationRequestMessage>(m.message))
      return ClientRequest{ClientRequestKind::Associate};
    if (std::holds_alternative<ReleaseRequest>(m.message)) return ClientRequest{ClientRequestKind::Release};
    if (std::holds_alternative<AssociationAbort>(m.message)) return ClientRequest{ClientRequestKind::Abort};
    return std::nullopt;
  }
  IvReader r(bytes);
  std::uint16_t session = 0, context = 0, ro_type = 0, ro_len = 0, command = 0, len = 0;
  ClientRequest req;
  if (!r.u16(session) || !r.u16(context) || !r.u16(ro_type) || !r.u16(ro_len) || ro_len != r.remaining() ||
      !r.u16(req.invoke_id) || !r.u16(command) || !r.u16(len) || len != r.remaining())
    return std::nullopt;
  if (ro_type == kRoResult && command == kCmdConfirmedEventReport) {
    req.kind = ClientRequestKind::MdsCreateResult;
    return req;
  }
  if (ro_type != kRoInvoke || command != kCmdConfirmedAction) return req;  // Other
  std::uint16_t action = 0, action_len = 0, partition = 0;
  std::uint32_t scope = 0;
  if (!r.skip(6) || !r.u32(scope) || !r.u16(action) || !r.u16(action_len) || action_len != r.remaining())
    return std::nullopt;
  if (action != kActPollMdibData && action != kActPollMdibDataExt) return req;
  if (!r.u16(req.poll_number) || !r.u16(partition) || !r.u16(req.object_class) || !r.u16(req.attr_group))
    return std::nullopt;
  req.kind = ClientRequestKind::Poll;
  req.extended = action == kActPollMdibDataExt;
  return req;
}

}  // namespace vigil::intellivue
