#include "datex/s5_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "datex/s5_bytes.hpp"

namespace vigil::datex {

using detail::put_i16;
using detail::put_u16;
using detail::put_u32;
using detail::put_u8;

std::uint8_t checksum(std::string_view record) {
  std::uint8_t sum = 0;
  for (char c : record) sum = static_cast<std::uint8_t>(sum + static_cast<std::uint8_t>(c));
  return sum;
}

namespace {

void put_stuffed(std::string& out, std::uint8_t byte) {
  if (byte == kFlag || byte == kEscape) {
    out.push_back(static_cast<char>(kEscape));
    out.push_back(static_cast<char>(byte & ~kEscapeBit));
  } else {
    out.push_back(static_cast<char>(byte));
  }
}

void put_group(std::string& physdata, std::size_t at, const GroupHeader& g) {
  put_u32(physdata, at, g.status);
  put_u16(physdata, at + 4, g.label);
}

std::string encode_physdata(const BasicPhysdata& b) {
  std::string p(kPhysdataSize, '\0');
  put_group(p, basic::kEcg, b.ecg);
  put_i16(p, basic::kEcg + 6, b.ecg_hr);
  put_group(p, basic::kNibp, b.nibp);
  put_i16(p, basic::kNibp + 6, b.nibp_sys);
  put_i16(p, basic::kNibp + 8, b.nibp_dia);
  put_i16(p, basic::kNibp + 10, b.nibp_mean);
  put_i16(p, basic::kNibp + 12, b.nibp_hr);
  for (std::size_t i = 0; i < basic::kTemp.size(); ++i) {
    put_group(p, basic::kTemp[i], b.temp[i]);
    put_i16(p, basic::kTemp[i] + 6, b.temp_c[i]);
  }
  put_group(p, basic::kSpo2, b.spo2);
  put_i16(p, basic::kSpo2 + 6, b.spo2_pct);
  put_i16(p, basic::kSpo2 + 8, b.spo2_pr);
  put_group(p, basic::kCo2, b.co2);
  put_i16(p, basic::kCo2 + 10, b.co2_rr);
  return p;
}

}  // namespace

std::string encode_frame(std::string_view record) {
  std::string out;
  out.reserve(record.size() * 2 + 4);
  out.push_back(static_cast<char>(kFlag));
  for (char c : record) put_stuffed(out, static_cast<std::uint8_t>(c));
  // The checksum is stuffed too (GE's 60-s trend request has checksum 0x7D).
  put_stuffed(out, checksum(record));
  out.push_back(static_cast<char>(kFlag));
  return out;
}

std::string encode_record(const RecordHeaderFields& header, std::span<const SubrecordBytes> subrecords) {
  if (subrecords.size() > kMaxSubrecords) return {};
  std::size_t data_size = 0;
  for (const SubrecordBytes& s : subrecords) data_size += s.bytes.size();
  if (data_size > kMaxDataSize) return {};

  std::string r(kHeaderSize, '\0');
  put_u16(r, 0, static_cast<std::uint16_t>(kHeaderSize + data_size));
  put_u8(r, 2, header.r_nbr);
  put_u8(r, 3, header.dri_level);
  put_u16(r, 4, header.plug_id);
  put_u32(r, 6, header.r_time);
  put_u16(r, 14, header.r_maintype);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < subrecords.size(); ++i) {
    const std::size_t at = kSubrecordDescOffset + i * kSubrecordDescSize;
    put_u16(r, at, static_cast<std::uint16_t>(offset));
    put_u8(r, at + 2, subrecords[i].type);
    offset += subrecords[i].bytes.size();
  }
  // The terminator's offset stays 0, as in GE's published frames.
  if (subrecords.size() < kMaxSubrecords) {
    put_u8(r, kSubrecordDescOffset + subrecords.size() * kSubrecordDescSize + 2, kEndOfSubrecordList);
  }
  for (const SubrecordBytes& s : subrecords) r += s.bytes;
  return r;
}

std::string encode_request_record(PhdbRecordType type, std::int16_t interval_s, std::uint32_t class_bits) {
  std::string data(kRequestDataSize, '\0');
  put_u8(data, 0, static_cast<std::uint8_t>(type));
  put_i16(data, 1, interval_s);
  put_u32(data, 3, class_bits);
  const SubrecordBytes sub{static_cast<std::uint8_t>(PhdbSubrecordType::Request), std::move(data)};
  return encode_record(RecordHeaderFields{}, std::span(&sub, 1));
}

std::string encode_start_displayed(std::int16_t interval_s, std::uint32_t class_bits) {
  return encode_frame(encode_request_record(PhdbRecordType::Displayed, interval_s, class_bits));
}

std::string encode_stop_displayed() {
  // GE's stop vector clears the class bits too.
  return encode_frame(encode_request_record(PhdbRecordType::Displayed, 0, 0));
}

std::string encode_trend_request(PhdbRecordType type, std::int16_t interval_s, std::uint32_t class_bits) {
  return encode_frame(encode_request_record(type, interval_s, class_bits));
}

std::string encode_raw_phdb_subrecord(std::uint32_t time, PhdbClass phdb_class, std::string_view physdata,
                                      std::uint8_t marker) {
  std::string s(kPhdbSubrecordSize, '\0');
  put_u32(s, 0, time);
  s.replace(kPhysdataOffset, std::min(physdata.size(), kPhysdataSize), physdata.substr(0, kPhysdataSize));
  put_u8(s, kMarkerOffset, marker);
  put_u16(s, kClassWordOffset, static_cast<std::uint16_t>(static_cast<unsigned>(phdb_class) << 8));
  return s;
}

std::string encode_basic_phdb_subrecord(std::uint32_t time, const BasicPhysdata& physdata,
                                        std::uint8_t marker) {
  return encode_raw_phdb_subrecord(time, PhdbClass::Basic, encode_physdata(physdata), marker);
}

std::string encode_aux_subrecord(std::uint32_t nibp_time) {
  std::string s(kAuxSubrecordMinSize, '\0');
  put_u32(s, 0, nibp_time);
  return s;
}

std::string encode_displayed_values(const DisplayedValuesReply& reply) {
  std::vector<SubrecordBytes> subs;
  subs.push_back({static_cast<std::uint8_t>(PhdbSubrecordType::Displayed),
                  encode_basic_phdb_subrecord(reply.header.r_time, reply.basic)});
  if (reply.nibp_time) {
    subs.push_back(
        {static_cast<std::uint8_t>(PhdbSubrecordType::Aux), encode_aux_subrecord(*reply.nibp_time)});
  }
  return encode_frame(encode_record(reply.header, subs));
}

GroupHeader active_group(std::uint16_t label) { return {kStatusExists | kStatusActive, label}; }

std::int16_t to_centi(double value) {
  // Clamp so an out-of-range value can never turn into a special value by accident.
  if (std::isnan(value)) return static_cast<std::int16_t>(kSpecialLimit + 1);
  const double scaled = std::clamp(value * 100.0, double{kSpecialLimit + 1}, 32767.0);
  return static_cast<std::int16_t>(std::lround(scaled));
}

}  // namespace vigil::datex
