#pragma once
// The alarm priority a screen signals (drawn, flashed, sounded). Apart from the ward views so
// the tone and audio code, which need nothing else, can use it.

namespace vigil::client {

// IEC 60601-1-8 priority of an alert as a screen signals it; None when there is nothing to
// signal. Ordered like proto::Priority (priority_rank), with None below LOW.
enum class Priority { None = 0, Low = 1, Medium = 2, High = 3 };

}  // namespace vigil::client
