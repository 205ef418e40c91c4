#include "hl7/vendor_codes.hpp"

#include "hl7/message.hpp"

namespace vigil::hl7 {
namespace {

using K = VitalKind;
using enum CodeMatch;

struct LoincRow {
  std::string_view code;
  CodeMatch match;
  VitalKind kind;
};

// LOINC (loinc.org; the vital-signs panel 85353-1 and the FHIR vital-signs profile). Panels
// and arterial/venous pressures are known but not NIBP values.
constexpr LoincRow kLoinc[] = {
    {"8867-4", Vital, K::HeartRate},        // Heart rate
    {"8889-8", Vital, K::PulseRate},        // Heart rate by Pulse oximetry
    {"8893-0", Vital, K::PulseRate},        // Heart rate Peripheral artery by palpation
    {"8480-6", Vital, K::NibpSys},          // Systolic blood pressure
    {"8462-4", Vital, K::NibpDia},          // Diastolic blood pressure
    {"8478-0", Vital, K::NibpMean},         // Mean blood pressure
    {"76534-7", Vital, K::NibpSys},         // Systolic blood pressure by Noninvasive
    {"76535-4", Vital, K::NibpDia},         // Diastolic blood pressure by Noninvasive
    {"76536-2", Vital, K::NibpMean},        // Mean blood pressure by Noninvasive
    {"59408-5", Vital, K::SpO2},            // Oxygen saturation in Arterial blood by Pulse oximetry
    {"2708-6", Vital, K::SpO2},             // Oxygen saturation in Arterial blood (as SpO2 by devices)
    {"20564-1", Vital, K::SpO2},            // Oxygen saturation in Blood
    {"9279-1", Vital, K::RespRate},         // Respiratory rate
    {"8310-5", Vital, K::Temperature},      // Body temperature
    {"8331-1", Vital, K::Temperature},      // Oral temperature
    {"8328-7", Vital, K::Temperature},      // Axillary temperature
    {"8332-9", Vital, K::Temperature},      // Rectal temperature
    {"8333-7", Vital, K::Temperature},      // Tympanic membrane temperature
    {"85354-9", NotVital, K::NibpSys},      // Blood pressure panel (a group row)
    {"85353-1", NotVital, K::NibpSys},      // Vital signs panel (a group row)
    {"76215-3", NotVital, K::NibpSys},      // Invasive systolic blood pressure
    {"76213-8", NotVital, K::NibpSys},      // Invasive diastolic blood pressure
    {"76214-6", NotVital, K::NibpSys},      // Invasive mean blood pressure
    {"61008-9", NotVital, K::Temperature},  // Body surface temperature (reads below core)
};

struct VendorRow {
  std::string_view code;  // empty: any code with this label and system
  std::string_view label;
  std::string_view system;  // empty: any
  std::string_view sub_id;  // empty: any
  VitalKind kind;
  std::string_view unit;    // the unit the vendor means when OBX-6 is empty
  CodeMatch match = Vital;  // NotVital: the vendor's own code for something Vigil does not chart
};

// Mindray Patient Data Share (PDS) protocol, legacy HL7 numeric codes: Mindray "Patient Data
// Share Protocol Programmer's Guide" 0010-20-43061-2 rev 10.0 (2013), parameter ID table;
// the same code^label pairs appear in the open-source caowm/pds-server
// (api/device/services/device-item.js). Units per that guide: beats and breaths per
// minute, %, mmHg, degC.
// Philips IntelliVue Information Center / telemetry label "SpO2T" (telemetry SpO2) and
// Efficia MDIL labels: Philips "Efficia CM Series Data Export Guide", MDIL coding table.
// Welch Allyn Connectivity Server: "Welch Allyn Connectivity Server Programmer's Guide"
// v2.5x, tables 10-12: OBX-3 "Heart Rate^Heart Rate^WAP", NIBP component in OBX-4
// (SYS/DIA/MEAN), units BPM, DegC, DegF, Percent, mmHg, kPa, Br/M.
// Nihon Kohden bedside/central monitors (PVM-2701, CNS-6201 gateway): six-digit code and a
// "GROUP LABEL" text, no coding system, units in OBX-6. Nihon Kohden's own code table
// ("Protocol Specifications, Central Monitor CNS-6201" 0614-905894C) is not public; every
// row here is one seen in published captures of the monitors' messages:
//   - sample ORU^R01 from a PVM-2701 quoted in a public requirements document (GitHub code
//     search: `009000^NIBP SYS`): 007001 VITAL PR(spo2) /min, 007000 VITAL SpO2 %, 072007
//     VITAL rPR(spo2) /min, 009000 NIBP SYS, 009001 NIBP DIAS, 009002 NIBP MEAN mmHg
//     (tests/data/hl7/nihon-kohden-pvm2701.hl7);
//   - a 2017 capture in an open-source NICU system's HL7 parser (GitHub code search:
//     `ORU_R01|20170525000003`): the same 007001, 007000 and 072007 rows;
//   - 2011 recordings analysed in public code (GitHub code search: `014000^VITAL TRECT`):
//     001000 VITAL HR and 014000 VITAL TRECT (rectal temperature; its unit is not shown, so
//     OBX-6 must say); 001000 VITAL HR in bpm also in a public emulator of the monitor's feed
//     (GitHub code search: `001000^VITAL HR|1|`).
// 072007 "rPR(spo2)" repeats the SpO2 pulse rate in every capture; what distinguishes it from
// 007001 is not documented, so it is known and not charted rather than a second pulse.
// GE (B40 manual 2062665-001) and Philips SureSigns (MDIL, see mdc_codes.cpp) need no rows:
// they send MDC codes. Dräger, Spacelabs, Comen and Edan have no rows: what their feeds put
// in OBX-3 is not in any public text that could be read. Their interface guides (Dräger
// "Infinity Gateway Suite Protocol Handbook" VF9.n, 3703522; Spacelabs "XprezzNet 96190
// System Administration Manual" 074-0211-01) are uploaded on document-sharing sites with only
// their front matter readable, and no capture of their messages is public; rows guessed
// from a vendor's name would turn an unknown code into a wrong vital sign, where an unknown
// one is refused loudly. What was searched is in tests/data/hl7/README.md; a site maps these
// monitors with code_map.
constexpr VendorRow kVendor[] = {
    // Mindray PDS
    {"101", "HR", "", "", K::HeartRate, "/min"},
    {"151", "RR", "", "", K::RespRate, "/min"},
    {"160", "SpO2", "", "", K::SpO2, "%"},
    {"161", "PR", "", "", K::PulseRate, "/min"},
    {"170", "Sys", "", "", K::NibpSys, "mmHg"},
    {"171", "Dia", "", "", K::NibpDia, "mmHg"},
    {"172", "Mean", "", "", K::NibpMean, "mmHg"},
    {"200", "T1", "", "", K::Temperature, "Cel"},
    // Philips telemetry / IntelliVue labels (MDIL or no system)
    {"", "SpO2T", "MDIL", "", K::SpO2, ""},
    {"", "SpO2T", "", "", K::SpO2, ""},
    {"", "Pulse (SpO2)", "MDIL", "", K::PulseRate, ""},
    // Welch Allyn Connectivity Server
    {"Heart Rate", "", "WAP", "", K::HeartRate, ""},
    {"Pulse Rate", "", "WAP", "", K::PulseRate, ""},
    {"SpO2", "", "WAP", "", K::SpO2, ""},
    {"Respiration Rate", "", "WAP", "", K::RespRate, ""},
    {"Temperature", "", "WAP", "", K::Temperature, ""},
    {"NIBP", "", "WAP", "SYS", K::NibpSys, ""},
    {"NIBP", "", "WAP", "DIA", K::NibpDia, ""},
    {"NIBP", "", "WAP", "MEAN", K::NibpMean, ""},
    // Nihon Kohden
    {"001000", "VITAL HR", "", "", K::HeartRate, ""},
    {"007000", "VITAL SpO2", "", "", K::SpO2, ""},
    {"007001", "VITAL PR(spo2)", "", "", K::PulseRate, ""},
    {"072007", "VITAL rPR(spo2)", "", "", K::PulseRate, "", NotVital},
    {"009000", "NIBP SYS", "", "", K::NibpSys, ""},
    {"009001", "NIBP DIAS", "", "", K::NibpDia, ""},
    {"009002", "NIBP MEAN", "", "", K::NibpMean, ""},
    {"014000", "VITAL TRECT", "", "", K::Temperature, ""},
};

// Mindray PDS code ranges of the same guide that are not vital signs Vigil tracks: known,
// so never "unreadable". 51/52 weight/height, 102-149 ECG (PVCs, ST segments), 201-249
// further temperatures (T2, Td, blood TB), 250-299 gases (CO2), 500-699 invasive pressures.
struct CodeRange {
  unsigned low, high;
};
constexpr CodeRange kMindrayUntracked[] = {{51, 52}, {102, 149}, {201, 249}, {250, 299}, {500, 699}};

bool mindray_untracked(std::string_view id) {
  const auto n = parse_numeric_code(id);
  if (!n) return false;
  for (const CodeRange& r : kMindrayUntracked) {
    if (*n >= r.low && *n <= r.high) return true;
  }
  return false;
}

bool loinc_shaped(std::string_view code) {
  // digits '-' check digit
  if (code.size() < 3 || code[code.size() - 2] != '-') return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i == code.size() - 2) continue;
    if (code[i] < '0' || code[i] > '9') return false;
  }
  return true;
}

