#include "common/wall_time.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace vigil {

namespace {
// RFC 3339 has four-digit years: a device stamp outside them (a corrupt or never-set clock)
// is shown at the nearest end of the range rather than as a malformed or wrapped date.
constexpr WallMillis kFirstMs = -62'167'219'200'000;  // 0000-01-01T00:00:00Z
constexpr WallMillis kLastMs = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
}  // namespace

std::string format_rfc3339(WallMillis ms) {
  ms = std::clamp(ms, kFirstMs, kLastMs);
  std::int64_t secs = ms / 1000;
  std::int64_t frac = ms % 1000;
  if (frac < 0) {
    frac += 1000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return ms < 0 ? "0000-01-01T00:00:00Z" : "9999-12-31T23:59:59Z";
  char buf[64];
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(frac));
  }
  return buf;
}

namespace {

bool read_int(std::string_view& s, std::size_t digits, int& out) {
  if (s.size() < digits) return false;
  int v = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  s.remove_prefix(digits);
  return true;
}

bool eat(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<WallMillis> parse_time_arg(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // A bare integer: epoch milliseconds.
  if (s.find_first_not_of("0123456789") == std::string_view::npos && s.size() > 8) {
    WallMillis v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return v;
    return std::nullopt;
  }
  int year = 0, mon = 0, day = 0, hh = 0, mm = 0, ss = 0, millis = 0;
  if (!read_int(s, 4, year) || !eat(s, '-') || !read_int(s, 2, mon) || !eat(s, '-') || !read_int(s, 2, day))
    return std::nullopt;
  int offset_min = 0;
  if (!s.empty()) {
    if (!eat(s, 'T') && !eat(s, 't') && !eat(s, ' ')) return std::nullopt;
    if (!read_int(s, 2, hh) || !eat(s, ':') || !read_int(s, 2, mm)) return std::nullopt;
    if (eat(s, ':')) {
      if (!read_int(s, 2, ss)) return std::nullopt;
      if (eat(s, '.')) {
        int scale = 100;
        if (s.empty() || s[0] < '0' || s[0] > '9') return std::nullopt;
        while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
          millis += (s[0] - '0') * scale;
          scale /= 10;
          s.remove_prefix(1);
        }
      }
    }
    if (eat(s, 'Z') || eat(s, 'z')) {
    } else if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      int sign = s[0] == '-' ? -1 : 1;
      s.remove_prefix(1);
      int oh = 0, om = 0;
      if (!read_int(s, 2, oh)) return std::nullopt;
      eat(s, ':');
      if (!read_int(s, 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_min = sign * (oh * 60 + om);
    }
    if (!s.empty()) return std::nullopt;
  }
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(mon)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  auto days_since = sys_days{ymd}.time_since_epoch().count();
  WallMillis ms = ((static_cast<WallMillis>(days_since) * 24 + hh) * 60 + mm) * 60 * 1000 +
                  static_cast<WallMillis>(ss) * 1000 + millis;
  ms -= static_cast<WallMillis>(offset_min) * 60 * 1000;
  return ms;
}

WallMillis wall_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace vigil
