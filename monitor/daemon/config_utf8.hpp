#pragma once
// Protobuf's text-format parser accepts any bytes in a string field (a config file saved
// as Latin-1), but every such string may later reach a protobuf string on the stream (chair
// names, profile names, user names), where it must be UTF-8.

#include <google/protobuf/message.h>

#include <optional>
#include <string>

namespace vigil::daemon {

/// The path of the first string field (not bytes) that is not valid UTF-8, e.g.
/// "rule_profile[1].name"; nullopt when every one is.
std::optional<std::string> first_non_utf8_field(const google::protobuf::Message& message);

}  // namespace vigil::daemon
