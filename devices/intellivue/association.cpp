#include "intellivue/association.hpp"

#include <string_view>

#include "intellivue/iv_bytes.hpp"
#include "intellivue/messages.hpp"

namespace vigil::intellivue {

using detail::IvReader;
using detail::put_u32;

namespace {

// Fixed ASN.1 presentation header of the Association Request, up to and including the 0x81
// tag of the user data (PIPG example; VSCaptureMP aarq_msg bytes 18..148).
constexpr unsigned char kRequestHeader[] = {
    0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00, 0x00, 0x01, 0xA4,
    0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x04, 0x52, 0x01, 0x00, 0x01, 0x30, 0x80, 0x06, 0x02, 0x51,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x30, 0x80, 0x02, 0x01, 0x02, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14,
    0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x30, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02,
    0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02,
    0x01, 0x01, 0xA0, 0x80, 0x60, 0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01,
    0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xBE, 0x80, 0x28, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE,
    0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x02, 0x81};

// Release Request and Abort carry no variable data: whole presentation blocks (PIPG
// examples; VSCaptureMP rlrq_msg / assoc_abort_resp_msg, OpenICE Finish / Abort).
constexpr unsigned char kReleaseRequest[] = {0x09, 0x18, 0xC1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02,
                                             0x01, 0x01, 0xA0, 0x80, 0x62, 0x80, 0x80, 0x01, 0x00,
                                             0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
constexpr unsigned char kAbort[] = {0x19, 0x2E, 0x11, 0x01, 0x03, 0xC1, 0x29, 0xA0, 0x80, 0xA0, 0x80, 0x30,
                                    0x80, 0x02, 0x01, 0x01, 0x06, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00,
                                    0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x64, 0x80, 0x80,
                                    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

constexpr std::size_t kTrailerBytes = 16;
constexpr std::uint8_t kPresentationPi = 0xC1;
constexpr std::uint8_t kRefuseReasonPi = 0x32;
constexpr std::uint8_t kAbortReasonPi = 0x11;

template <std::size_t N>
std::string_view as_view(const unsigned char (&bytes)[N]) {
  return std::string_view(reinterpret_cast<const char*>(bytes), N);
}

void append_li(std::string& out, std::size_t length) {
  if (length < 255) {
    out.push_back(static_cast<char>(length));
  } else {
    out.push_back(static_cast<char>(0xFF));
    detail::put_u16(out, static_cast<std::uint16_t>(length));
  }
}

void append_asn_length(std::string& out, std::size_t length) {
  if (length < 128) {
    out.push_back(static_cast<char>(length));
  } else if (length < 256) {
    out.push_back(static_cast<char>(0x81));
    out.push_back(static_cast<char>(length));
  } else {
    out.push_back(static_cast<char>(0x82));
    detail::put_u16(out, static_cast<std::uint16_t>(length));
  }
}

std::string user_info(const AssociationRequestOptions& o) {
  std::string ext;  // PollProfileExt: options + empty ext_attr list
  put_u32(ext, o.ext_options);
  put_u32(ext, 0);
  std::string profile;
  put_u32(profile, kPollProfileRevision0);
  put_u32(profile, o.min_poll_period);
  put_u32(profile, o.max_mtu_rx);
  put_u32(profile, o.max_mtu_tx);
  put_u32(profile, o.max_bw_tx);
  put_u32(profile, o.options);
  append_attribute_list(profile, {{kAttrPollProfileExt, ext}});

  std::string info;
  put_u32(info, 0x80000000);  // MDDL_VERSION1
  put_u32(info, 0x40000000);  // NOMEN_VERSION
  put_u32(info, 0);           // functional units
  put_u32(info, kSystemTypeClient);
  put_u32(info, 0x20000000);  // COLD_START
  put_u32(info, 0);           // option_list: empty AttributeList
  append_attribute_list(info, {{kPollProfileSupport, profile}});
  return info;
}

// --- decoding

bool read_li(IvReader& r, std::size_t& out) {
  std::uint8_t first = 0;
  if (!r.u8(first)) return false;
  if (first != 0xFF) {
    out = first;
    return true;
  }
  std::uint16_t v = 0;
  if (!r.u16(v)) return false;
  out = v;
  return true;
}

bool read_asn_length(IvReader& r, std::size_t& out) {
  std::uint8_t first = 0;
  if (!r.u8(first)) return false;
  if (first < 0x80) {
    out = first;
    return true;
  }
  if (first == 0x81) {
    std::uint8_t v = 0;
    if (!r.u8(v)) return false;
    out = v;
    return true;
  }
  if (first == 0x82) {
    std::uint16_t v = 0;
    if (!r.u16(v)) return false;
    out = v;
    return true;
  }
  return false;  // longer forms never occur in a UDP-sized message
}

// The user data starts after the presentation header's "BE 80 28 80" (EXTERNAL), then
// either 0x81 directly or, after an optional OID, "02 01 02 81" (OpenICE accepts both
// forms; PIPG p. 298-299 examples use the second).
bool find_user_data(std::string_view pres, IvReader& user) {
  constexpr std::string_view kExternal("\xBE\x80\x28\x80", 4);
  constexpr std::string_view kTagged("\x02\x01\x02\x81", 4);
  const std::size_t ext = pres.find(kExternal);
  if (ext == std::string_view::npos) return false;
  std::size_t at = ext + kExternal.size();
  if (at < pres.size() && static_cast<std::uint8_t>(pres[at]) == 0x81) {
    at += 1;
  } else {
    const std::size_t tagged = pres.find(kTagged, at);
    if (tagged == std::string_view::npos || tagged - at > 32) return false;
    at = tagged + kTagged.size();
  }
  IvReader r(pres.substr(at));
  std::size_t length = 0;
  return read_asn_length(r, length) && r.take(length, user);
}

DecodeError read_poll_profile(std::string_view value, PollProfile& p) {
  IvReader r(value);
  if (!r.u32(p.revision) || !r.u32(p.min_poll_period) || !r.u32(p.max_mtu_rx) || !r.u32(p.max_mtu_tx) ||
      !r.u32(p.max_bw_tx) || !r.u32(p.options)) {
    return DecodeError::Truncated;
  }
  std::vector<Ava> packages;
  if (const DecodeError e = read_attribute_list(r, packages); e != DecodeError::None) return e;
  for (const Ava& a : packages) {
    IvReader ext(a.value);
    std::uint32_t options = 0;
    if (a.id == kAttrPollProfileExt && ext.u32(options)) p.ext_options = options;
  }
  return DecodeError::None;
}

DecodeError read_user_info(IvReader& r, AssociationUserInfo& info) {
  if (!r.u32(info.protocol_version) || !r.u32(info.nomenclature_version) || !r.u32(info.functional_units) ||
      !r.u32(info.system_type) || !r.u32(info.startup_mode)) {
    return DecodeError::Truncated;
  }
  std::vector<Ava> list;
  if (const DecodeError e = read_attribute_list(r, list); e != DecodeError::None) return e;  // option_list
  if (const DecodeError e = read_attribute_list(r, list); e != DecodeError::None) return e;  // aprofiles
  for (const Ava& a : list) {
    if (a.id != kPollProfileSupport) continue;
    PollProfile p;
    if (const DecodeError e = read_poll_profile(a.value, p); e != DecodeError::None) return e;
    info.poll_profile = p;
  }
  return DecodeError::None;
}

struct SessionParts {
  std::uint8_t type = 0;
  std::optional<std::uint8_t> refuse_reason;
  std::optional<std::uint8_t> abort_reason;
  std::optional<std::string_view> presentation;
};

DecodeError read_session(std::string_view bytes, SessionParts& s) {
  IvReader r(bytes);
  std::size_t length = 0;
  IvReader body;
  if (!r.u8(s.type) || !read_li(r, length)) return DecodeError::Truncated;
  if (!r.take(length, body)) return DecodeError::Truncated;
  while (!body.empty()) {
    std::uint8_t pi = 0;
    std::size_t pi_length = 0;
    std::string_view value;
    if (!body.u8(pi) || !read_li(body, pi_length) || !body.bytes(pi_length, value)) {
      return DecodeError::LengthMismatch;
    }
    if (pi == kPresentationPi) {
      s.presentation = value;
      break;  // the presentation block runs to the end of the SPDU
    }
    if (pi == kRefuseReasonPi && !value.empty()) s.refuse_reason = static_cast<std::uint8_t>(value[0]);
    if (pi == kAbortReasonPi && !value.empty()) s.abort_reason = static_cast<std::uint8_t>(value[0]);
  }
  return DecodeError::None;
}

}  // namespace

std::string encode_association_request(const AssociationRequestOptions& options) {
  const std::string info = user_info(options);
  std::string pres(as_view(kRequestHeader));
  append_asn_length(pres, info.size());
  pres += info;
  pres.append(kTrailerBytes, '\0');

  std::string body(kAssociationSessionData);
  body.push_back(static_cast<char>(kPresentationPi));
  append_li(body, pres.size());
  body += pres;

  std::string out;
  out.push_back(static_cast<char>(SpduType::Connect));
  append_li(out, body.size());
  out += body;
  return out;
}

std::string encode_release_request() { return std::string(as_view(kReleaseRequest)); }

std::string encode_abort() { return std::string(as_view(kAbort)); }

MessageResult decode_association_message(std::string_view bytes) {
  MessageResult result;
  SessionParts s;
  if (const DecodeError e = read_session(bytes, s); e != DecodeError::None) {
    result.error = e;
    return result;
  }
  switch (static_cast<SpduType>(s.type)) {
    case SpduType::Accept:
    case SpduType::Connect: {
      IvReader user;
      AssociationUserInfo info;
      if (!s.presentation || !find_user_data(*s.presentation, user)) {
        result.error = DecodeError::BadPresentation;
        return result;
      }
      result.error = read_user_info(user, info);
      if (s.type == static_cast<std::uint8_t>(SpduType::Accept)) {
        result.message = AssociationAccept{info};
      } else {
        result.message = AssociationRequestMessage{info};
      }
      return result;
    }
    case SpduType::Refuse: result.message = AssociationRefuse{s.refuse_reason}; return result;
    case SpduType::Finish: result.message = ReleaseRequest{}; return result;
    case SpduType::Disconnect: result.message = ReleaseResult{}; return result;
    case SpduType::Abort: result.message = AssociationAbort{s.abort_reason}; return result;
  }
  result.error = DecodeError::BadSession;
  return result;
}

}  // namespace vigil::intellivue