bool recognised_triplet(std::string_view id, std::string_view text, std::string_view system) {
  // A coding system alone is not enough: "HR^Heart Rate^MDC" names MDC and holds no MDC
  // code, and may well be a heart rate. The identifier must have the terminology's shape.
  const bool numeric = parse_numeric_code(id).has_value();
  const bool loinc_system = system == "LN" || system == "LOINC";
  if ((names_mdc(system) || system == "MDIL") && (numeric || parse_mdil_hex(id))) return true;
  if (loinc_system && loinc_shaped(id)) return true;
  if ((system == "SCT" || system == "SNOMED" || system == "SNM") && numeric) return true;
  // Mindray eGateway's local terms (system 99MNDRY): only its ECG rhythm counts are known
  // not to be vital signs; anything else under 99MNDRY may be one, so it stays loud.
  if (system == "99MNDRY" && text.substr(0, 10) == "MNDRY_ECG_") return true;
  // The shape of another terminology's code counts only where the coding system does not
  // say otherwise: an MDC-looking number under 99LOCAL is a local code, and refused loudly.
  if (reads_mdc(system)) {
    if (id.substr(0, 4) == "MDC_" || text.substr(0, 4) == "MDC_") return true;
    if (parse_mdil_hex(id)) return true;
  }
  if ((system.empty() || loinc_system) && loinc_shaped(id) && lookup_loinc(id).match != CodeMatch::Unknown)
    return true;
  // A Mindray local code comes with its label ("500^ART-Sys"): a bare number is not enough.
  return !text.empty() && mindray_untracked(id);
}

}  // namespace

CodeLookup lookup_loinc(std::string_view code) {
  if (!loinc_shaped(code)) return {};
  for (const LoincRow& row : kLoinc) {
    if (row.code == code) return CodeLookup{row.match, row.kind, {}};
  }
  return {};
}

CodeLookup lookup_vendor_local(std::string_view code, std::string_view label, std::string_view system,
                               std::string_view sub_id) {
  for (const VendorRow& row : kVendor) {
    if (!row.code.empty() && row.code != code) continue;
    if (!row.label.empty() && row.label != label) continue;
    if (!row.system.empty() && row.system != system) continue;
    if (!row.sub_id.empty() && row.sub_id != sub_id) continue;
    CodeLookup hit{row.match, row.kind, row.unit};
    return hit;
  }
  return {};
}

bool is_recognised_identifier(std::string_view obx3, const Delimiters& d) {
  std::string_view c[6];
  split(repetition(obx3, 1, d), d.component, c, 6);
  return recognised_triplet(c[0], c[1], c[2]) || recognised_triplet(c[3], c[4], c[5]);
}

}  // namespace vigil::hl7
