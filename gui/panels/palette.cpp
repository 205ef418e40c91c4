#include "panels/palette.hpp"

namespace vigil::dashboard::palette {

ImU32 alert_fill(AlertColour colour, bool lit) {
  switch (colour) {
    case AlertColour::Red: return lit ? kRed : kRedDark;
    case AlertColour::Yellow: return lit ? kYellow : kYellowDark;
    case AlertColour::Cyan: return kCyan;
    case AlertColour::Advisory: break;
  }
  return kTile;  // advisories: outlined, not filled
}

ImU32 alert_text(AlertColour colour, bool lit) {
  switch (colour) {
    case AlertColour::Red: return kText;
    case AlertColour::Yellow: return lit ? IM_COL32(0, 0, 0, 255) : kText;
    case AlertColour::Cyan: return IM_COL32(0, 0, 0, 255);
    case AlertColour::Advisory: break;
  }
  return kAdvisory;
}

}  // namespace vigil::dashboard::palette
