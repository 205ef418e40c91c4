// Data Export messages from the monitor (PIPG "Definition of the Data Export Protocol":
// SPpdu, ROapdus, ROIVapdu / RORSapdu / ROLRSapdu / ROERapdu, EventReportArgument,
// ActionResult, PollMdibDataReply(Ext), PollInfoList, SingleContextPoll, ObservationPoll).
//
// Every structure with a length field is read through a sub-reader of exactly that length,
// and must fill it: a length past the end is Truncated, one that disagrees with its content
// is LengthMismatch.
#include <utility>

#include "intellivue/iv_bytes.hpp"
#include "intellivue/messages.hpp"

namespace vigil::intellivue {

using detail::IvReader;

namespace {

// A sub-reader of `length` bytes, `length` read as u16 first.
bool take_u16_length(IvReader& r, IvReader& out) {
  std::uint16_t length = 0;
  return r.u16(length) && r.take(length, out);
}

bool read_managed_object(IvReader& r, ManagedObjectId& m) {
  return r.u16(m.object_class) && r.u16(m.context_id) && r.u16(m.handle);
}

DecodeError decode_observation(IvReader& r, std::uint16_t context_id, ObservationPoll& obs,
                               std::vector<Ava>& avas) {
  obs.context_id = context_id;
  if (!r.u16(obs.handle)) return DecodeError::LengthMismatch;
  if (const DecodeError e = read_attribute_list(r, avas); e != DecodeError::None) return e;
  for (const Ava& a : avas) {
    DecodeError e = DecodeError::None;
    switch (a.id) {
      case kAttrNuValObs: {
        NumericValue v;
        e = decode_numeric_value(a.value, v);
        if (e == DecodeError::None) obs.numerics.push_back(v);
        break;
      }
      case kAttrNuCmpdValObs: e = decode_compound_numeric(a.value, obs.numerics); break;
      case kAttrTimeStampAbs: {
        AbsoluteTime t;
        e = decode_absolute_time(a.value, t);
        if (e == DecodeError::None) obs.timestamp = t;
        break;
      }
      case kAttrTimeStampRel: {
        std::uint32_t t = 0;
        e = decode_relative_time(a.value, t);
        if (e == DecodeError::None) obs.rel_timestamp = t;
        break;
      }
      default: ++obs.unknown_attributes; break;
    }
    if (e != DecodeError::None) return e;
  }
  return DecodeError::None;
}

DecodeError decode_poll_info(IvReader& r, PollResultPart& part) {
  std::uint16_t contexts = 0;
  IvReader list;
  if (!r.u16(contexts) || !take_u16_length(r, list)) return DecodeError::Truncated;
  if (contexts > kMaxContextsPerResult) return DecodeError::TooManyItems;
  std::vector<Ava> avas;  // reused for every observation
  for (std::uint16_t c = 0; c < contexts; ++c) {
    std::uint16_t context_id = 0, count = 0;
    IvReader polls;
    if (!list.u16(context_id) || !list.u16(count) || !take_u16_length(list, polls)) {
      return DecodeError::LengthMismatch;
    }
    if (part.observations.size() + count > kMaxObservationsPerResult) return DecodeError::TooManyItems;
    for (std::uint16_t i = 0; i < count; ++i) {
      ObservationPoll obs;
      if (const DecodeError e = decode_observation(polls, context_id, obs, avas); e != DecodeError::None) {
        return e;
      }
      part.observations.push_back(std::move(obs));
    }
    if (!polls.empty()) return DecodeError::LengthMismatch;
  }
  return list.empty() ? DecodeError::None : DecodeError::LengthMismatch;
}

DecodeError decode_poll_reply(IvReader& r, PollResultPart& part) {
  std::string_view abs;
  if (!r.u16(part.poll_number)) return DecodeError::Truncated;
  if (part.extended && !r.u16(part.sequence_no)) return DecodeError::Truncated;
  if (!r.u32(part.rel_time_stamp) || !r.bytes(8, abs) || !r.u16(part.polled_obj_partition) ||
      !r.u16(part.polled_obj_code) || !r.u16(part.polled_attr_group)) {
    return DecodeError::Truncated;
  }
  decode_absolute_time(abs, part.abs_time_stamp);  // exactly 8 bytes: cannot fail
  if (const DecodeError e = decode_poll_info(r, part); e != DecodeError::None) return e;
  return r.empty() ? DecodeError::None : DecodeError::LengthMismatch;
}

// RORSapdu / ROLRSapdu body: a poll result, or some other result we do not read.
MessageResult decode_result(IvReader& ro, std::uint16_t ro_type) {
  MessageResult result;
  PollResultPart part;
  if (ro_type == kRoLinkedResult) {
    std::uint8_t state = 0;
    if (!ro.u8(state) || !ro.u8(part.linked_count)) return {DecodeError::Truncated, {}};
    if (state < 1 || state > 3) return {DecodeError::UnexpectedContent, {}};
    part.linked = static_cast<LinkedState>(state);
  }
  std::uint16_t command = 0;
  IvReader body;
  if (!ro.u16(part.invoke_id) || !ro.u16(command) || !take_u16_length(ro, body)) {
    return {DecodeError::Truncated, {}};
  }
  if (!ro.empty()) return {DecodeError::LengthMismatch, {}};
  ManagedObjectId object;
  std::uint16_t action = 0;
  IvReader reply;
  if (command != kCmdConfirmedAction) {
    result.message = UnhandledDataExport{ro_type, part.invoke_id, command};
    return result;
  }
  if (!read_managed_object(body, object) || !body.u16(action) || !take_u16_length(body, reply)) {
    return {DecodeError::Truncated, {}};
  }
  if (!body.empty()) return {DecodeError::LengthMismatch, {}};
  if (action != kActPollMdibData && action != kActPollMdibDataExt) {
    result.message = UnhandledDataExport{ro_type, part.invoke_id, command};
    return result;
  }
  part.extended = action == kActPollMdibDataExt;
  result.error = decode_poll_reply(reply, part);
  if (result.ok()) result.message = std::move(part);
  return result;
}

DecodeError decode_mds_create(IvReader& info, MdsCreateEventReport& report) {
  std::vector<Ava> avas;
  if (!read_managed_object(info, report.mds)) return DecodeError::Truncated;
  if (const DecodeError e = read_attribute_list(info, avas); e != DecodeError::None) return e;
  if (!info.empty()) return DecodeError::LengthMismatch;
  for (const Ava& a : avas) {
    DecodeError e = DecodeError::None;
    if (a.id == kAttrTimeAbs) {
      AbsoluteTime t;
      e = decode_absolute_time(a.value, t);
      if (e == DecodeError::None) report.absolute_time = t;
    } else if (a.id == kAttrTimeRel) {
      std::uint32_t t = 0;
      e = decode_relative_time(a.value, t);
      if (e == DecodeError::None) report.relative_time = t;
    } else if (a.id == kAttrIdModel) {
      SystemModel m;
      e = decode_system_model(a.value, m);
      if (e == DecodeError::None) report.model = std::move(m);
    } else {
      ++report.unknown_attributes;
    }
    if (e != DecodeError::None) return e;
  }
  return DecodeError::None;
}

MessageResult decode_invoke(IvReader& ro) {
  MessageResult result;
  std::uint16_t invoke_id = 0, command = 0;
  IvReader arg;
  if (!ro.u16(invoke_id) || !ro.u16(command) || !take_u16_length(ro, arg))
    return {DecodeError::Truncated, {}};
  if (!ro.empty()) return {DecodeError::LengthMismatch, {}};
  MdsCreateEventReport report;
  report.invoke_id = invoke_id;
  std::uint16_t event_type = 0;
  IvReader info;
  if (command != kCmdConfirmedEventReport && command != kCmdEventReport) {
    result.message = UnhandledDataExport{kRoInvoke, invoke_id, command};
    return result;
  }
  if (!read_managed_object(arg, report.managed_object) || !arg.u32(report.event_time) ||
      !arg.u16(event_type) || !take_u16_length(arg, info)) {
    return {DecodeError::Truncated, {}};
  }
  if (!arg.empty()) return {DecodeError::LengthMismatch, {}};
  if (event_type != kNotiMdsCreate) {
    result.message = UnhandledDataExport{kRoInvoke, invoke_id, command};
    return result;
  }
  result.error = decode_mds_create(info, report);
  if (result.ok()) result.message = std::move(report);
  return result;
}

}  // namespace

MessageResult decode_data_export_message(std::string_view bytes) {
  IvReader r(bytes);
  std::uint16_t session_id = 0, context_id = 0, ro_type = 0;
  IvReader ro;
  if (!r.u16(session_id) || !r.u16(context_id)) return {DecodeError::Truncated, {}};
  if (session_id != kSessionIdDataExport) return {DecodeError::BadSession, {}};
  if (!r.u16(ro_type) || !take_u16_length(r, ro)) return {DecodeError::Truncated, {}};
  if (!r.empty()) return {DecodeError::LengthMismatch, {}};
  switch (ro_type) {
    case kRoInvoke: return decode_invoke(ro);
    case kRoResult:
    case kRoLinkedResult: return decode_result(ro, ro_type);
    case kRoError: {
      RemoteError error;
      if (!ro.u16(error.invoke_id) || !ro.u16(error.error_value)) return {DecodeError::Truncated, {}};
      return {DecodeError::None, error};  // the error parameters that may follow are not read
    }
    default: return {DecodeError::UnexpectedContent, {}};
  }
}

MessageResult decode_message(std::string_view bytes) {
  if (bytes.empty()) return {DecodeError::Truncated, {}};
  // SPpdu.session_id is 0xE100; no association SPDU type starts with 0xE1.
  if (static_cast<std::uint8_t>(bytes[0]) == 0xE1) return decode_data_export_message(bytes);
  return decode_association_message(bytes);
}

}  // namespace vigil::intellivue
