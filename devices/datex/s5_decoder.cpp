#include "datex/s5_decoder.hpp"

#include "datex/s5_bytes.hpp"

namespace vigil::datex {

using detail::get_i16;
using detail::get_u16;
using detail::get_u32;
using detail::get_u8;

std::string_view to_string(DecodeError error) {
  switch (error) {
    case DecodeError::None: return "none";
    case DecodeError::TooShort: return "too_short";
    case DecodeError::TooLong: return "too_long";
    case DecodeError::LengthMismatch: return "length_mismatch";
    case DecodeError::BadSubrecordOffset: return "bad_subrecord_offset";
    case DecodeError::SubrecordTooShort: return "subrecord_too_short";
  }
  return "unknown";
}

namespace {

RecordHeader decode_header(std::string_view r) {
  RecordHeader h;
  h.r_len = get_u16(r, 0);
  h.r_nbr = get_u8(r, 2);
  h.dri_level = get_u8(r, 3);
  h.plug_id = get_u16(r, 4);
  h.r_time = get_u32(r, 6);
  h.r_maintype = get_u16(r, 14);
  for (std::size_t i = 0; i < kMaxSubrecords; ++i) {
    const std::size_t at = kSubrecordDescOffset + i * kSubrecordDescSize;
    const std::uint8_t type = get_u8(r, at + 2);
    if (type == kEndOfSubrecordList) break;
    h.subrecords.push_back({get_u16(r, at), type});
  }
  return h;
}

GroupHeader group_at(std::string_view physdata, std::size_t at) {
  return {get_u32(physdata, at), get_u16(physdata, at + 4)};
}

// physdata is exactly kPhysdataSize bytes, so every fixed offset below is in range
// (the largest read is the CO2 rr at 132 + 10 + 2 = 144 <= 270).
BasicPhysdata decode_basic(std::string_view physdata) {
  BasicPhysdata b;
  b.ecg = group_at(physdata, basic::kEcg);
  b.ecg_hr = get_i16(physdata, basic::kEcg + 6);
  b.nibp = group_at(physdata, basic::kNibp);
  b.nibp_sys = get_i16(physdata, basic::kNibp + 6);
  b.nibp_dia = get_i16(physdata, basic::kNibp + 8);
  b.nibp_mean = get_i16(physdata, basic::kNibp + 10);
  b.nibp_hr = get_i16(physdata, basic::kNibp + 12);
  for (std::size_t i = 0; i < basic::kTemp.size(); ++i) {
    b.temp[i] = group_at(physdata, basic::kTemp[i]);
    b.temp_c[i] = get_i16(physdata, basic::kTemp[i] + 6);
  }
  b.spo2 = group_at(physdata, basic::kSpo2);
  b.spo2_pct = get_i16(physdata, basic::kSpo2 + 6);
  b.spo2_pr = get_i16(physdata, basic::kSpo2 + 8);
  b.co2 = group_at(physdata, basic::kCo2);
  b.co2_rr = get_i16(physdata, basic::kCo2 + 10);
  return b;
}

PhdbSubrecord decode_phdb(std::string_view sub, PhdbSubrecordType type) {
  PhdbSubrecord p;
  p.type = type;
  p.time = get_u32(sub, 0);
  p.marker = get_u8(sub, kMarkerOffset);
  p.cl_drilvl_subt = get_u16(sub, kClassWordOffset);
  p.phdb_class = class_from_word(p.cl_drilvl_subt);
  if (p.phdb_class == PhdbClass::Basic) {
    p.basic = decode_basic(sub.substr(kPhysdataOffset, kPhysdataSize));
  }
  return p;
}

// Decodes one PHDB subrecord into `out`; false if it is too short for its type.
bool decode_phdb_subrecord(std::uint8_t type, std::string_view sub, DecodedRecord& out) {
  switch (static_cast<PhdbSubrecordType>(type)) {
    case PhdbSubrecordType::Request:
      if (sub.size() < kRequestDataSize) return false;
      out.request = PhdbRequest{get_u8(sub, 0), get_i16(sub, 1), get_u32(sub, 3)};
      return true;
    case PhdbSubrecordType::Displayed:
    case PhdbSubrecordType::Trend10s:
    case PhdbSubrecordType::Trend60s:
      if (sub.size() < kPhdbSubrecordSize) return false;
      out.phdb.push_back(decode_phdb(sub, static_cast<PhdbSubrecordType>(type)));
      return true;
    case PhdbSubrecordType::Aux:
      if (sub.size() < kAuxSubrecordMinSize) return false;
      out.nibp_time = get_u32(sub, 0);
      return true;
  }
  ++out.unknown_subrecords;
  return true;
}

}  // namespace

DecodeResult decode_record(std::string_view record) {
  DecodeResult result;
  if (record.size() < kHeaderSize) {
    result.error = DecodeError::TooShort;
    return result;
  }
  if (record.size() > kMaxRecordSize) {
    result.error = DecodeError::TooLong;
    return result;
  }
  DecodedRecord& out = result.record;
  out.header = decode_header(record);
  if (out.header.r_len != record.size()) {
    result.error = DecodeError::LengthMismatch;
    return result;
  }
  const std::string_view data = record.substr(kHeaderSize);
  const auto& descs = out.header.subrecords;
  // A subrecord runs from its offset to the next one's (or to the end of the data area);
  // offsets must therefore be non-decreasing and inside the data area.
  for (std::size_t i = 0; i < descs.size(); ++i) {
    const std::size_t begin = descs[i].offset;
    const std::size_t end = i + 1 < descs.size() ? descs[i + 1].offset : data.size();
    if (begin > end || end > data.size()) {
      result.error = DecodeError::BadSubrecordOffset;
      return result;
    }
    if (!out.is_phdb()) continue;  // other main types are not decoded further
    if (!decode_phdb_subrecord(descs[i].type, data.substr(begin, end - begin), out)) {
      result.error = DecodeError::SubrecordTooShort;
      return result;
    }
  }
  return result;
}

const PhdbSubrecord* find_basic_displayed(const DecodedRecord& record) {
  for (const PhdbSubrecord& p : record.phdb) {
    if (p.type == PhdbSubrecordType::Displayed && p.phdb_class == PhdbClass::Basic) return &p;
  }
  return nullptr;
}

}  // namespace vigil::datex
