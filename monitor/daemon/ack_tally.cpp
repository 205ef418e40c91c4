#include "daemon/ack_tally.hpp"

namespace vigil::daemon {

std::string clip_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

void AckTally::count(std::string_view source, std::size_t code_index) {
  if (code_index >= 3) return;
  const std::string name = source.empty() ? std::string("unknown") : clip_utf8(source, kMaxSourceBytes);
  auto it = counts_.find(name);
  if (it == counts_.end()) {
    if (named_ >= kMaxSources) {
      ++counts_[kOther][code_index];
      return;
    }
    if (name != kOther) ++named_;
    it = counts_.emplace(name, Counts{}).first;
  }
  ++it->second[code_index];
}

}  // namespace vigil::daemon
