#pragma once
// Big-endian field access for Data Export messages (the PIPG's byte order is network order
// throughout). Internal to the codec.
//
// IvReader is a cursor over a view that never reads past its end: every read returns false
// instead, and the caller turns that into a typed error. Sub-readers (`take`) are how a
// length field is enforced: a structure's declared length becomes a reader of exactly that
// many bytes, or the read fails when the buffer holds fewer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::intellivue::detail {

class IvReader {
 public:
  IvReader() = default;
  explicit IvReader(std::string_view bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - at_; }
  std::size_t offset() const { return at_; }
  bool empty() const { return remaining() == 0; }
  /// The unread bytes, without consuming them.
  std::string_view rest() const { return bytes_.substr(at_); }

  bool u8(std::uint8_t& out) {
    if (remaining() < 1) return false;
    out = static_cast<std::uint8_t>(bytes_[at_]);
    at_ += 1;
    return true;
  }

  bool u16(std::uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<std::uint16_t>((byte_at(0) << 8) | byte_at(1));
    at_ += 2;
    return true;
  }

  bool u32(std::uint32_t& out) {
    if (remaining() < 4) return false;
    out = (static_cast<std::uint32_t>(byte_at(0)) << 24) | (static_cast<std::uint32_t>(byte_at(1)) << 16) |
          (static_cast<std::uint32_t>(byte_at(2)) << 8) | static_cast<std::uint32_t>(byte_at(3));
    at_ += 4;
    return true;
  }

  /// Consumes `n` bytes as a view.
  bool bytes(std::size_t n, std::string_view& out) {
    if (remaining() < n) return false;
    out = bytes_.substr(at_, n);
    at_ += n;
    return true;
  }

  /// Consumes `n` bytes as a reader of its own (a length-delimited structure).
  bool take(std::size_t n, IvReader& out) {
    std::string_view v;
    if (!bytes(n, v)) return false;
    out = IvReader(v);
    return true;
  }

  bool skip(std::size_t n) {
    if (remaining() < n) return false;
    at_ += n;
    return true;
  }

 private:
  std::uint32_t byte_at(std::size_t i) const { return static_cast<std::uint8_t>(bytes_[at_ + i]); }

  std::string_view bytes_;
  std::size_t at_ = 0;
};

inline void put_u8(std::string& out, std::uint8_t v) { out.push_back(static_cast<char>(v)); }

inline void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xFF));
}

inline void put_u32(std::string& out, std::uint32_t v) {
  put_u16(out, static_cast<std::uint16_t>(v >> 16));
  put_u16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}

/// Overwrites a 16-bit length placeholder written earlier at `at`.
inline void patch_u16(std::string& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<char>(v >> 8);
  out[at + 1] = static_cast<char>(v & 0xFF);
}

}  // namespace vigil::intellivue::detail
