#pragma once
// One Philips IntelliVue monitor (Data Export protocol) for one chair, over UDP or MIB
// serial (intellivue_link.hpp).
//
//   IvLink --message--> intellivue::Session --complete poll result--> ReadingMapper --> Sink
//     ^                      | association, MDS create answer, polls, keep-alives
//     +----------------------+ (sent as the session asks; a timer wakes it at next_deadline)
//
// Link states (the serial S/5's LinkState, reported when the state or its detail changes):
//   Connected  link up, associating or associated but no poll result yet
//   Receiving  poll results arrive
//   Silent     the association was dropped because poll results stopped (re-associating)
//   Lost       refused, aborted, no answer, or the port/socket failed; detail says why and
//              names the likely cause (intellivue::describe)
//
// Unmapped numerics: the mapper returns every unknown numeric in every poll (once a
// second). Only the first sighting of each code per association is stored; later ones are
// counted (unmapped_repeats). At most kIvMaxUnmappedCodes codes are remembered per
// association; codes beyond that are counted, never stored.
//
// NIBP: the mapper (one per monitor, kept across re-associations) announces each result
// once (by its measurement timestamp), also when the monitor repeats it after a reboot.
//
// Threading: the daemon's io thread only. Not copyable.

#include <utility>  // before Asio (Boost 1.74 in C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "daemon/intellivue_link.hpp"
#include "daemon/serial_monitor.hpp"
#include "intellivue/reading_mapper.hpp"
#include "intellivue/session.hpp"
#include "store/records.hpp"

namespace vigil::daemon {

inline constexpr std::size_t kIvMaxUnmappedCodes = 64;

struct IntelliVueMonitorOptions {
  intellivue::SessionOptions session;
  intellivue::MapperOptions mapper;
  std::function<WallMillis()> wall_clock;  // received_at_ms; empty: vigil::wall_now_ms
};

struct IntelliVueCounters {
  std::uint64_t readings = 0;
  std::uint64_t unmapped_stored = 0;
  std::uint64_t unmapped_repeats = 0;  // already stored this association, or past the code bound
};

class IntelliVueMonitor {
 public:
  using Sink = std::function<void(store::WriteBatch batch)>;
  using LinkStateFn = SerialMonitor::LinkStateFn;
  using LinkFactory = std::function<std::unique_ptr<IvLink>(IvLinkCallbacks)>;

  /// `source` becomes Reading::source, e.g. "intellivue:10.1.2.3:24105".
  IntelliVueMonitor(boost::asio::io_context& io, std::string bed, std::string source,
                    const LinkFactory& make_link, Sink sink, LinkStateFn on_link,
                    IntelliVueMonitorOptions options = {});
  ~IntelliVueMonitor();
  IntelliVueMonitor(const IntelliVueMonitor&) = delete;
  IntelliVueMonitor& operator=(const IntelliVueMonitor&) = delete;

  void start();
  /// Releases the association if there is one; no callback runs afterwards. Idempotent.
  void stop();

  LinkState state() const { return state_; }
  const IntelliVueCounters& counters() const { return counters_; }
  const intellivue::SessionCounters& session_counters() const { return session_.counters(); }
  const IvLinkCounters& link_counters() const { return link_->counters(); }

 private:
  void on_up();
  void on_down(const std::string& reason);
  void on_message(std::string_view bytes);
  void apply(intellivue::SessionOutput& out);
  void store(const intellivue::PollResultPart& result);
  void update_link_state(bool got_results);
  void arm_timer();
  void set_state(LinkState state, const std::string& detail);
  WallMillis now() const;

  std::string bed_;
  std::string source_;
  IntelliVueMonitorOptions options_;
  Sink sink_;
  LinkStateFn on_link_;
  intellivue::Session session_;
  intellivue::ReadingMapper mapper_;
  intellivue::SessionOutput out_;        // scratch, reused
  std::set<std::string> unmapped_seen_;  // codes stored this association (bounded)
  boost::asio::steady_timer timer_;
  LinkState state_ = LinkState::Lost;
  std::string detail_;  // of the last reported state
  bool reported_ = false;
  bool stopped_ = false;
  IntelliVueCounters counters_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unique_ptr<IvLink> link_;  // last: its callbacks use the members above
};

}  // namespace vigil::daemon
