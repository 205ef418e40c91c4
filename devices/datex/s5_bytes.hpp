#pragma once
// Little-endian field access for S/5 records. Internal to the codec: callers bounds-check
// (offset + size <= bytes.size()) before every read; the asserts document that contract.

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::datex::detail {

inline std::uint8_t get_u8(std::string_view b, std::size_t at) {
  assert(at < b.size());
  return static_cast<std::uint8_t>(b[at]);
}

inline std::uint16_t get_u16(std::string_view b, std::size_t at) {
  assert(at + 2 <= b.size());
  return static_cast<std::uint16_t>(get_u8(b, at) | (get_u8(b, at + 1) << 8));
}

inline std::int16_t get_i16(std::string_view b, std::size_t at) {
  return static_cast<std::int16_t>(get_u16(b, at));
}

inline std::uint32_t get_u32(std::string_view b, std::size_t at) {
  assert(at + 4 <= b.size());
  return static_cast<std::uint32_t>(get_u16(b, at)) | (static_cast<std::uint32_t>(get_u16(b, at + 2)) << 16);
}

inline void put_u8(std::string& b, std::size_t at, std::uint8_t v) {
  assert(at < b.size());
  b[at] = static_cast<char>(v);
}

inline void put_u16(std::string& b, std::size_t at, std::uint16_t v) {
  put_u8(b, at, static_cast<std::uint8_t>(v & 0xFF));
  put_u8(b, at + 1, static_cast<std::uint8_t>(v >> 8));
}

inline void put_i16(std::string& b, std::size_t at, std::int16_t v) {
  put_u16(b, at, static_cast<std::uint16_t>(v));
}

inline void put_u32(std::string& b, std::size_t at, std::uint32_t v) {
  put_u16(b, at, static_cast<std::uint16_t>(v & 0xFFFF));
  put_u16(b, at + 2, static_cast<std::uint16_t>(v >> 16));
}

}  // namespace vigil::datex::detail
