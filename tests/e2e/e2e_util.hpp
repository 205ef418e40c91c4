#pragma once
// Small helpers shared by the end-to-end tests.

#include <google/protobuf/util/json_util.h>

#include <optional>
#include <string>

#include "json_lines.pb.h"

namespace vigil::test {

// Parses a `vigilctl` JSON line of type "reading"; nullopt for any other line.
inline std::optional<proto::ReadingLine> parse_reading_line(const std::string& line) {
  if (line.find("\"type\":\"reading\"") == std::string::npos) return std::nullopt;
  proto::ReadingLine out;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(line, &out, options).ok()) return std::nullopt;
  return out;
}

// A `vigilctl` JSON line of the given "type" ("reading", "alert", ...).
inline bool is_line_of_type(const std::string& line, const std::string& type) {
  return line.find("\"type\":\"" + type + "\"") != std::string::npos;
}

}  // namespace vigil::test
