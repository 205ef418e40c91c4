#pragma once
// Faults a test switches on in a running Store, to walk its failure paths deterministically.
// Compiled in always and inert unless one is passed in StoreOptions::faults; vigild passes
// none, so production code has no test-only entry points.
//
//   auto faults = std::make_shared<StoreFaults>();
//   Store store({.path = ..., .faults = faults});
//   faults->pause_writer();  ... submit, submit ...  faults->resume_writer();
//
// Threading: any thread. The store's writer thread reads the switches; resume_writer()
// wakes it.

#include <atomic>
#include <functional>
#include <mutex>

namespace vigil::store {

class StoreFaults {
 public:
  // While paused the writer takes nothing from the queue (the store's destructor still
  // drains it), so a test can pile up submissions.
  void pause_writer();
  void resume_writer();
  // The write connection refuses writes (PRAGMA query_only) from the next transaction on:
  // a real SQLite failure path (running as root, chmod stops nothing).
  void set_read_only(bool read_only);

  bool writer_paused() const { return paused_.load(); }
  bool read_only() const { return read_only_.load(); }

  // For Store only: how to wake the writer of the store using these faults (empty to
  // detach, before that store goes).
  void attach(std::function<void()> wake);

 private:
  std::atomic<bool> paused_{false};
  std::atomic<bool> read_only_{false};
  std::mutex mu_;  // guards wake_: the store may detach while a test resumes
  std::function<void()> wake_;
};

}  // namespace vigil::store
