#include "intellivue/iv_types.hpp"

#include <chrono>
#include <cmath>

namespace vigil::intellivue {

std::string_view to_string(DecodeError error) {
  switch (error) {
    case DecodeError::None: return "none";
    case DecodeError::Truncated: return "truncated";
    case DecodeError::LengthMismatch: return "length_mismatch";
    case DecodeError::TooManyItems: return "too_many_items";
    case DecodeError::BadSession: return "bad_session";
    case DecodeError::BadPresentation: return "bad_presentation";
    case DecodeError::UnexpectedContent: return "unexpected_content";
  }
  return "unknown";
}

FloatValue decode_float(std::uint32_t raw) {
  FloatValue f;
  f.raw = raw;
  const std::uint32_t mantissa_bits = raw & 0x00FFFFFF;
  switch (mantissa_bits) {
    case 0x007FFFFF: f.cls = FloatClass::NaN; return f;
    case 0x00800000: f.cls = FloatClass::NotAtResolution; return f;
    case 0x007FFFFE: f.cls = FloatClass::PlusInfinity; return f;
    case 0x00800002: f.cls = FloatClass::MinusInfinity; return f;
    case 0x00800001: f.cls = FloatClass::Reserved; return f;
    default: break;
  }
  // Sign-extend the 24-bit mantissa; the exponent is the signed top byte.
  const std::int32_t mantissa = (mantissa_bits & 0x00800000)
                                    ? static_cast<std::int32_t>(mantissa_bits) - 0x01000000
                                    : static_cast<std::int32_t>(mantissa_bits);
  const auto exponent = static_cast<std::int8_t>(raw >> 24);
  // Exact for the exponents vital signs use: |mantissa| < 2^24 and 10^k (k <= 22) are exact
  // doubles, and one IEEE multiplication or division of exact operands is correctly rounded
  // (so 366 * 10^-1 is the double nearest 36.6, as text parsing would give).
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const double m = static_cast<double>(mantissa);
  if (exponent >= 0 && exponent <= 22) {
    f.value = m * kPow10[exponent];
  } else if (exponent < 0 && exponent >= -22) {
    f.value = m / kPow10[-exponent];
  } else {
    f.value = m * std::pow(10.0, exponent);
  }
  f.cls = FloatClass::Number;
  return f;
}

std::uint32_t encode_float(std::int32_t mantissa, std::int8_t exponent) {
  return (static_cast<std::uint32_t>(static_cast<std::uint8_t>(exponent)) << 24) |
         (static_cast<std::uint32_t>(mantissa) & 0x00FFFFFF);
}

namespace {

// -1 unless `b` is two BCD digits.
int from_bcd(std::uint8_t b) {
  const int hi = b >> 4, lo = b & 0x0F;
  if (hi > 9 || lo > 9) return -1;
  return hi * 10 + lo;
}

std::uint8_t to_bcd(int v) { return static_cast<std::uint8_t>(((v / 10) % 10) << 4 | (v % 10)); }

}  // namespace

std::optional<WallMillis> absolute_time_to_ms(const AbsoluteTime& t, int utc_offset_minutes) {
  int v[7];
  for (int i = 0; i < 7; ++i) {
    v[i] = from_bcd(t.bcd[i]);
    if (v[i] < 0) return std::nullopt;  // includes the all-0xFF "no time"
  }
  const int year = v[0] * 100 + v[1], month = v[2], day = v[3];
  const int hour = v[4], minute = v[5], second = v[6];
  // The calendar check and day count wall_time.cpp uses (std::chrono), not one of our own.
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - static_cast<std::int64_t>(utc_offset_minutes) * 60;
  return seconds * 1000;
}

AbsoluteTime make_absolute_time(int year, int month, int day, int hour, int minute, int second) {
  AbsoluteTime t;
  t.bcd[0] = to_bcd(year / 100);
  t.bcd[1] = to_bcd(year % 100);
  t.bcd[2] = to_bcd(month);
  t.bcd[3] = to_bcd(day);
  t.bcd[4] = to_bcd(hour);
  t.bcd[5] = to_bcd(minute);
  t.bcd[6] = to_bcd(second);
  t.bcd[7] = 0;
  return t;
}

}  // namespace vigil::intellivue
