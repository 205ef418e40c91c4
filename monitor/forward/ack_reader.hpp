#pragma once
// Reads the engine's answer to a forwarded message: MSA-1 (AA/AE/AR, or CA/CE/CR in
// enhanced mode), MSA-2 (must echo our MSH-10) and the reason text (MSA-3, else ERR-8,
// else ERR-7).

#include <optional>
#include <string>
#include <string_view>

namespace vigil::forward {

enum class AckVerdict {
  Accepted,  // AA, CA: delivered
  Error,     // AE, CE: the engine will never take this message: skip it, warn
  Reject,    // AR, CR: the engine cannot take it now: resend later
};

struct AckInfo {
  AckVerdict verdict = AckVerdict::Reject;
  std::string code;        // MSA-1 as received
  std::string control_id;  // MSA-2, unescaped
  std::string text;        // MSA-3, else ERR-8/ERR-7, unescaped; may be empty
};

/// nullopt when `message` is not an ACK we can read (no MSH, no MSA, unknown MSA-1).
std::optional<AckInfo> read_ack(std::string_view message);

}  // namespace vigil::forward
