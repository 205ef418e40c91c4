#pragma once
// Builders for what an IntelliVue monitor sends, written from the PIPG structure layouts
// (as OpenICE and Koshsky/Intellivue-api implement them), independently of the decoders
// under test, plus hex helpers.

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "intellivue/attributes.hpp"
#include "intellivue/iv_bytes.hpp"
#include "intellivue/iv_types.hpp"

namespace vigil::intellivue::test {

using detail::put_u16;
using detail::put_u32;
using Avas = std::vector<std::pair<std::uint16_t, std::string>>;

// "e1 00 00 02" -> bytes.
inline std::string from_hex(std::string_view hex) {
  std::string out;
  std::istringstream in{std::string(hex)};
  std::string byte;
  while (in >> byte) out.push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
  return out;
}

inline std::string bytes_of(std::initializer_list<unsigned> list) {
  std::string out;
  for (unsigned b : list) out.push_back(static_cast<char>(b));
  return out;
}

inline std::string u32_bytes(std::uint32_t v) {
  std::string out;
  put_u32(out, v);
  return out;
}

inline std::string abs_time_bytes(const AbsoluteTime& t) {
  return std::string(reinterpret_cast<const char*>(t.bcd), 8);
}

// NuObsValue: physio id, state, unit code, FLOAT.
inline std::string nu_obs(std::uint16_t physio, std::uint16_t state, std::uint16_t unit, std::uint32_t flt) {
  std::string out;
  put_u16(out, physio);
  put_u16(out, state);
  put_u16(out, unit);
  put_u32(out, flt);
  return out;
}

inline std::string nu_cmpd(const std::vector<std::string>& entries) {
  std::string body;
  for (const auto& e : entries) body += e;
  std::string out;
  put_u16(out, static_cast<std::uint16_t>(entries.size()));
  put_u16(out, static_cast<std::uint16_t>(body.size()));
  return out + body;
}

inline std::string attribute_list(const Avas& avas) {
  std::string out;
  append_attribute_list(out, avas);
  return out;
}

// SPpdu + ROapdus + RO*apdu header (RorlsId first for a linked result).
inline std::string remote_operation(
    std::uint16_t ro_type, std::uint16_t invoke_id, std::uint16_t command, const std::string& body,
    std::optional<std::pair<std::uint8_t, std::uint8_t>> linked = std::nullopt) {
  std::string ro;
  if (linked) {
    ro.push_back(static_cast<char>(linked->first));
    ro.push_back(static_cast<char>(linked->second));
  }
  put_u16(ro, invoke_id);
  put_u16(ro, command);
  put_u16(ro, static_cast<std::uint16_t>(body.size()));
  ro += body;
  std::string out;
  put_u16(out, kSessionIdDataExport);
  put_u16(out, kPresentationContextId);
  put_u16(out, ro_type);
  put_u16(out, static_cast<std::uint16_t>(ro.size()));
  return out + ro;
}

struct TestObservation {
  std::uint16_t handle = 0;
  Avas avas;
};

struct TestPoll {
  std::uint16_t invoke_id = 1;
  bool extended = false;
  std::uint16_t poll_number = 1;
  std::uint16_t sequence_no = 0;
  std::uint32_t rel_time = 0x00100000;
  AbsoluteTime abs_time;  // all 0xFF: none
  std::uint16_t context_id = 0;
  std::vector<TestObservation> observations;
  std::optional<std::pair<std::uint8_t, std::uint8_t>> linked;  // RorlsId {state, count}
};

// RORS / ROLRS { ActionResult { MDS, action_type, length } PollMdibDataReply(Ext) }.
inline std::string poll_result(const TestPoll& p) {
  std::string polls;
  for (const auto& o : p.observations) {
    put_u16(polls, o.handle);
    polls += attribute_list(o.avas);
  }
  std::string info;  // PollInfoList with one SingleContextPoll (none when empty)
  if (p.observations.empty()) {
    put_u16(info, 0);
    put_u16(info, 0);
  } else {
    std::string ctx;
    put_u16(ctx, p.context_id);
    put_u16(ctx, static_cast<std::uint16_t>(p.observations.size()));
    put_u16(ctx, static_cast<std::uint16_t>(polls.size()));
    ctx += polls;
    put_u16(info, 1);
    put_u16(info, static_cast<std::uint16_t>(ctx.size()));
    info += ctx;
  }
  std::string reply;
  put_u16(reply, p.poll_number);
  if (p.extended) put_u16(reply, p.sequence_no);
  put_u32(reply, p.rel_time);
  reply += abs_time_bytes(p.abs_time);
  put_u16(reply, kPartitionObject);
  put_u16(reply, kMocVmoMetricNu);
  put_u16(reply, kAttrGroupAll);
  reply += info;
  std::string body;
  put_u16(body, kMocVmsMds);
  put_u16(body, 0);
  put_u16(body, 0);
  put_u16(body, p.extended ? kActPollMdibDataExt : kActPollMdibData);
  put_u16(body, static_cast<std::uint16_t>(reply.size()));
  body += reply;
  return remote_operation(p.linked ? kRoLinkedResult : kRoResult, p.invoke_id, kCmdConfirmedAction, body,
                          p.linked);
}

// ROIV CMD_CONFIRMED_EVENT_REPORT { EventReportArgument { MDS, event_time, MDS_CREAT,
// MdsCreateInfo { MDS, attributes } } }.
inline std::string mds_create_event(std::uint16_t invoke_id, std::uint32_t event_time, const Avas& avas) {
  std::string info;
  put_u16(info, kMocVmsMds);
  put_u16(info, 0);
  put_u16(info, 0);
  info += attribute_list(avas);
  std::string arg;
  put_u16(arg, kMocVmsMds);
  put_u16(arg, 0);
  put_u16(arg, 0);
  put_u32(arg, event_time);
  put_u16(arg, kNotiMdsCreate);
  put_u16(arg, static_cast<std::uint16_t>(info.size()));
  arg += info;
  return remote_operation(kRoInvoke, invoke_id, kCmdConfirmedEventReport, arg);
}

// Nomenclature 00 00 major minor + ROIV CMD_EVENT_REPORT NOM_NOTI_CONN_INDIC + attributes.
inline std::string connect_indication(const Avas& avas) {
  std::string arg;
  put_u16(arg, 0x0021);
  put_u16(arg, 0);
  put_u16(arg, 0);
  put_u32(arg, 0);
  put_u16(arg, kNotiConnIndic);
  const std::string list = attribute_list(avas);
  put_u16(arg, static_cast<std::uint16_t>(list.size()));
  arg += list;
  std::string ro;
  put_u16(ro, 0);  // invoke id
  put_u16(ro, kCmdEventReport);
  put_u16(ro, static_cast<std::uint16_t>(arg.size()));
  ro += arg;
  std::string out = bytes_of({0x00, 0x00, 0x01, 0x00});
  put_u16(out, kRoInvoke);
  put_u16(out, static_cast<std::uint16_t>(ro.size()));
  return out + ro;
}

// VariableLabel pair (SystemModel).
inline std::string system_model(std::string_view manufacturer, std::string_view model) {
  std::string out;
  put_u16(out, static_cast<std::uint16_t>(manufacturer.size()));
  out += manufacturer;
  put_u16(out, static_cast<std::uint16_t>(model.size()));
  out += model;
  return out;
}

}  // namespace vigil::intellivue::test
