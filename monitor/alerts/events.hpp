#pragma once
// Inputs besides readings: what the device layer and the daemon itself report.

#include <cstdint>
#include <string>

namespace vigil::alerts {

enum class DeviceEventKind : std::uint8_t {
  Heartbeat,   // link alive without data (keeps T1 quiet)
  NibpFailed,  // the monitor reported a failed NIBP measurement (T4); code/text verbatim
  ProbeOff,    // SpO2 probe off / no pulse (T6)
  ProbeOn,     // probe back
  Unreadable,  // the monitor sent observations Vigil cannot read (T8 "unreadable:<source>"); text says which
  LinkDown,    // a link Vigil opens itself (IntelliVue) delivers nothing; text says why (T8 "link:<source>")
  LinkUp,      // that link delivers again
};

/// An event from a monitor link, already resolved to a chair.
struct DeviceEvent {
  std::string bed;
  std::string source;  // device identity, as in Reading::source
  DeviceEventKind kind = DeviceEventKind::Heartbeat;
  std::string code;  // the monitor's error code, verbatim
  std::string text;
};

enum class SystemEventKind : std::uint8_t {
  LogWriteFailed,
  LogWriteOk,  // alarm log (T8)
  AudioFailed,
  AudioOk,    // audio output (T8, HIGH)
  ClockSkew,  // ignored: monitor clocks are measured per source from readings
  ForwardFailed,
  ForwardOk,  // hospital link: nothing delivered for link_alert_s (T8)
  ForwardWarning,
  ForwardWarningOk,  // a forwarded message refused (AE) or readings dropped (T8)
  DiskSpaceLow,
  DiskSpaceOk,  // the database's filesystem below its free-space minimum (T8)
  ChairsFull,
  ChairsOk,  // a message for a new chair refused: max_chairs reached (T8)
  Restarted,
  RestartNoticeOver,  // vigild started again after an abnormal stop (watchdog, crash) (T8)
  EscalationMailFailed,
  EscalationMailOk,  // the SMTP relay did not take an escalation mail (T8)
};

/// A condition of the daemon itself; raises T8 on every chair.
struct SystemEvent {
  SystemEventKind kind = SystemEventKind::LogWriteFailed;
  double clock_skew_s = 0;
  std::string detail;
};

}  // namespace vigil::alerts
