#include "hl7/oru_r01_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hl7/escaping.hpp"
#include "hl7/hl7_time.hpp"

namespace vigil::hl7 {
namespace {

// IHE PCD-01 message profile (MSH-21): the OID receivers match on.
constexpr std::string_view kPcd01Profile = "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO";

}  // namespace

std::string escape_text(std::string_view text) { return escape(text, Delimiters{}); }

std::string mdc_observation_id(VitalKind kind) {
  switch (kind) {
    case VitalKind::NibpSys: return "150021^MDC_PRESS_BLD_NONINV_SYS^MDC";
    case VitalKind::NibpDia: return "150022^MDC_PRESS_BLD_NONINV_DIA^MDC";
    case VitalKind::NibpMean: return "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC";
    case VitalKind::HeartRate: return "147842^MDC_ECG_HEART_RATE^MDC";
    case VitalKind::PulseRate: return "149530^MDC_PULS_OXIM_PULS_RATE^MDC";
    case VitalKind::SpO2: return "150456^MDC_PULS_OXIM_SAT_O2^MDC";
    case VitalKind::RespRate: return "151562^MDC_RESP_RATE^MDC";
    case VitalKind::Temperature: return "150344^MDC_TEMP^MDC";
  }
  return "";
}

std::string mdc_unit(VitalKind kind) {
  switch (kind) {
    case VitalKind::NibpSys:
    case VitalKind::NibpDia:
    case VitalKind::NibpMean: return "266016^MDC_DIM_MMHG^MDC";
    case VitalKind::HeartRate:
    case VitalKind::PulseRate: return "264864^MDC_DIM_BEAT_PER_MIN^MDC";
    case VitalKind::SpO2: return "262688^MDC_DIM_PERCENT^MDC";
    case VitalKind::RespRate: return "264928^MDC_DIM_RESP_PER_MIN^MDC";
    case VitalKind::Temperature: return "268192^MDC_DIM_DEGC^MDC";
  }
  return "";
}

std::string format_nm(double value) {
  if (!std::isfinite(value)) return "";
  char buf[400];  // %f of the largest double is ~310 characters
  std::snprintf(buf, sizeof buf, "%.3f", value);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

void append_forward_header(std::string& out, const ForwardHeader& header, std::string_view message_type,
                           std::string_view profile, std::string_view bed, std::string_view session_id) {
  const std::string id = escape_text(header.daemon_id);
  const std::string ctl = escape_text(header.control_id);
  out += "MSH|^~\\&|VIGIL^" + id + "|" + id + "|||" + format_hl7_time(header.message_time_ms) + "||";
  out += message_type;
  out += "|" + ctl + "|P|2.6|||NE|AL|||||";
  out += profile;
  out += '\r';
  if (!session_id.empty()) out += "PID|||" + escape_text(session_id) + "^^^VIGIL\r";
  out += "PV1||I|^^" + escape_text(bed) + "\r";
}

std::string build_oru_r01(const ForwardHeader& header, const ObservationReport& report) {
  std::string out;
  out.reserve(512 + report.readings.size() * 160);
  append_forward_header(out, header, "ORU^R01^ORU_R01", kPcd01Profile, report.bed, report.session_id);
  WallMillis earliest = header.message_time_ms;
  for (const Reading& r : report.readings) {
    if (r.measured_at_ms != 0) earliest = std::min(earliest, r.measured_at_ms);
  }
  const std::string ctl = escape_text(header.control_id);
  out += "OBR|1|" + ctl + "^VIGIL|" + ctl + "^VIGIL|182777000^monitoring of patient^SCT|||" +
         format_hl7_time(earliest) + "\r";
  int set_id = 0;
  for (const Reading& r : report.readings) {
    ++set_id;
    const std::string n = std::to_string(set_id);
    // X: the device said the value is not valid, or there is no number to send. W: the
    // device took back its value of that time, and the chart that received it must too.
    const std::string value = r.valid ? format_nm(r.value) : std::string();
    const char* status = is_withdrawal(r) ? "W" : value.empty() ? "X" : "R";
    out += "OBX|" + n + "|NM|" + mdc_observation_id(r.kind) + "|1.1.1." + n + "|" + value + "|" +
           mdc_unit(r.kind) + "|||||" + status + "|||" +
           format_hl7_time(r.measured_at_ms != 0 ? r.measured_at_ms : header.message_time_ms) + "||||" +
           escape_text(r.source) + "\r";
  }
  return out;
}

std::string with_resend_marker(std::string_view message, std::uint32_t attempt) {
  std::string out(message);
  if (!out.empty() && out.back() != '\r') out += '\r';
  out += "ZRS|Y|" + std::to_string(attempt) + "\r";
  return out;
}

}  // namespace vigil::hl7
