#include "support/mllp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <sstream>
#include <vector>

namespace vigil::test {

MllpClient::MllpClient(const std::string& host, std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

MllpClient::~MllpClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool MllpClient::send_raw(const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

bool MllpClient::send_message(const std::string& message) { return send_raw("\x0b" + message + "\x1c\x0d"); }

std::optional<std::string> MllpClient::read_reply(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto start = buffer_.find('\x0b');
    if (start != std::string::npos) {
      auto end = buffer_.find("\x1c\x0d", start);
      if (end != std::string::npos) {
        std::string payload = buffer_.substr(start + 1, end - start - 1);
        buffer_.erase(0, end + 2);
        return payload;
      }
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

bool MllpClient::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

std::string hl7_time_ago(int seconds) {
  std::time_t t = std::time(nullptr) - seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S+0000", &tm);
  return buf;
}

std::string make_oru(const OruValues& v) {
  std::ostringstream m;
  m << "MSH|^~\\&|VIGILTEST^0012345678ABCDEF^EUI-64||||" << v.time << "||ORU^R01^ORU_R01|" << v.control_id
    << "|P|2.6|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
    << "PID|||TESTPAT^^^Clinic^PI\r"
    << "PV1||I|^^" << v.bed << "\r"
    << "OBR|1|||182777000^monitoring of patient^SCT|||" << v.time << "\r"
    << "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|" << v.sys << "|266016^MDC_DIM_MMHG^MDC|||||R|||"
    << v.time << "\r"
    << "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|" << v.dia << "|266016^MDC_DIM_MMHG^MDC|||||R|||"
    << v.time << "\r"
    << "OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|" << v.mean
    << "|266016^MDC_DIM_MMHG^MDC|||||R|||" << v.time << "\r"
    << "OBX|4|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|" << v.hr << "|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r"
    << "OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|" << v.spo2 << "|262688^MDC_DIM_PERCENT^MDC|||||R\r";
  return m.str();
}

std::string hl7_field(const std::string& message, const std::string& segment, int index) {
  std::istringstream in(message);
  std::string line;
  while (std::getline(in, line, '\r')) {
    if (line.rfind(segment + "|", 0) != 0) continue;
    std::vector<std::string> fields;
    std::string field;
    std::istringstream f(line);
    while (std::getline(f, field, '|')) fields.push_back(field);
    // MSH-1 is the separator itself, so MSH fields sit one place later than others.
    int at = segment == "MSH" ? index - 1 : index;
    if (segment == "MSH" && index == 1) return "|";
    return at < static_cast<int>(fields.size()) ? fields[static_cast<std::size_t>(at)] : "";
  }
  return "";
}

}  // namespace vigil::test
