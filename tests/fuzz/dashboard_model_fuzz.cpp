// libFuzzer: arbitrary stream messages (and link changes) into the dashboard's ward model
// (monitor/client/ward_model.hpp), then every view of it. The model is fed by a daemon over
// the network: it must never crash and never grow without bound.
//
// Input: records of [op:1][dt_ms:2][len:1][bytes:len]; op%4: 0 message, 1 link change,
// 2 hello, 3 request sent (a history request for the chair named by the bytes when op/4 is
// odd, so a RequestResult with that id merges its ChairHistory). Time only moves forward by dt_ms (and
// sometimes jumps back via the message's own timestamps).
#include <cstddef>
#include <cstdint>

#include <google/protobuf/stubs/logging.h>

#include "client/ward_model.hpp"

// Invalid UTF-8 in string fields is logged by protobuf on every parse: noise here.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::client;
  WardModel model("fuzz");
  std::int64_t now = 1'800'000'000'000;
  std::size_t i = 0;
  while (i + 4 <= size) {
    const std::uint8_t op = data[i];
    now += data[i + 1] | (data[i + 2] << 8);
    const std::size_t len = data[i + 3];
    i += 4;
    const std::size_t n = len < size - i ? len : size - i;
    const std::uint8_t* body = data + i;
    i += n;
    switch (op % 4) {
      case 0: {
        vigil::proto::ServerMessage m;
        if (m.ParseFromArray(body, static_cast<int>(n))) model.on_message(m, now);
        break;
      }
      case 1:
        model.on_link(static_cast<LinkView>(op / 4 % 3), std::string(reinterpret_cast<const char*>(body), n),
                      now);
        break;
      case 2: {
        vigil::proto::ServerHello h;
        if (h.ParseFromArray(body, static_cast<int>(n))) model.on_hello(h, now);
        break;
      }
      default:
        if (op / 4 % 2)
          model.on_history_requested(op, std::string(reinterpret_cast<const char*>(body), n));
        else
          model.on_request_sent(op, std::string(reinterpret_cast<const char*>(body), n));
        break;
    }
  }
  const WardSnapshot s = model.snapshot(now);
  for (const auto& c : s.chairs) {
    const ChairTrend t = model.trend(c.bed);
    if (t.hr.size() > WardModel::kMaxTrendPoints || t.sys.size() > WardModel::kMaxNibpTrendPoints)
      __builtin_trap();
    (void)model.history_status(c.bed);
    (void)model.history(c.bed);
    (void)age_text(c.sys.age_ms);
  }
  if (s.chairs.size() > WardModel::kMaxChairs) __builtin_trap();
  return 0;
}
