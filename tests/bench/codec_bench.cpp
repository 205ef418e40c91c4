// Benchmark, not a test: one core's codec throughput (how many beds one core can decode).
//   BM_Hl7Ingest          MLLP deframe + HL7 parse + map to readings, as vigild does it
//                         (feed_each + ingest_message), the byte stream fed in socket-sized
//                         chunks
//   BM_Hl7IngestAck       the same plus the framed ACK vigild sends for each message
//   BM_S5Stream           S/5 deframe + record decode + reading mapper over a serial stream
// Arguments: chunk = bytes per read; sim = 0 for the typical ~800-byte message, 1 for
// vigil-sim's IHE style (~970 bytes). Reports messages/s (items_per_second), bytes/s and
// heap allocations per message ("allocs/msg", from the counting operator new below).
// Prints figures; asserts nothing, but a run whose output is not what the typical message
// should give stops with an error.
//
//   vigil-bench-codec [--benchmark_filter=Hl7Ingest] [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "datex/s5_decoder.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_encoder.hpp"
#include "datex/s5_reading_mapper.hpp"
#include "hl7/ack_builder.hpp"
#include "hl7/ingest.hpp"
#include "hl7/mllp_deframer.hpp"

// --- allocation counting -----------------------------------------------------------------
// Every global operator new lands here; the benchmarks read the count around their loop.
// Single-threaded benchmarks, but the counter is atomic so a library thread cannot tear it.
namespace {
std::atomic<std::uint64_t> g_allocations{0};

void* counted_alloc(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace vigil;

constexpr int kStreamMessages = 64;
constexpr WallMillis kNow = 1'790'000'000'000;

// --- the typical HL7 message -------------------------------------------------------------
// What an IHE PCD-01 monitor pushes every few seconds: MSH (as in
// tests/data/hl7/ihe-pcd01-nibp.hl7), PV1 with the chair, an OBR, then HR, SpO2 and the
// NIBP triple, each with OBX-14; OBX-18 (equipment id) on the first row. About 800 bytes.
// `vigil_sim` gives vigil-sim's IHE style instead (MSH-21 profile and OBX-18 on every row,
// about 945 bytes). Only MSH-10 and the values change from message to message.
std::string typical_oru(int n, bool vigil_sim) {
  const std::string id = "MSG" + std::to_string(100000 + n);
  const std::string ts = "20261121101500+0000";
  auto obx = [&](int set, const char* code, const char* sub, int value, const char* unit) {
    std::string row = "OBX|" + std::to_string(set) + "|NM|" + code + "|" + sub + "|" + std::to_string(value) +
                      "|" + unit + "|||||R|||" + ts;
    if (set == 1 || vigil_sim) row += "||||0123456789ABCDEF^EUI-64";
    return row + "\r";
  };
  std::string msh =
      "MSH|^~\\&|AcmeInc^ACDE48234567ABCD^EUI-64||||" + ts + "||ORU^R01^ORU_R01|" + id + "|P|2.6|||NE|AL";
  if (vigil_sim) msh += "|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO";
  return msh +
         "\r"
         "PV1||I|^^CHAIR3\r"
         "OBR|1|" +
         id + "^AcmeInc^ACDE48234567ABCD^EUI-64||182777000^monitoring of patient^SCT|||" + ts + "\r" +
         obx(1, "147842^MDC_ECG_HEART_RATE^MDC", "1.1.1.1", 70 + n % 20, "264864^MDC_DIM_BEAT_PER_MIN^MDC") +
         obx(2, "150456^MDC_PULS_OXIM_SAT_O2^MDC", "1.2.1.1", 94 + n % 6, "262688^MDC_DIM_PERCENT^MDC") +
         obx(3, "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "1.3.1.1", 120 + n % 40, "266016^MDC_DIM_MMHG^MDC") +
         obx(4, "150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "1.3.1.2", 80 + n % 20, "266016^MDC_DIM_MMHG^MDC") +
         obx(5, "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC", "1.3.1.3", 95 + n % 25, "266016^MDC_DIM_MMHG^MDC");
}

struct Hl7Stream {
  std::string bytes;  // kStreamMessages MLLP frames back to back
  std::size_t message_bytes = 0;
  std::string label;
};

// style 0: the typical message; 1: vigil-sim's IHE style.
const Hl7Stream& hl7_stream(std::int64_t style) {
  static const Hl7Stream streams[2] = {
      [] {
        Hl7Stream out;
        for (int i = 0; i < kStreamMessages; ++i) {
          const std::string m = typical_oru(i, false);
          out.message_bytes += m.size();
          out.bytes += hl7::mllp_wrap(m);
        }
        out.message_bytes /= kStreamMessages;
        out.label = std::to_string(out.message_bytes) + "-byte ORU^R01, 5 OBX";
        return out;
      }(),
      [] {
        Hl7Stream out;
        for (int i = 0; i < kStreamMessages; ++i) {
          const std::string m = typical_oru(i, true);
          out.message_bytes += m.size();
          out.bytes += hl7::mllp_wrap(m);
        }
        out.message_bytes /= kStreamMessages;
        out.label = std::to_string(out.message_bytes) + "-byte ORU^R01, 5 OBX, vigil-sim style";
        return out;
      }()};
  return streams[style ? 1 : 0];
}

// Counts allocations over the timed loop and publishes the figures every benchmark shares.
class Meter {
 public:
  explicit Meter(benchmark::State& state) : state_(state), start_(g_allocations.load()) {}
  void finish(std::int64_t messages_per_pass, std::int64_t bytes_per_pass) {
    const std::uint64_t allocs = g_allocations.load() - start_;
    const auto passes = static_cast<std::int64_t>(state_.iterations());
    state_.SetItemsProcessed(passes * messages_per_pass);
    state_.SetBytesProcessed(passes * bytes_per_pass);
    state_.counters["allocs/msg"] =
        static_cast<double>(allocs) / static_cast<double>(passes * messages_per_pass);
  }

 private:
  benchmark::State& state_;
  std::uint64_t start_;
};

// The path vigild runs for each HL7 message: views out of the deframer (feed_each), then
// ingest_message and, with kAck, the framed ACK with a fresh control id per message as
// vigild gives ("VIGIL<n>", mllp_wrap(build_ack(...))).
template <bool kAck>
void BM_Hl7(benchmark::State& state) {
  const Hl7Stream& s = hl7_stream(state.range(1));
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  hl7::MllpDeframer deframer;
  std::uint64_t ack_counter = 0;
  std::size_t readings = 0, acks = 0;
  auto on_message = [&](std::string_view m) {
    const hl7::IngestResult r = hl7::ingest_message(m, {});
    readings += r.readings.size();
    if constexpr (kAck) {
      const std::string ack =
          hl7::mllp_wrap(hl7::build_ack(r, kNow, "VIGIL" + std::to_string(++ack_counter)));
      acks += ack.size();
      benchmark::DoNotOptimize(ack.data());
    } else {
      acks += r.ack.control_id.size();
    }
  };
  Meter meter(state);
  for (auto _ : state) {
    for (std::size_t at = 0; at < s.bytes.size(); at += chunk) {
      deframer.feed_each(std::string_view(s.bytes).substr(at, chunk), on_message);
    }
  }
  meter.finish(kStreamMessages, static_cast<std::int64_t>(s.bytes.size()));
  if (readings != static_cast<std::size_t>(state.iterations()) * kStreamMessages * 5 || acks == 0) {
    state.SkipWithError("the typical message did not give 5 readings");
  }
  state.SetLabel(s.label);
}
BENCHMARK(BM_Hl7<false>)
    ->Name("BM_Hl7Ingest")
    ->ArgNames({"chunk", "sim"})
    ->ArgsProduct({{1448, 16384}, {0, 1}});
BENCHMARK(BM_Hl7<true>)
    ->Name("BM_Hl7IngestAck")
    ->ArgNames({"chunk", "sim"})
    ->ArgsProduct({{1448, 16384}, {0, 1}});

// --- S/5 -----------------------------------------------------------------------------------
// A displayed-values record every 5 s from a steady patient: HR, SpO2, pulse, T1, RR and
// the last NIBP result (repeated, as the monitor does; announced once).
std::string s5_stream() {
  std::string out;
  for (int i = 0; i < kStreamMessages; ++i) {
    datex::DisplayedValuesReply reply;
    reply.header.r_time = 1'790'000'000u + static_cast<std::uint32_t>(i) * 5;
    datex::BasicPhysdata& b = reply.basic;
    b.ecg = datex::active_group();
    b.ecg_hr = static_cast<std::int16_t>(70 + i % 20);
    b.nibp = datex::active_group(datex::nibp_label::kAuto);
    b.nibp_sys = datex::to_centi(128);
    b.nibp_dia = datex::to_centi(84);
    b.nibp_mean = datex::to_centi(99);
    b.nibp_hr = 70;
    b.temp[0] = datex::active_group();
    b.temp_c[0] = datex::to_centi(36.6);
    b.spo2 = datex::active_group();
    b.spo2_pct = datex::to_centi(97 + i % 3);
    b.spo2_pr = static_cast<std::int16_t>(72 + i % 10);
    b.co2 = datex::active_group();
    b.co2_rr = 14;
    reply.nibp_time = 1'790'000'000u - 20u + static_cast<std::uint32_t>(i / 32) * 300u;
    out += datex::encode_displayed_values(reply);
  }
  return out;
}

void BM_S5Stream(benchmark::State& state) {
  static const std::string bytes = s5_stream();
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  datex::S5Deframer deframer;
  datex::S5ReadingMapper mapper("datex-s5:/dev/ttyUSB0");
  std::vector<std::string> records;
  std::size_t readings = 0, decoded = 0;
  Meter meter(state);
  for (auto _ : state) {
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
      records.clear();
      deframer.feed(std::string_view(bytes).substr(at, chunk), records);
      for (const std::string& record : records) {
        const datex::DecodeResult r = datex::decode_record(record);
        if (!r.ok()) continue;
        ++decoded;
        readings += mapper.map(r.record).readings.size();
      }
    }
  }
  meter.finish(kStreamMessages, static_cast<std::int64_t>(bytes.size()));
  if (decoded != static_cast<std::size_t>(state.iterations()) * kStreamMessages || readings == 0) {
    state.SkipWithError("the S/5 stream did not decode");
  }
  state.SetLabel(std::to_string(bytes.size() / kStreamMessages) + "-byte frames");
}
// A serial read at 19200 baud returns tens of bytes; 4096 is a backlog drained at once.
BENCHMARK(BM_S5Stream)->ArgName("chunk")->Arg(64)->Arg(4096);

}  // namespace

BENCHMARK_MAIN();
