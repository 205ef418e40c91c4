// Benchmark, not a test: how many HL7-like messages per second the store acknowledges when
// K senders each wait for their commit (the AA) before sending the next message, and how
// many batches group commit packs into one transaction. Prints numbers; asserts nothing.
//
//   store_bench [senders=16] [messages_per_sender=200] [db=/tmp/vigil-bench.db]
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace {

// One sender: submit, wait for done(), repeat. Like an MLLP connection waiting for its AA.
void sender(vigil::store::Store& store, int index, int messages) {
  std::mutex mu;
  std::condition_variable cv;
  for (int i = 0; i < messages; ++i) {
    vigil::store::WriteBatch batch;
    for (auto kind : {vigil::VitalKind::NibpSys, vigil::VitalKind::NibpDia, vigil::VitalKind::HeartRate}) {
      vigil::Reading r;
      r.bed = "BED" + std::to_string(index);
      r.kind = kind;
      r.value = 100 + i % 50;
      r.measured_at_ms = 1'700'000'000'000 + i * 1000;
      r.received_at_ms = r.measured_at_ms + 5;
      r.source = "BENCH";
      batch.readings.push_back(r);
    }
    bool done = false;
    while (!store.submit(batch, [&](vigil::store::WriteOutcome) {
      std::lock_guard lock(mu);
      done = true;
      cv.notify_one();
    })) {
      store.flush();  // queue full: wait for room
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
  }
}

}  // namespace

int main(int argc, char** argv) {
  int senders = argc > 1 ? std::atoi(argv[1]) : 16;
  int messages = argc > 2 ? std::atoi(argv[2]) : 200;
  std::string path = argc > 3 ? argv[3] : "/tmp/vigil-bench.db";
  if (senders < 1 || messages < 1) {
    std::fprintf(stderr, "usage: store_bench [senders] [messages_per_sender] [db]\n");
    return 2;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  try {
    vigil::store::Store store({path});
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < senders; ++i) threads.emplace_back(sender, std::ref(store), i, messages);
    for (auto& t : threads) t.join();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto s = store.stats();
    std::printf(
        "senders=%d messages=%llu transactions=%llu batches/txn=%.1f msgs/s=%.0f failed=%llu\n", senders,
        static_cast<unsigned long long>(s.batches), static_cast<unsigned long long>(s.transactions),
        static_cast<double>(s.batches) / static_cast<double>(s.transactions ? s.transactions : 1),
        static_cast<double>(s.batches) / secs, static_cast<unsigned long long>(s.failed_transactions));
  } catch (const vigil::store::StoreError& e) {
    std::fprintf(stderr, "store_bench: %s\n", e.what());
    return 1;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return 0;
}
