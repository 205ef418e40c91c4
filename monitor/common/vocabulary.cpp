#include "common/vocabulary.hpp"

#include <google/protobuf/descriptor.h>

namespace vigil::detail {

const google::protobuf::EnumValueDescriptor* enum_value(const google::protobuf::EnumDescriptor* type,
                                                        int number) {
  return type ? type->FindValueByNumber(number) : nullptr;
}

const google::protobuf::EnumValueDescriptor* enum_value(const google::protobuf::EnumDescriptor* type,
                                                        std::string_view name) {
  return type ? type->FindValueByName(std::string(name)) : nullptr;
}

}  // namespace vigil::detail
