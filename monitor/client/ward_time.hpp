#pragma once
// Times from the daemon are clamped to 1970..2096 before any arithmetic in the ward model:
// a garbled value must not overflow a subtraction (it shows a nonsense age, never a crash).

#include <algorithm>
#include <cstdint>

namespace vigil::client {

inline constexpr std::int64_t kMaxWallMs = 4'000'000'000'000;

inline std::int64_t sane_ms(std::int64_t t) { return std::clamp<std::int64_t>(t, 0, kMaxWallMs); }

}  // namespace vigil::client
