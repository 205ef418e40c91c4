#include "sim/oru_writer.hpp"

#include <cstdio>
#include <ctime>

namespace vigil::sim {

namespace {

// A chair name goes into a field verbatim: strip the HL7 delimiters rather than escape
// them, since a bed name with '|' or '^' is a configuration mistake anyway.
std::string clean(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '|' && c != '^' && c != '~' && c != '\\' && c != '&' && c != '\r' && c != '\n') out += c;
  return out;
}

struct Row {
  const char* type;     // OBX-2
  const char* ihe_id;   // OBX-3, IHE
  const char* mdil_id;  // OBX-3, vendor
  const char* ihe_unit;
  const char* mdil_unit;
  const char* sub_id;  // OBX-4, IHE containment
};

constexpr Row kHr{"NM",
                  "147842^MDC_ECG_HEART_RATE^MDC",
                  "0002-4182^HR^MDIL",
                  "264864^MDC_DIM_BEAT_PER_MIN^MDC",
                  "0004-0aa0^bpm^MDIL",
                  "1.1.1.1"};
constexpr Row kSpo2{"NM",
                    "150456^MDC_PULS_OXIM_SAT_O2^MDC",
                    "0002-4bb8^SpO2^MDIL",
                    "262688^MDC_DIM_PERCENT^MDC",
                    "0004-0220^%^MDIL",
                    "1.2.1.1"};
constexpr Row kSys{"NM",
                   "150021^MDC_PRESS_BLD_NONINV_SYS^MDC",
                   "0002-4a05^NBPs^MDIL",
                   "266016^MDC_DIM_MMHG^MDC",
                   "0004-0f20^mmHg^MDIL",
                   "1.3.1.1"};
constexpr Row kDia{"NM",
                   "150022^MDC_PRESS_BLD_NONINV_DIA^MDC",
                   "0002-4a06^NBPd^MDIL",
                   "266016^MDC_DIM_MMHG^MDC",
                   "0004-0f20^mmHg^MDIL",
                   "1.3.1.2"};
constexpr Row kMean{"NM",
                    "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC",
                    "0002-4a07^NBPm^MDIL",
                    "266016^MDC_DIM_MMHG^MDC",
                    "0004-0f20^mmHg^MDIL",
                    "1.3.1.3"};
// The error row: a local code, as monitors do for their own technical messages.
constexpr Row kNibpError{"ST",     "NIBP_ERR^NIBP measurement error^L", "0002-f0e1^NBP-ERR^MDIL", "", "",
                         "1.3.1.4"};

class Writer {
 public:
  Writer(MessageStyle style, const MonitorIdentity& who)
      : style_(style), equipment_(clean(who.equipment_id)) {}

  // OBX|set|type|id|sub|value|unit|7|8|9|10|status|12|13|time|15|16|17|equipment
  void obx(const Row& row, const std::string& value, const char* status, const std::string& time) {
    const bool ihe = style_ == MessageStyle::Ihe;
    out_ += "OBX|";
    if (ihe) out_ += std::to_string(++set_id_);
    out_ += '|';
    out_ += row.type;
    out_ += '|';
    out_ += ihe ? row.ihe_id : row.mdil_id;
    out_ += '|';
    if (ihe) out_ += row.sub_id;
    out_ += '|' + value + '|';
    out_ += ihe ? row.ihe_unit : row.mdil_unit;
    out_ += "|||||";
    out_ += status;
    if (!time.empty() || ihe) out_ += "|||" + time;
    if (ihe) out_ += "||||" + equipment_ + "^EUI-64";
    out_ += '\r';
  }

  std::string& text() { return out_; }

 private:
  MessageStyle style_;
  std::string equipment_;
  int set_id_ = 0;
  std::string out_;
};

void write_header(std::string& out, const MonitorIdentity& who, MessageStyle style,
                  std::string_view control_id, const std::string& ts) {
  const std::string chair = clean(who.chair);
  const std::string eui = clean(who.equipment_id);
  const std::string ctl = clean(control_id);
  if (style == MessageStyle::Ihe) {
    out += "MSH|^~\\&|VIGILSIM^" + eui + "^EUI-64||||" + ts + "||ORU^R01^ORU_R01|" + ctl +
           "|P|2.6|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r";
    out += "PV1||I|^^" + chair + "\r";
    out += "OBR|1|" + ctl + "^VIGILSIM^" + eui + "^EUI-64|" + ctl + "^VIGILSIM^" + eui +
           "^EUI-64|182777000^monitoring of patient^SCT|||" + ts + "\r";
  } else {
    out += "MSH|^~\\&|^EfficiaCM||||" + ts + "||ORU^R01|" + ctl + "|P|2.4\r";
    out += "PV1|||^^" + chair + "\r";
    out += "OBR||||MONITOR|||" + ts + "\r";
  }
}

}  // namespace

std::optional<MessageStyle> message_style_from_string(std::string_view name) {
  if (name == "ihe") return MessageStyle::Ihe;
  if (name == "vendor") return MessageStyle::Vendor;
  return std::nullopt;
}

std::string hl7_timestamp(WallMillis ms) {
  std::time_t t = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d+0000", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string build_oru(const OruContent& content, const MonitorIdentity& who, MessageStyle style,
                      std::string_view control_id, WallMillis message_time_ms) {
  Writer w(style, who);
  write_header(w.text(), who, style, control_id, hl7_timestamp(message_time_ms));
  const char* ok = style == MessageStyle::Ihe ? "R" : "F";
  if (content.numerics) {
    const auto& n = *content.numerics;
    const std::string ts = style == MessageStyle::Ihe ? hl7_timestamp(n.at_ms) : "";
    w.obx(kHr, std::to_string(n.hr_bpm), ok, ts);
    w.obx(kSpo2, std::to_string(n.spo2_pct), ok, ts);
  }
  if (content.nibp) {
    const auto& b = *content.nibp;
    const std::string ts = hl7_timestamp(b.completed_at_ms);
    if (b.failed) {
      w.obx(kSys, "", "X", ts);
      w.obx(kDia, "", "X", ts);
      w.obx(kMean, "", "X", ts);
      w.obx(kNibpError, clean(b.error), ok, ts);
    } else {
      w.obx(kSys, std::to_string(b.sys_mmhg), ok, ts);
      w.obx(kDia, std::to_string(b.dia_mmhg), ok, ts);
      w.obx(kMean, std::to_string(b.mean_mmhg), ok, ts);
    }
  }
  return std::move(w.text());
}

}  // namespace vigil::sim
