#include "daemon/config_utf8.hpp"

#include <vector>

#include "text/utf8.hpp"

namespace vigil::daemon {

namespace {
using google::protobuf::FieldDescriptor;
}  // namespace

std::optional<std::string> first_non_utf8_field(const google::protobuf::Message& message) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // only the fields that are set
  for (const FieldDescriptor* f : fields) {
    const int count = f->is_repeated() ? reflection->FieldSize(message, f) : 1;
    for (int i = 0; i < count; ++i) {
      const std::string where = f->name() + (f->is_repeated() ? "[" + std::to_string(i) + "]" : "");
      if (f->type() == FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& text = f->is_repeated()
                                      ? reflection->GetRepeatedStringReference(message, f, i, &scratch)
                                      : reflection->GetStringReference(message, f, &scratch);
        if (!is_valid_utf8(text)) return where;
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const auto& inner = f->is_repeated() ? reflection->GetRepeatedMessage(message, f, i)
                                             : reflection->GetMessage(message, f);
        if (auto path = first_non_utf8_field(inner)) return where + "." + *path;
      }
    }
  }
  return std::nullopt;
}

}  // namespace vigil::daemon
