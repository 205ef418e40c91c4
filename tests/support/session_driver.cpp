#include "support/session_driver.hpp"

#include <chrono>
#include <sstream>

namespace vigil::test {

namespace {

using namespace std::chrono_literals;

// Generous: a loaded 2-core machine running several daemons still answers well within it.
constexpr auto kAckTimeout = 20s;
constexpr auto kCommandTimeout = 30s;

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::string hl7_time_at(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S+0000", &tm);
  return buf;
}

std::string make_vitals_oru(const std::string& bed, const std::string& control_id,
                            const std::optional<NibpValues>& nibp, std::optional<double> hr,
                            std::optional<double> spo2) {
  const std::string msh_time = nibp ? nibp->time : hl7_time_at(std::time(nullptr));
  std::ostringstream m;
  m << "MSH|^~\\&|VIGILTEST^0012345678ABCDEF^EUI-64||||" << msh_time << "||ORU^R01^ORU_R01|" << control_id
    << "|P|2.6|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
    << "PID|||TESTPAT^^^Clinic^PI\r"
    << "PV1||I|^^" << bed << "\r"
    << "OBR|1|||182777000^monitoring of patient^SCT|||" << msh_time << "\r";
  int set_id = 0;
  if (nibp) {
    const double mean = nibp->mean.value_or(nibp->dia + (nibp->sys - nibp->dia) / 3.0);
    const struct {
      const char* code;
      double value;
    } parts[] = {{"150021^MDC_PRESS_BLD_NONINV_SYS^MDC", nibp->sys},
                 {"150022^MDC_PRESS_BLD_NONINV_DIA^MDC", nibp->dia},
                 {"150023^MDC_PRESS_BLD_NONINV_MEAN^MDC", mean}};
    for (const auto& part : parts) {
      ++set_id;
      m << "OBX|" << set_id << "|NM|" << part.code << "|1.1.1." << set_id << "|" << number(part.value)
        << "|266016^MDC_DIM_MMHG^MDC|||||" << nibp->status << "|||" << nibp->time << "\r";
    }
  }
  if (hr) {
    m << "OBX|" << ++set_id << "|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|" << number(*hr)
      << "|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r";
  }
  if (spo2) {
    m << "OBX|" << ++set_id << "|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|" << number(*spo2)
      << "|262688^MDC_DIM_PERCENT^MDC|||||R\r";
  }
  return m.str();
}

ChairDriver::ChairDriver(const Vigild& vigild, std::string bed, std::string user)
    : bed_(std::move(bed)),
      user_(std::move(user)),
      stream_(vigild.stream.str()),
      monitor_(vigild.hl7.host, vigild.hl7.port),
      minute_zero_(std::time(nullptr) - 4 * 3600) {}

std::string ChairDriver::next_control_id() { return bed_ + "-" + std::to_string(++messages_); }

std::string ChairDriver::send(const std::string& message) {
  if (!monitor_.connected()) return "monitor not connected to vigild's HL7 port";
  if (!monitor_.send_message(message)) return "could not send to vigild";
  auto ack = monitor_.read_reply(kAckTimeout);
  if (!ack) return "no ACK from vigild";
  const std::string code = hl7_field(*ack, "MSA", 1);
  if (code != "AA")
    return "ACK " + code + ": " + hl7_field(*ack, "MSA", 3) + " / " + hl7_field(*ack, "ERR", 8);
  return {};
}

std::string ChairDriver::time_at(int minute) const {
  return hl7_time_at(minute_zero_ + static_cast<std::time_t>(minute) * 60);
}

std::string ChairDriver::nibp(int minute, double sys, double dia, const std::string& status) {
  NibpValues v;
  v.sys = sys;
  v.dia = dia;
  v.status = status;
  v.time = time_at(minute);
  return send(make_vitals_oru(bed_, next_control_id(), v, 72, 98));
}

std::string ChairDriver::vitals(double hr, double spo2) {
  return send(make_vitals_oru(bed_, next_control_id(), std::nullopt, hr, spo2));
}

std::string ChairDriver::begin_and_start(double sys, double dia, const std::string& patient) {
  const RunResult begin = nurse({"session", "begin", "--patient", patient, "--planned-minutes", "40"});
  if (begin.exit_code != 0) return "session begin: " + begin.out + begin.err;
  for (int minute : {0, 5}) {
    if (std::string e = nibp(minute, sys, dia); !e.empty()) return "baseline cuff: " + e;
  }
  const RunResult start = nurse({"session", "start"});
  if (start.exit_code != 0) return "session start: " + start.out + start.err;
  return "";
}

RunResult ChairDriver::nurse(std::vector<std::string> args, const std::string& user) const {
  std::vector<std::string> argv{bin("vigilctl")};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a : {std::string("--bed"), bed_, std::string("--connect"), stream_,
                               std::string("--user"), user.empty() ? user_ : user})
    argv.push_back(a);
  return run_command(std::move(argv), kCommandTimeout);
}

}  // namespace vigil::test
