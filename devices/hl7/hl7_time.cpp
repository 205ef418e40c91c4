#include "hl7/hl7_time.hpp"

#include <cstdint>
#include <cstdio>

namespace vigil::hl7 {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-days algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `count` digits at `pos`; false when they are not all there.
bool digits(std::string_view s, std::size_t& pos, std::size_t count, int& value) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  value = v;
  pos += count;
  return true;
}

bool at_digit(std::string_view s, std::size_t pos) {
  return pos < s.size() && s[pos] >= '0' && s[pos] <= '9';
}

}  // namespace

std::optional<WallMillis> parse_hl7_time(std::string_view s, int default_utc_offset_minutes) {
  std::size_t pos = 0;
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
  if (!digits(s, pos, 4, year)) return std::nullopt;
  // Each further part is optional, but only in order and only as two full digits.
  int* const parts[] = {&month, &day, &hour, &minute, &second};
  for (int* part : parts) {
    if (!at_digit(s, pos)) break;
    if (!digits(s, pos, 2, *part)) return std::nullopt;
  }
  if (pos < s.size() && s[pos] == '.') {
    if (pos != 14) return std::nullopt;  // fractions only after full seconds
    ++pos;
    std::size_t count = 0;
    int scale = 1000;
    while (at_digit(s, pos) && count < 4) {
      scale /= 10;
      millis += (s[pos] - '0') * scale;  // the 4th digit (1/10 ms) adds 0: truncated
      ++pos;
      ++count;
    }
    if (count == 0 || at_digit(s, pos)) return std::nullopt;
  }
  int offset = default_utc_offset_minutes;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int hh = 0, mm = 0;
    if (!digits(s, pos, 2, hh) || !digits(s, pos, 2, mm)) return std::nullopt;
    if (hh > 14 || mm > 59) return std::nullopt;
    offset = sign * (hh * 60 + mm);
  }
  if (pos != s.size()) return std::nullopt;
  if (month < 1 || month > 12) return std::nullopt;
  if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t local_seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  return (local_seconds - static_cast<std::int64_t>(offset) * 60) * 1000 + millis;
}

std::string format_hl7_time(WallMillis ms, int utc_offset_minutes) {
  std::string out;
  append_hl7_time(out, ms, utc_offset_minutes);
  return out;
}

void append_hl7_time(std::string& out, WallMillis ms, int utc_offset_minutes) {
  // Floor division so times before 1970 still format.
  std::int64_t seconds = ms / 1000;
  if (ms % 1000 < 0) --seconds;
  seconds += static_cast<std::int64_t>(utc_offset_minutes) * 60;
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  const char sign = utc_offset_minutes < 0 ? '-' : '+';
  const int hh = static_cast<int>(rem / 3600), mi = static_cast<int>(rem / 60 % 60),
            ss = static_cast<int>(rem % 60);
  if (y < 0 || y > 9999 || off >= 100 * 60) {
    // Outside what fixed-width digits hold: the general (slower) formatter.
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%04lld%02u%02u%02d%02d%02d%c%02d%02d",
                                static_cast<long long>(y), m, d, hh, mi, ss, sign, off / 60, off % 60);
    out.append(buf, static_cast<std::size_t>(n));
    return;
  }
  // Every ACK carries one of these (MSH-7): digits by hand, snprintf is slow.
  char buf[19];
  auto put = [&buf](std::size_t at, unsigned value, std::size_t width) {
    for (std::size_t i = width; i-- > 0; value /= 10) buf[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(y), 4);
  put(4, m, 2);
  put(6, d, 2);
  put(8, static_cast<unsigned>(hh), 2);
  put(10, static_cast<unsigned>(mi), 2);
  put(12, static_cast<unsigned>(ss), 2);
  buf[14] = sign;
  put(15, static_cast<unsigned>(off / 60), 2);
  put(17, static_cast<unsigned>(off % 60), 2);
  out.append(buf, sizeof buf);
}

}  // namespace vigil::hl7
