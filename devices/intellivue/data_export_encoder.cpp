#include "intellivue/data_export_encoder.hpp"

#include <string_view>

#include "intellivue/attributes.hpp"
#include "intellivue/iv_bytes.hpp"
#include "intellivue/messages.hpp"

namespace vigil::intellivue {

using detail::put_u16;
using detail::put_u32;

namespace {

void put_managed_object(std::string& out, const ManagedObjectId& m) {
  put_u16(out, m.object_class);
  put_u16(out, m.context_id);
  put_u16(out, m.handle);
}

// ActionArgument addressed to the MDS, scope 0.
std::string poll_action(std::uint16_t invoke_id, std::uint16_t action, std::string_view request) {
  std::string body;
  put_managed_object(body, ManagedObjectId{kMocVmsMds, 0, 0});
  put_u32(body, 0);  // scope: fixed 0
  put_u16(body, action);
  put_u16(body, static_cast<std::uint16_t>(request.size()));
  body.append(request);
  return wrap_remote_operation(kRoInvoke, invoke_id, kCmdConfirmedAction, body);
}

std::string poll_request_body(std::uint16_t poll_number, std::uint16_t object_class,
                              std::uint16_t attr_group) {
  std::string req;
  put_u16(req, poll_number);
  put_u16(req, kPartitionObject);
  put_u16(req, object_class);
  put_u16(req, attr_group);
  return req;
}

}  // namespace

std::string wrap_remote_operation(std::uint16_t ro_type, std::uint16_t invoke_id, std::uint16_t command,
                                  std::string_view body) {
  std::string out;
  out.reserve(14 + body.size());
  put_u16(out, kSessionIdDataExport);
  put_u16(out, kPresentationContextId);
  put_u16(out, ro_type);
  put_u16(out, static_cast<std::uint16_t>(6 + body.size()));
  put_u16(out, invoke_id);
  put_u16(out, command);
  put_u16(out, static_cast<std::uint16_t>(body.size()));
  out.append(body);
  return out;
}

std::string encode_mds_create_result(std::uint16_t invoke_id, const ManagedObjectId& managed_object,
                                     std::uint32_t event_time) {
  std::string body;  // EventReportResult
  put_managed_object(body, managed_object);
  put_u32(body, event_time);
  put_u16(body, kNotiMdsCreate);
  put_u16(body, 0);
  return wrap_remote_operation(kRoResult, invoke_id, kCmdConfirmedEventReport, body);
}

std::string encode_mds_create_result(const MdsCreateEventReport& report) {
  return encode_mds_create_result(report.invoke_id, report.managed_object, report.event_time);
}

std::string encode_poll_request(std::uint16_t invoke_id, std::uint16_t poll_number,
                                std::uint16_t object_class, std::uint16_t attr_group) {
  return poll_action(invoke_id, kActPollMdibData, poll_request_body(poll_number, object_class, attr_group));
}

std::string encode_extended_poll_request(std::uint16_t invoke_id, std::uint16_t poll_number,
                                         std::uint16_t object_class, std::uint16_t attr_group,
                                         std::optional<std::uint32_t> active_period) {
  std::string req = poll_request_body(poll_number, object_class, attr_group);
  std::vector<std::pair<std::uint16_t, std::string>> ext;
  if (active_period) {
    std::string period;
    put_u32(period, *active_period);
    ext.emplace_back(kAttrTimePdPoll, period);
  }
  append_attribute_list(req, ext);
  return poll_action(invoke_id, kActPollMdibDataExt, req);
}

std::string encode_keep_alive(std::uint16_t invoke_id, std::uint16_t poll_number) {
  return encode_poll_request(invoke_id, poll_number, kMocVmoAlMon, kAttrGroupVmoStatic);
}

}  // namespace vigil::intellivue
