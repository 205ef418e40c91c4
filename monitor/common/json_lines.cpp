#include "common/json_lines.hpp"

#include <google/protobuf/util/json_util.h>

#include "common/wall_time.hpp"

namespace vigil {

std::string to_json_line(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = false;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return R"({"type":"error","message":"json rendering failed"})";
  return out;
}

proto::ReadingLine reading_line(const proto::Reading& r, bool from_snapshot) {
  proto::ReadingLine line;
  line.set_type("reading");
  line.set_bed(r.bed());
  line.set_kind(proto::VitalKind_Name(r.kind()));
  line.set_value(r.value());
  line.set_unit(r.unit());
  line.set_measured_at(format_rfc3339(r.measured_at_ms()));
  line.set_source(r.source());
  line.set_received_at(format_rfc3339(r.received_at_ms()));
  line.set_valid(r.valid());
  line.set_status(r.status());
  line.set_id(r.id());
  if (from_snapshot) {
    line.set_age_s(static_cast<double>(r.age_ms()) / 1000.0);
    line.set_snapshot(true);
  }
  return line;
}

}  // namespace vigil
