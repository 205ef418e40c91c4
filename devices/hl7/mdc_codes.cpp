#include "hl7/mdc_codes.hpp"

#include "hl7/message.hpp"
#include "hl7/vendor_codes.hpp"

namespace vigil::hl7 {
namespace {

using K = VitalKind;

struct CodeRow {
  std::uint32_t code;
  std::string_view ref_id;
  CodeMatch match;
  VitalKind kind;
};

using enum CodeMatch;

// Codes checked against IEEE 11073-10101 as used in IHE PCD-01 samples, the IHE/DEV
// Rosetta tables and 11073-10408 (thermometer). Peripheral temperatures (skin, finger,
// toe) read several degrees below core and are left unmapped on purpose.
constexpr CodeRow kCodes[] = {
    {150021, "MDC_PRESS_BLD_NONINV_SYS", Vital, K::NibpSys},
    {150022, "MDC_PRESS_BLD_NONINV_DIA", Vital, K::NibpDia},
    {150023, "MDC_PRESS_BLD_NONINV_MEAN", Vital, K::NibpMean},
    {150301, "MDC_PRESS_CUFF_SYS", Vital, K::NibpSys},
    {150302, "MDC_PRESS_CUFF_DIA", Vital, K::NibpDia},
    {150303, "MDC_PRESS_CUFF_MEAN", Vital, K::NibpMean},
    {147842, "MDC_ECG_HEART_RATE", Vital, K::HeartRate},
    {147842, "MDC_ECG_CARD_BEAT_RATE", Vital, K::HeartRate},
    {149530, "MDC_PULS_OXIM_PULS_RATE", Vital, K::PulseRate},
    {149538, "MDC_PLETH_PULS_RATE", Vital, K::PulseRate},
    {149546, "MDC_PULS_RATE_NON_INV", Vital, K::PulseRate},
    {149514, "MDC_PULS_RATE", Vital, K::PulseRate},
    {150456, "MDC_PULS_OXIM_SAT_O2", Vital, K::SpO2},
    {151562, "MDC_RESP_RATE", Vital, K::RespRate},
    {151570, "MDC_AWAY_RESP_RATE", Vital, K::RespRate},
    {151578, "MDC_TTHOR_RESP_RATE", Vital, K::RespRate},
    {150344, "MDC_TEMP", Vital, K::Temperature},
    {150364, "MDC_TEMP_BODY", Vital, K::Temperature},
    {150368, "MDC_TEMP_CORE", Vital, K::Temperature},
    {150392, "MDC_TEMP_TYMP", Vital, K::Temperature},
    {188420, "MDC_TEMP_RECT", Vital, K::Temperature},
    {188424, "MDC_TEMP_ORAL", Vital, K::Temperature},
    {188428, "MDC_TEMP_EAR", Vital, K::Temperature},
    {188452, "MDC_TEMP_AXILLA", Vital, K::Temperature},
    {188452, "MDC_TEMP_AXIL", Vital, K::Temperature},  // Mindray eGateway's spelling
    {188456, "MDC_TEMP_GIT", Vital, K::Temperature},
    // Traps: generic and invasive arterial pressure are not NIBP.
    {150016, "MDC_PRESS_BLD", NotVital, K::NibpSys},
    {150017, "MDC_PRESS_BLD_SYS", NotVital, K::NibpSys},
    {150018, "MDC_PRESS_BLD_DIA", NotVital, K::NibpSys},
    {150019, "MDC_PRESS_BLD_MEAN", NotVital, K::NibpSys},
    {150020, "MDC_PRESS_BLD_NONINV", NotVital, K::NibpSys},  // the group row, never a value
    {150032, "MDC_PRESS_BLD_ART", NotVital, K::NibpSys},
    {150033, "MDC_PRESS_BLD_ART_SYS", NotVital, K::NibpSys},
    {150034, "MDC_PRESS_BLD_ART_DIA", NotVital, K::NibpSys},
    {150035, "MDC_PRESS_BLD_ART_MEAN", NotVital, K::NibpSys},
    {150388, "MDC_TEMP_SKIN", NotVital, K::Temperature},
    {188432, "MDC_TEMP_FINGER", NotVital, K::Temperature},
    {188448, "MDC_TEMP_TOE", NotVital, K::Temperature},
};

struct LabelRow {
  std::string_view label;
  VitalKind kind;
};

// Philips Efficia / IntelliVue MDIL labels (Efficia CM Data Export Guide).
constexpr LabelRow kMdilLabels[] = {
    {"NBPs", K::NibpSys},    {"NBPd", K::NibpDia},     {"NBPm", K::NibpMean}, {"HR", K::HeartRate},
    {"Pulse", K::PulseRate}, {"SpO2", K::SpO2},        {"Resp", K::RespRate}, {"RR", K::RespRate},
    {"T1", K::Temperature},  {"Temp", K::Temperature}, {"SpO2T", K::SpO2},  // SpO2T: telemetry SpO2
                                                                            // (IntelliVue IIC)
};

CodeLookup from_row(CodeMatch match, VitalKind kind) { return CodeLookup{match, kind, {}}; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The MDC table's answer for a triplet's id (number or MDIL hex) or reference id (in the id
// or the text), whatever the coding system; `matched` is set to the part that matched.
CodeLookup lookup_mdc_any(std::string_view id, std::string_view text, std::string_view* matched = nullptr) {
  std::optional<std::uint32_t> code = parse_numeric_code(id);
  if (!code) code = parse_mdil_hex(id);
  if (code) {
    CodeLookup hit = lookup_mdc_code(*code);
    if (hit.match != CodeMatch::Unknown) {
      if (matched) *matched = id;
      return hit;
    }
  }
  for (std::string_view ref : {id, text}) {
    CodeLookup hit = lookup_mdc_reference(ref);
    if (hit.match != CodeMatch::Unknown) {
      if (matched) *matched = ref;
      return hit;
    }
  }
  return {};
}

// One identifier/text/system triplet.
CodeLookup resolve_triplet(std::string_view id, std::string_view text, std::string_view system,
                           std::string_view sub_id) {
  if (id.empty() && text.empty()) return {};
  // A number or MDC_ name under another coding system is that system's code, not MDC's.
  const bool mdc = reads_mdc(system);
  if (mdc) {
    CodeLookup hit = lookup_mdc_any(id, text);
    if (hit.match != CodeMatch::Unknown) return hit;
  }
  if ((mdc && parse_mdil_hex(id)) || system == "MDIL") {
    CodeLookup hit = lookup_mdil_label(text);
    if (hit.match != CodeMatch::Unknown) return hit;
  }
  if (system.empty() || system == "LN" || system == "LOINC") {
    CodeLookup hit = lookup_loinc(id);
    if (hit.match != CodeMatch::Unknown) return hit;
  }
  return lookup_vendor_local(id, text, system, sub_id);
}

}  // namespace

bool names_mdc(std::string_view system) {
  return system.size() == 3 && (system[0] == 'M' || system[0] == 'm') &&
         (system[1] == 'D' || system[1] == 'd') && (system[2] == 'C' || system[2] == 'c');
}

bool reads_mdc(std::string_view system) { return system.empty() || names_mdc(system) || system == "MDIL"; }

std::string mdc_code_in_other_system(std::string_view obx3, const Delimiters& d) {
  std::string_view c[6];
  split(repetition(obx3, 1, d), d.component, c, 6);
  for (std::size_t t = 0; t < 6; t += 3) {
    if (reads_mdc(c[t + 2])) continue;
    std::string_view matched;
    if (lookup_mdc_any(c[t], c[t + 1], &matched).match == CodeMatch::Unknown) continue;
    return "code " + unescape(matched, d) + " in coding system " + unescape(c[t + 2], d) + " is not MDC";
  }
  return {};
}

CodeLookup lookup_mdc_code(std::uint32_t code) {
  for (const CodeRow& row : kCodes) {
    if (row.code == code) return from_row(row.match, row.kind);
  }
  return {};
}

CodeLookup lookup_mdc_reference(std::string_view ref_id) {
  if (ref_id.size() < 5 || ref_id.substr(0, 4) != "MDC_") return {};
  for (const CodeRow& row : kCodes) {
    if (row.ref_id == ref_id) return from_row(row.match, row.kind);
  }
  return {};
}

CodeLookup lookup_mdil_label(std::string_view label) {
  for (const LabelRow& row : kMdilLabels) {
    if (row.label == label) return from_row(CodeMatch::Vital, row.kind);
  }
  return {};
}

CodeLookup lookup_mindray_local(std::string_view code, std::string_view label) {
  if (code.empty() || label.empty()) return {};
  return lookup_vendor_local(code, label, {}, {});
}

std::optional<std::uint32_t> parse_numeric_code(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;  // 9 digits cannot overflow
  std::uint32_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

std::optional<std::uint32_t> parse_mdil_hex(std::string_view text) {
  if (text.size() != 9 || text[4] != '-') return std::nullopt;
  std::uint32_t partition = 0, term = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int p = hex_digit(text[i]);
    const int t = hex_digit(text[5 + i]);
    if (p < 0 || t < 0) return std::nullopt;
    partition = partition * 16 + static_cast<std::uint32_t>(p);
    term = term * 16 + static_cast<std::uint32_t>(t);
  }
  return partition * 65536u + term;
}

CodeLookup resolve_observation_id(std::string_view obx3, const Delimiters& d, std::string_view obx4) {
  std::string_view c[6];
  split(repetition(obx3, 1, d), d.component, c, 6);
  CodeLookup hit = resolve_triplet(c[0], c[1], c[2], obx4);
  if (hit.match != CodeMatch::Unknown) return hit;
  return resolve_triplet(c[3], c[4], c[5], obx4);
}

}  // namespace vigil::hl7
