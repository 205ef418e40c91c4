#include "intellivue/attributes.hpp"

namespace vigil::intellivue {

using detail::IvReader;

DecodeError read_attribute_list(IvReader& r, std::vector<Ava>& out) {
  out.clear();
  std::uint16_t count = 0, length = 0;
  if (!r.u16(count) || !r.u16(length)) return DecodeError::Truncated;
  if (count > kMaxAttributesPerList) return DecodeError::TooManyItems;
  IvReader list;
  if (!r.take(length, list)) return DecodeError::Truncated;
  for (std::uint16_t i = 0; i < count; ++i) {
    Ava ava;
    std::uint16_t value_length = 0;
    if (!list.u16(ava.id) || !list.u16(value_length)) return DecodeError::LengthMismatch;
    if (!list.bytes(value_length, ava.value)) return DecodeError::LengthMismatch;
    out.push_back(ava);
  }
  return list.empty() ? DecodeError::None : DecodeError::LengthMismatch;
}

namespace {

bool read_numeric(IvReader& r, NumericValue& out) {
  std::uint32_t raw = 0;
  if (!r.u16(out.physio_id) || !r.u16(out.state) || !r.u16(out.unit_code) || !r.u32(raw)) return false;
  out.value = decode_float(raw);
  return true;
}

// VariableLabel {u16 length, u8 value[length]} as printable ASCII.
bool read_label(IvReader& r, std::string& out) {
  std::uint16_t length = 0;
  std::string_view text;
  if (!r.u16(length) || !r.bytes(length, text)) return false;
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  if (text.size() > kMaxLabelBytes) text = text.substr(0, kMaxLabelBytes);
  out.clear();
  for (char c : text) out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  return true;
}

}  // namespace

DecodeError decode_numeric_value(std::string_view value, NumericValue& out) {
  if (value.size() != 10) return DecodeError::LengthMismatch;
  IvReader r(value);
  out = NumericValue{};
  read_numeric(r, out);  // cannot fail: exactly 10 bytes
  return DecodeError::None;
}

DecodeError decode_compound_numeric(std::string_view value, std::vector<NumericValue>& out) {
  IvReader r(value);
  std::uint16_t count = 0, length = 0;
  if (!r.u16(count) || !r.u16(length)) return DecodeError::Truncated;
  if (count > kMaxCompoundValues) return DecodeError::TooManyItems;
  if (length != count * 10u || r.remaining() != length) return DecodeError::LengthMismatch;
  for (std::uint16_t i = 0; i < count; ++i) {
    NumericValue v;
    read_numeric(r, v);  // cannot fail: length == count * 10
    v.compound = true;
    out.push_back(v);
  }
  return DecodeError::None;
}

DecodeError decode_absolute_time(std::string_view value, AbsoluteTime& out) {
  if (value.size() != 8) return DecodeError::LengthMismatch;
  for (std::size_t i = 0; i < 8; ++i) out.bcd[i] = static_cast<std::uint8_t>(value[i]);
  return DecodeError::None;
}

DecodeError decode_relative_time(std::string_view value, std::uint32_t& out) {
  if (value.size() != 4) return DecodeError::LengthMismatch;
  IvReader r(value);
  r.u32(out);
  return DecodeError::None;
}

DecodeError decode_system_model(std::string_view value, SystemModel& out) {
  IvReader r(value);
  if (!read_label(r, out.manufacturer) || !read_label(r, out.model_number)) return DecodeError::Truncated;
  return r.empty() ? DecodeError::None : DecodeError::LengthMismatch;
}

DecodeError decode_net_address_info(std::string_view value, NetAddressInfo& out) {
  if (value.size() != 14) return DecodeError::LengthMismatch;
  std::size_t i = 0;
  for (auto& b : out.mac) b = static_cast<std::uint8_t>(value[i++]);
  for (auto& b : out.ip) b = static_cast<std::uint8_t>(value[i++]);
  for (auto& b : out.subnet_mask) b = static_cast<std::uint8_t>(value[i++]);
  return DecodeError::None;
}

DecodeError decode_protocol_support(std::string_view value, std::vector<ProtocolSupportEntry>& out) {
  out.clear();
  IvReader r(value);
  std::uint16_t count = 0, length = 0;
  if (!r.u16(count) || !r.u16(length)) return DecodeError::Truncated;
  if (count > kMaxProtocolSupportEntries) return DecodeError::TooManyItems;
  if (length != count * 8u || r.remaining() != length) return DecodeError::LengthMismatch;
  for (std::uint16_t i = 0; i < count; ++i) {
    ProtocolSupportEntry e;
    r.u16(e.application_protocol);
    r.u16(e.transport_protocol);
    r.u16(e.port_number);
    r.u16(e.options);
    out.push_back(e);
  }
  return DecodeError::None;
}

void append_attribute_list(std::string& out, const std::vector<std::pair<std::uint16_t, std::string>>& avas) {
  std::size_t length = 0;
  for (const auto& [id, value] : avas) length += 4 + value.size();
  detail::put_u16(out, static_cast<std::uint16_t>(avas.size()));
  detail::put_u16(out, static_cast<std::uint16_t>(length));
  for (const auto& [id, value] : avas) {
    detail::put_u16(out, id);
    detail::put_u16(out, static_cast<std::uint16_t>(value.size()));
    out.append(value);
  }
}

}  // namespace vigil::intellivue
