#pragma once
// HL7 messages answered, by ACK code and by source (the sending device: OBX-18, else MSH-3,
// else MSH-4), for vigild's metrics. Sources are outside text, so the tally is bounded:
// the first kMaxSources distinct sources are counted by name, every later one as "other";
// a name is cut to kMaxSourceBytes (at a UTF-8 boundary) and "" counts as "unknown".
//
// Threading: io thread only (the receiver's).

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace vigil::daemon {

class AckTally {
 public:
  static constexpr std::size_t kMaxSources = 256;
  static constexpr std::size_t kMaxSourceBytes = 64;
  static constexpr const char* kOther = "other";
  // Indexes: 0 AA, 1 AE, 2 AR.
  using Counts = std::array<std::uint64_t, 3>;

  void count(std::string_view source, std::size_t code_index);
  // By source name (sorted), "other" included once anything overflowed.
  const std::map<std::string, Counts, std::less<>>& by_source() const { return counts_; }

 private:
  std::map<std::string, Counts, std::less<>> counts_;
  std::size_t named_ = 0;  // entries other than "other"
};

// `text` cut to at most `max_bytes`, never inside a UTF-8 sequence.
std::string clip_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace vigil::daemon
