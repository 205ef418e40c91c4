#pragma once
// Starts a retention run (store/retention.hpp) at start-up and then every hour, with the
// daemon's clock as its "now", and puts what each run did in the journal: info when it went
// through, err when it failed (the run's own config_log row says the same in the database).
// A run still going when the next is due is left to finish; its bound (max_rows_per_run per
// table) is what keeps a backlog from holding the writer for long.
//
// Threading: io thread. The store reports on its writer thread; the report is posted here.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "daemon/daemon_clock.hpp"
#include "store/store.hpp"

namespace vigil::daemon {

class RetentionSchedule {
 public:
  RetentionSchedule(boost::asio::io_context& io, store::Store& store, const DaemonClock& clock,
                    store::RetentionPolicy policy, std::chrono::milliseconds period = std::chrono::hours(1));
  ~RetentionSchedule();
  // Asks for a run now, then every period until destroyed.
  void start();

 private:
  void run_now();
  void arm();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  store::Store& store_;
  const DaemonClock& clock_;
  store::RetentionPolicy policy_;
  std::chrono::milliseconds period_;
  std::shared_ptr<bool> alive_;  // a report posted after we are gone is dropped
};

// "archive" beside the database: the default archive directory.
std::string default_archive_dir(const std::string& db_path);

}  // namespace vigil::daemon
