#pragma once
// HL7 semantics of vigild: what one ORU message means and what its sender is told.
//
//   message --ingest_message--> [not usable] --> AE/AR at once, nothing stored
//           --> [same MSH-10 and bytes as a recent one from this source] --> ACK again, not stored
//           --> bed (BedResolver) --> [no bed] AE 101 / [chair cap] AR (ChairBounds)
//           --> AlertService::enrich (the engine sees the readings first)
//           --> Journal::write --(after the commit)--> AA/AE, or AR 207 if it failed
//
// A message whose observations could not be read is logged as unmapped (vigilctl
// unmapped) and raises T8 "unreadable" on the chair before its AE is sent; a mixed message
// stores its readings and the unreadable rest, and is answered AA with ERR segments of
// severity W. A monitor that missed our ACK resends the same message: storing it twice
// would put a phantom repeat reading on the chart (and could "confirm" an NIBP alarm by
// itself), so recent (MSH-10, digest) pairs are remembered per source.
//
// Threading: io thread only; `reply` runs there too, maybe later (after the commit).

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "daemon/ack_tally.hpp"
#include "daemon/alert_service.hpp"
#include "daemon/bed_board.hpp"
#include "daemon/bed_resolver.hpp"
#include "daemon/chair_bounds.hpp"
#include "daemon/daemon_clock.hpp"
#include "daemon/journal.hpp"
#include "hl7/ingest.hpp"

namespace vigil::daemon {

struct Hl7Stats {
  std::uint64_t messages = 0;
  std::uint64_t acked_aa = 0;
  std::uint64_t acked_ae = 0;
  std::uint64_t acked_ar = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;  // answered AR by reject() (rate limits) or the chair cap, never stored
  // Text encoding (hl7/charset.hpp): bytes replaced by U+FFFD, messages that had any, and
  // messages whose MSH-18 named a set we do not honour (read as UTF-8, else 8859/1).
  std::uint64_t replaced_characters = 0;
  std::uint64_t messages_with_replacements = 0;
  std::uint64_t unknown_charsets = 0;
};

class Hl7Receiver {
 public:
  // Gets the MLLP-framed ACK once it may be sent. Runs on the io thread.
  using Reply = std::function<void(std::string framed_ack)>;
  // `chairs` is asked for each message's chair before anything is stored: a text means the
  // chair may not be added (the message is answered AR with it, nothing stored).
  Hl7Receiver(const DaemonClock& clock, Journal& journal, AlertService& alerts, BedBoard& board,
              ChairBounds& chairs, BedResolver resolver, hl7::MapOptions options);

  void handle(std::string_view message, Reply reply);

  // HL7 table 0357 code for a message refused because its source sends too fast.
  static constexpr int kRateLimitedError = 207;  // application internal error: resend later

  // Answers `message` AR with `why` at once, without storing anything (e.g. over its
  // source's rate). Counted in stats (messages, acked_ar, rejected).
  void reject(std::string_view message, std::string_view why, int error_code, Reply reply);

  // HL7 table 0357 code for a message over the MLLP size bound: application internal error
  // (the table has no code for size; the text says what happened).
  static constexpr int kOversizeError = 207;

  // Answers AR "message of N bytes is over the limit of L; not stored" for a frame over the
  // MLLP bound, of which only `head`, its first bytes, was kept: its MSH segment gives the
  // control id, separators and sender (none: an AR with an empty MSA-2). Counted as reject().
  void reject_oversize(std::string_view head, std::size_t frame_bytes, std::size_t limit, Reply reply);

  // Drops what is remembered about `source` (duplicate detection), for a forgotten chair.
  void forget_source(const std::string& source) { recent_.erase(source); }

  const Hl7Stats& stats() const { return stats_; }
  // Answers by ACK code and source (bounded: ack_tally.hpp), for the metrics port.
  const AckTally& ack_tally() const { return tally_; }

 private:
  struct SeenMessage;
  bool is_duplicate(const std::string& source, const SeenMessage& message) const;
  void remember(const std::string& source, const SeenMessage& message);
  std::string ack_for(const hl7::IngestResult& result, hl7::AckCode code, std::string_view text,
                      int error_code, bool with_observation_errors = false);
  void note_text_problems(const hl7::IngestResult& result);
  store::WriteBatch batch_for(hl7::IngestResult& result, const std::string& bed, WallMillis now) const;
  void report_device_trouble(const hl7::IngestResult& result, const store::WriteBatch& batch,
                             const std::string& bed);

  const DaemonClock& clock_;
  Journal& journal_;
  AlertService& alerts_;
  BedBoard& board_;
  ChairBounds& chairs_;
  BedResolver resolver_;
  hl7::MapOptions options_;
  Hl7Stats stats_;
  AckTally tally_;
  std::uint64_t ack_counter_ = 0;

  // A stored message, by the hash of its MSH-10 and the hash of its whole text (which holds
  // MSH-10 too): a different message passes for a resend only if both 64-bit hashes agree.
  // 16 bytes, not the id's text: at 10,000 chairs the 64 kept per sender were 4 KiB a chair
  // (a deque and a heap string each), the largest part of a chair's memory.
  struct SeenMessage {
    std::size_t id_hash = 0;
    std::size_t digest = 0;
  };
  static constexpr std::size_t kRecentPerSource = 64;
  struct RecentMessages {
    std::array<SeenMessage, kRecentPerSource> seen{};
    std::size_t count = 0;  // filled slots; the next goes to count % kRecentPerSource
  };
  // Bounded: kRecentPerSource per source, kMaxSources sources (hl7_receiver.cpp).
  std::unordered_map<std::string, RecentMessages> recent_;
};

}  // namespace vigil::daemon
