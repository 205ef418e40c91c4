#include "stream/json_wire.hpp"

#include <google/protobuf/util/json_util.h>

namespace vigil::stream {

namespace {

namespace pbu = google::protobuf::util;

pbu::JsonPrintOptions wire_print_options() {
  pbu::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = false;
  return options;
}

bool parse_json_wire(std::string_view text, google::protobuf::Message& out, std::string* error) {
  pbu::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  out.Clear();
  const auto status = pbu::JsonStringToMessage(std::string(text), &out, options);
  if (!status.ok() && error) *error = std::string(status.message());
  return status.ok();
}

std::string print_json_wire(const google::protobuf::Message& message) {
  std::string out;
  // Printing a valid message cannot fail; a failure would leave `out` empty, which the
  // browser would reject as a protocol error rather than misread.
  if (!pbu::MessageToJsonString(message, &out, wire_print_options()).ok()) out.clear();
  return out;
}

}  // namespace

std::string server_message_json(const proto::ServerMessage& message) { return print_json_wire(message); }

bool parse_client_message_json(std::string_view text, proto::ClientMessage& out, std::string* error) {
  return parse_json_wire(text, out, error);
}

std::string client_message_json(const proto::ClientMessage& message) { return print_json_wire(message); }

bool parse_server_message_json(std::string_view text, proto::ServerMessage& out) {
  return parse_json_wire(text, out, nullptr);
}

}  // namespace vigil::stream
