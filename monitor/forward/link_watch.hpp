#pragma once
// When a broken hospital link becomes an alarm, and how long a forwarding warning stays up.
// Pure: the forwarder reports what happens with the time it happened, and asks what to show.
//
//   delivered / idle & connected ──► OK ◄────────────────────────┐
//        │ connect failed, disconnect, timeout, AR               │ delivered (AA/AE)
//        ▼                                                       │
//     FAILING since t ── t + link_alert ──► DOWN (alarm raised) ─┘ (alarm resolved)
//
//   warn(now, why) ──► WARNING ── warning_hold without another warn ──► cleared
//
// Threading: none (owned by the forwarder on the io thread).

#include <chrono>
#include <optional>
#include <string>

namespace vigil::forward {

class LinkWatch {
 public:
  using Clock = std::chrono::steady_clock;
  LinkWatch(std::chrono::seconds link_alert, std::chrono::seconds warning_hold)
      : link_alert_(link_alert), warning_hold_(warning_hold) {}

  /// Something failed (`why` is shown in the alarm); starts the clock if not running.
  void failed(Clock::time_point now, const std::string& why);
  /// The link works: a message was answered, or it is connected with nothing to send.
  void delivered();
  /// AE or dropped readings: a warning until warning_hold passes without another.
  void warn(Clock::time_point now, const std::string& why);

  /// What should be shown now.
  struct View {
    bool down = false;
    std::string down_detail;
    bool warning = false;
    std::string warning_detail;
    bool operator==(const View&) const = default;
  };
  View view(Clock::time_point now) const;

 private:
  std::chrono::seconds link_alert_, warning_hold_;
  std::optional<Clock::time_point> failing_since_;
  std::string why_;
  std::optional<Clock::time_point> warned_at_;
  std::string warning_;
};

}  // namespace vigil::forward
