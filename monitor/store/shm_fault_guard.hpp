#pragma once
// Keeps a fault in SQLite's mapped wal-index (the database's "-shm" file) from killing the
// process with SIGBUS.
//
// In WAL mode every connection maps DB-shm with MAP_SHARED. If that file is truncated, made
// immutable (ext4 refuses the write fault), or its filesystem cannot back a page, the next
// access to the mapping raises SIGBUS, whose default action kills the daemon at once, in
// the middle of a commit, without a word. Two ways out were weighed:
//  - PRAGMA locking_mode=EXCLUSIVE keeps the wal-index in heap memory (no -shm at all), but
//    then no other connection can read the database while vigild runs: not vigilctl, not
//    the daemon's own report and restart queries. Not acceptable.
//  - This guard: a SIGBUS handler that, only for an address inside a mapping of a file whose
//    name ends in "-shm", maps an anonymous page over the faulting page (so the instruction
//    can complete), counts the fault and returns. The store checks the count before and
//    after every commit; from the first fault on, the wal-index this process sees is no
//    longer the shared one, so the store refuses every further write (AR + T8, see
//    store.cpp) instead of acknowledging anything. Any other SIGBUS gets the default action,
//    exactly as without the guard.
//
// Threading: install once, early in main (process-wide signal disposition); shm_faults() is
// safe from any thread.

#include <cstdint>

namespace vigil::store {

// Installs the handler (idempotent). Returns false if sigaction failed.
bool install_shm_fault_guard();

// SIGBUS faults absorbed in a -shm mapping since start.
std::uint64_t shm_faults();

}  // namespace vigil::store
