#pragma once
// The high-contrast palette: black background, white values, IEC alarm colours. The smoke
// test looks for these exact colours in screenshots (kept in one place for that reason).

#include <imgui.h>

#include "model/model_views.hpp"

namespace vigil::dashboard::palette {

inline constexpr ImU32 kBackground = IM_COL32(0, 0, 0, 255);
inline constexpr ImU32 kTile = IM_COL32(18, 18, 22, 255);
inline constexpr ImU32 kText = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kStale = IM_COL32(120, 120, 120, 255);  // a value older than its cycle
inline constexpr ImU32 kLabel = IM_COL32(190, 190, 200, 255);
inline constexpr ImU32 kRed = IM_COL32(235, 0, 0, 255);       // HIGH
inline constexpr ImU32 kRedDark = IM_COL32(80, 0, 0, 255);    // HIGH, dark half of the flash
inline constexpr ImU32 kYellow = IM_COL32(255, 215, 0, 255);  // MEDIUM
inline constexpr ImU32 kYellowDark = IM_COL32(85, 72, 0, 255);
inline constexpr ImU32 kCyan = IM_COL32(0, 215, 235, 255);        // LOW
inline constexpr ImU32 kAdvisory = IM_COL32(150, 150, 255, 255);  // advisories: not an alarm
inline constexpr ImU32 kLinkLost = IM_COL32(255, 120, 0, 255);    // NO DATA banner
inline constexpr ImU32 kOk = IM_COL32(0, 200, 80, 255);

// The fill for an alert in its current flash phase.
ImU32 alert_fill(AlertColour colour, bool lit);
// Text colour readable on alert_fill().
ImU32 alert_text(AlertColour colour, bool lit);

}  // namespace vigil::dashboard::palette
