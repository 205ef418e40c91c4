#pragma once
// Text in alert messages: numbers ("186", "37.5": no trailing zeros, one decimal at most)
// and device-supplied words cut to a bound.

#include <cmath>
#include <cstdio>
#include <string>

namespace vigil::alerts {

inline std::string num(double v) {
  char buf[32];
  const double r = std::round(v * 10) / 10;
  if (r == std::floor(r))
    std::snprintf(buf, sizeof buf, "%.0f", r);
  else
    std::snprintf(buf, sizeof buf, "%.1f", r);
  return buf;
}

/// "+44" / "-12" for rises.
inline std::string signed_num(double v) { return (v >= 0 ? "+" : "") + num(v); }

/// `s` cut to at most `n` bytes: sources, codes and details come from devices and peers.
inline std::string clip(const std::string& s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n); }

}  // namespace vigil::alerts
