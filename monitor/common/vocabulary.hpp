#pragma once
// Vigil's typed vocabulary (proto/vocabulary.proto) as words, in one place. An enum value's
// name is its word ("HIGH", "ACTIVE", "raised", "infusion"), so word() is the generated name
// and the unset value 0 is "" (so is a number this build does not know, from a newer peer).
// Lines, CSV, reports and terminals print word(); nothing parses a word back except the
// store, whose text columns hold words (from_word, at its edge).

#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>
#include <string_view>

#include "vocabulary.pb.h"

namespace vigil {

namespace detail {
const google::protobuf::EnumValueDescriptor* enum_value(const google::protobuf::EnumDescriptor* type,
                                                        int number);
const google::protobuf::EnumValueDescriptor* enum_value(const google::protobuf::EnumDescriptor* type,
                                                        std::string_view name);
}  // namespace detail

/// The word of a value; "" for 0 (not set) and for numbers this build does not know.
template <class E>
std::string word(E value) {
  const int n = static_cast<int>(value);
  if (n == 0) return {};
  const auto* v = detail::enum_value(google::protobuf::GetEnumDescriptor<E>(), n);
  return v ? v->name() : std::string();
}

/// The value a word names; nullopt for "" and for words this build does not know. Only for
/// text written by Vigil itself (the database's columns).
template <class E>
std::optional<E> from_word(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const auto* v = detail::enum_value(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!v || v->number() == 0) return std::nullopt;
  return static_cast<E>(v->number());
}

/// Severity order of priorities: LOW 1 < MEDIUM 2 < HIGH 3, anything else 0. The order is
/// the enum's numbering (vocabulary.proto); compare priorities through this, nowhere else.
constexpr int priority_rank(proto::Priority p) {
  return p == proto::LOW || p == proto::MEDIUM || p == proto::HIGH ? static_cast<int>(p) : 0;
}

}  // namespace vigil
