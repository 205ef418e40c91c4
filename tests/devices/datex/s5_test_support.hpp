#pragma once
// Shared helpers for the S/5 codec tests: a typical monitor state, hex parsing and
// deframing helpers.

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "datex/s5_deframer.hpp"
#include "datex/s5_encoder.hpp"
#include "datex/s5_record.hpp"

namespace vigil::datex::test {

// "7e 31 00" -> bytes.
inline std::string from_hex(std::string_view hex) {
  std::string out;
  std::istringstream in{std::string(hex)};
  std::string byte;
  while (in >> byte) out.push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
  return out;
}

inline constexpr std::uint32_t kRecordTime = 1'760'000'000;  // 2025-10-09, s since 1970
inline constexpr std::uint32_t kNibpTime = kRecordTime - 20;

// A patient with every mapped group present: HR 72, BP 128/84 (mean 99), NIBP hr 70,
// SpO2 97.5 %, pulse 73, T1 36.6 degC, RR 14.
inline BasicPhysdata typical_physdata() {
  BasicPhysdata b;
  b.ecg = active_group();
  b.ecg_hr = 72;
  b.nibp = active_group(nibp_label::kAuto);
  b.nibp_sys = to_centi(128);
  b.nibp_dia = to_centi(84);
  b.nibp_mean = to_centi(99);
  b.nibp_hr = 70;
  b.temp[0] = active_group();
  b.temp_c[0] = to_centi(36.6);
  b.spo2 = active_group();
  b.spo2_pct = to_centi(97.5);
  b.spo2_pr = 73;
  b.co2 = active_group();
  b.co2_rr = 14;
  return b;
}

inline DisplayedValuesReply typical_reply(std::uint32_t r_time = kRecordTime,
                                          std::optional<std::uint32_t> nibp_time = kNibpTime) {
  DisplayedValuesReply reply;
  reply.header.r_time = r_time;
  reply.basic = typical_physdata();
  reply.nibp_time = nibp_time;
  return reply;
}

// Feeds `bytes` in one piece and returns the records delivered.
inline std::vector<std::string> deframe_all(std::string_view bytes, S5Deframer& d) {
  std::vector<std::string> out;
  d.feed(bytes, out);
  return out;
}

}  // namespace vigil::datex::test
