#include "sim/intellivue_sim_monitor.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include "intellivue/association.hpp"
#include "intellivue/monitor_side.hpp"

namespace vigil::sim {

namespace asio = boost::asio;
namespace iv = vigil::intellivue;

namespace {

constexpr std::size_t kMaxPtyQueue = 64;  // frames waiting for the pty; more are dropped
constexpr std::uint16_t kBpm = 0x0AA0, kPercent = 0x0220, kMmHg = 0x0F20, kDimless = 0x0200;
constexpr std::uint16_t kHr = 0x4182, kPlethRate = 0x4822, kSpo2 = 0x4BB8, kPerfRel = 0x4BB0;
constexpr std::uint16_t kNibp = 0x4A04, kNibpSys = 0x4A05, kNibpDia = 0x4A06, kNibpMean = 0x4A07;

// The monitor's clock is local time without a zone, as on the real one.
iv::AbsoluteTime local_absolute_time(WallMillis ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm local{};
  localtime_r(&t, &local);
  return iv::make_absolute_time(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour,
                                local.tm_min, local.tm_sec);
}

iv::NumericValue iv_value(std::uint16_t physio, std::uint16_t unit, int value, std::uint16_t state = 0) {
  iv::NumericValue v;
  v.physio_id = physio;
  v.unit_code = unit;
  v.state = state;
  v.value = iv::decode_float(iv::encode_float(value, 0));
  return v;
}

iv::NumericValue iv_nan(std::uint16_t physio, std::uint16_t unit, std::uint16_t state) {
  iv::NumericValue v;
  v.physio_id = physio;
  v.unit_code = unit;
  v.state = state;
  v.value = iv::decode_float(0x007FFFFF);  // NaN
  return v;
}

}  // namespace

std::optional<std::vector<IvFault>> parse_iv_fault_list(const std::string& list, std::string* error) {
  std::vector<IvFault> out;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name.empty()) continue;
    if (name == "drop")
      out.push_back(IvFault::Drop);
    else if (name == "garbage")
      out.push_back(IvFault::Garbage);
    else if (name == "bad-fcs")
      out.push_back(IvFault::BadFcs);
    else if (name == "questionable")
      out.push_back(IvFault::Questionable);
    else {
      if (error)
        *error = "unknown IntelliVue fault '" + name + "' (known: drop, garbage, bad-fcs, questionable)";
      return std::nullopt;
    }
  }
  return out;
}

IntelliVueSimMonitor::IntelliVueSimMonitor(asio::io_context& io, IntelliVueSimOptions options,
                                           WallNowFn wall_now)
    : opt_(std::move(options)), wall_now_(std::move(wall_now)), udp_(io), line_(io), rng_(opt_.seed) {
  if (!opt_.pty) {
    const asio::ip::udp::endpoint at(asio::ip::make_address(opt_.udp_address), opt_.udp_port);
    udp_.open(at.protocol());
    udp_.bind(at);
    where_ = opt_.udp_address + ":" + std::to_string(udp_.local_endpoint().port());
    if (!opt_.announce_to.empty())
      announcer_ =
          std::make_unique<IvAnnouncer>(io, opt_.announce_to, opt_.udp_address, udp_.local_endpoint().port(),
                                        opt_.seed, opt_.announce_every);
    return;
  }
  if (!opt_.announce_to.empty())
    throw std::runtime_error("--iv-announce needs UDP chairs (not --serial-pty)");
  termios raw{};
  ::cfmakeraw(&raw);
  raw.c_cflag |= CREAD | CLOCAL;
  int master = -1;
  if (::openpty(&master, &slave_fd_, nullptr, &raw, nullptr) != 0)
    throw std::runtime_error(std::string("openpty: ") + std::strerror(errno));
  ::fcntl(master, F_SETFD, ::fcntl(master, F_GETFD) | FD_CLOEXEC);
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  ::fcntl(slave_fd_, F_SETFD, ::fcntl(slave_fd_, F_GETFD) | FD_CLOEXEC);
  char name[128] = {};
  if (::ptsname_r(master, name, sizeof name) != 0) {
    ::close(master);
    ::close(slave_fd_);
    throw std::runtime_error("ptsname_r failed");
  }
  line_.assign(master);
  where_ = name;
}

IntelliVueSimMonitor::~IntelliVueSimMonitor() { stop(); }

std::string IntelliVueSimMonitor::summary() const {
  const auto& c = counters_;
  return "intellivue associations=" + std::to_string(c.associations) +
         " refused=" + std::to_string(c.refused) + " polls=" + std::to_string(c.polls) +
         " sent=" + std::to_string(c.sent) + " faults=" + std::to_string(c.faults) +
         " bad_requests=" + std::to_string(c.bad_requests);
}

void IntelliVueSimMonitor::log(const std::string& line) {
  if (log_) log_(line);
}

void IntelliVueSimMonitor::start() {
  if (opt_.pty)
    read_pty();
  else
    receive_udp();
  if (announcer_) announcer_->start();
}

void IntelliVueSimMonitor::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (announcer_) announcer_->stop();
  boost::system::error_code ignored;
  udp_.close(ignored);
  line_.close(ignored);
  if (slave_fd_ >= 0) ::close(slave_fd_);
  slave_fd_ = -1;
}

void IntelliVueSimMonitor::reboot() {
  if (associated_) send(iv::encode_abort());
  associated_ = false;
  peer_.reset();
  refuse_until_ = std::chrono::steady_clock::now() + opt_.refuse_after_reboot;
  log(opt_.chair + ": intellivue: reboot (association aborted; refusing for " +
      std::to_string(opt_.refuse_after_reboot.count()) + " ms)");
}

void IntelliVueSimMonitor::receive_udp() {
  if (stopped_) return;
  auto self = shared_from_this();
  udp_.async_receive_from(asio::buffer(buf_), from_,
                          [this, self](boost::system::error_code ec, std::size_t n) {
                            if (stopped_ || ec == asio::error::operation_aborted) return;
                            if (!ec && !suspended_) {
                              if (peer_ && from_ != *peer_ && associated_) {
                                // One client per interface, as on the monitor: a second one is refused.
                                const auto r = iv::decode_client_request(std::string_view(buf_.data(), n));
                                if (r && r->kind == iv::ClientRequestKind::Associate) {
                                  ++counters_.refused;
                                  const std::string refuse = iv::encode_refuse();
                                  udp_.send_to(asio::buffer(refuse), from_, 0, ec);
                                }
                              } else {
                                if (!associated_) peer_ = from_;
                                on_message(std::string_view(buf_.data(), n));
                              }
                            }
                            receive_udp();
                          });
}

void IntelliVueSimMonitor::read_pty() {
  if (stopped_) return;
  auto self = shared_from_this();
  line_.async_read_some(asio::buffer(buf_), [this, self](boost::system::error_code ec, std::size_t n) {
    if (stopped_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      log(opt_.chair + ": intellivue: serial line read failed: " + ec.message());
      return;
    }
    std::vector<std::string> messages;
    deframer_.feed(std::string_view(buf_.data(), n), messages);
    counters_.bad_requests = deframer_.counters().bad_frames();
    if (!suspended_)
      for (const std::string& m : messages) on_message(m);
    read_pty();
  });
}

void IntelliVueSimMonitor::on_message(std::string_view bytes) {
  const auto request = iv::decode_client_request(bytes);
  if (!request) {
    ++counters_.bad_requests;
    return;
  }
  switch (request->kind) {
    case iv::ClientRequestKind::Associate:
      if (std::chrono::steady_clock::now() < refuse_until_) {
        ++counters_.refused;
        send(iv::encode_refuse());
        return;
      }
      ++counters_.associations;
      associated_ = true;
      log(opt_.chair + ": intellivue: association accepted");
      send(iv::encode_association_accept());
      {
        const WallMillis now = wall_now_ ? wall_now_() : 0;
        const auto rel = static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_)
                .count() /
            125);
        send(iv::encode_mds_create_event(++invoke_id_, local_absolute_time(now), rel));
      }
      return;
    case iv::ClientRequestKind::Release:
      associated_ = false;
      send(iv::encode_release_result());
      log(opt_.chair + ": intellivue: association released");
      return;
    case iv::ClientRequestKind::Abort:
      associated_ = false;
      log(opt_.chair + ": intellivue: association aborted by the client");
      return;
    case iv::ClientRequestKind::MdsCreateResult: return;
    case iv::ClientRequestKind::Poll:
      if (!associated_) return;  // a monitor ignores data requests outside an association
      ++counters_.polls;
      answer_poll(request->invoke_id, request->poll_number, request->extended, request->object_class,
                  request->attr_group);
      return;
    case iv::ClientRequestKind::Other: return;
  }
}

bool IntelliVueSimMonitor::roll() {
  if (opt_.faults.empty() || opt_.fault_rate <= 0) return false;
  return std::uniform_real_distribution<double>(0, 1)(rng_) < opt_.fault_rate;
}

void IntelliVueSimMonitor::answer_poll(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                                       std::uint16_t object_class, std::uint16_t attr_group) {
  if (object_class != iv::kMocVmoMetricNu) {
    send(iv::encode_empty_poll_result(invoke_id, poll_number, extended, object_class, attr_group));
    return;
  }
  send(numerics_result(invoke_id, poll_number, extended, false), true);
}

std::string IntelliVueSimMonitor::numerics_result(std::uint16_t invoke_id, std::uint16_t poll_number,
                                                  bool extended, bool questionable) {
  const WallMillis now = wall_now_ ? wall_now_() : 0;
  std::vector<iv::PolledNumeric> objects;
  if (have_numerics_) {
    objects.push_back({1, {iv_value(kHr, kBpm, latest_.hr_bpm)}, std::nullopt});
    objects.push_back({2, {iv_value(kPlethRate, kBpm, latest_.hr_bpm)}, std::nullopt});
    objects.push_back(
        {3,
         {iv_value(kSpo2, kPercent, latest_.spo2_pct, questionable ? iv::kStateQuestionable : 0)},
         std::nullopt});
    objects.push_back({4, {iv_value(kPerfRel, kDimless, 3)}, std::nullopt});  // not a vital vigil tracks
  }
  if (nibp_measuring_ && nibp_) {
    const std::uint16_t s = iv::kStateMsmtOngoing;
    objects.push_back(
        {5,
         {iv_value(kNibpSys, kMmHg, nibp_->sys_mmhg, s), iv_value(kNibpDia, kMmHg, nibp_->dia_mmhg, s),
          iv_value(kNibpMean, kMmHg, nibp_->mean_mmhg, s)},
         local_absolute_time(nibp_at_)});
  } else if (nibp_) {
    std::vector<iv::NumericValue> v;
    if (nibp_->outcome == NibpOutcome::Failed) {
      v = {iv_nan(kNibpSys, kMmHg, iv::kStateInvalid), iv_nan(kNibpDia, kMmHg, iv::kStateInvalid),
           iv_nan(kNibpMean, kMmHg, iv::kStateInvalid)};
    } else {
      v = {iv_value(kNibpSys, kMmHg, nibp_->sys_mmhg), iv_value(kNibpDia, kMmHg, nibp_->dia_mmhg),
           iv_value(kNibpMean, kMmHg, nibp_->mean_mmhg)};
    }
    objects.push_back({5, v, local_absolute_time(nibp_at_)});
  }
  (void)kNibp;
  const auto rel = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_)
          .count() /
      125);
  return iv::encode_numerics_poll_result(invoke_id, poll_number, extended, rel, local_absolute_time(now),
                                         objects);
}

void IntelliVueSimMonitor::send(std::string message, bool numerics) {
  if (stopped_ || suspended_) return;
  if (roll()) {
    ++counters_.faults;
    const IvFault f =
        opt_.faults[std::uniform_int_distribution<std::size_t>(0, opt_.faults.size() - 1)(rng_)];
    switch (f) {
      case IvFault::Drop: return;
      case IvFault::Garbage: write_raw("\x42\x13\x37 junk \x7E"); break;
      case IvFault::BadFcs:
        if (opt_.pty) {
          std::string frame = iv::encode_mib_frame(message);
          frame[frame.size() - 2] = static_cast<char>(frame[frame.size() - 2] ^ 0x01);
          if (static_cast<std::uint8_t>(frame[frame.size() - 2]) >= 0x7D) frame[frame.size() - 2] = 0x11;
          ++counters_.sent;
          if (pty_out_.size() < kMaxPtyQueue) pty_out_.push_back(std::move(frame));
          if (!writing_) write_raw("");
          return;
        }
        message.resize(message.size() / 2);
        break;
      case IvFault::Questionable:
        if (numerics) {
          // Re-encode with the flag: the caller's message is a numerics result.
          const auto r = iv::decode_message(message);
          if (r.ok())
            if (const auto* p = std::get_if<iv::PollResultPart>(&r.message))
              message = numerics_result(p->invoke_id, p->poll_number, p->extended, true);
        }
        break;
    }
  }
  ++counters_.sent;
  if (!opt_.pty) {
    if (!peer_) return;
    boost::system::error_code ec;
    udp_.send_to(asio::buffer(message), *peer_, 0, ec);  // a datagram: never blocks long
    return;
  }
  if (pty_out_.size() >= kMaxPtyQueue) return;
  pty_out_.push_back(iv::encode_mib_frame(message));
  if (!writing_) write_raw("");
}

// UDP: one junk datagram. pty: queue `bytes` (may be empty) and drain the queue.
void IntelliVueSimMonitor::write_raw(std::string bytes) {
  if (!opt_.pty) {
    if (!peer_ || bytes.empty()) return;
    boost::system::error_code ec;
    udp_.send_to(asio::buffer(bytes), *peer_, 0, ec);
    return;
  }
  if (!bytes.empty() && pty_out_.size() < kMaxPtyQueue) pty_out_.push_back(std::move(bytes));
  if (writing_ || pty_out_.empty() || stopped_) return;
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(line_, asio::buffer(pty_out_.front()),
                    [this, self](boost::system::error_code ec, std::size_t) {
                      writing_ = false;
                      if (stopped_ || ec) return;
                      pty_out_.pop_front();
                      write_raw("");
                    });
}

void IntelliVueSimMonitor::numerics(const NumericSample& sample, WallMillis) {
  latest_ = sample;
  have_numerics_ = true;
}

void IntelliVueSimMonitor::nibp_started(const NibpSample& sample, WallMillis at) {
  nibp_ = sample;
  nibp_at_ = at;
  nibp_measuring_ = true;
}

void IntelliVueSimMonitor::nibp_done(const NibpSample& sample, WallMillis at) {
  nibp_ = sample;
  nibp_at_ = at;
  nibp_measuring_ = false;
  log(opt_.chair + ": intellivue: NIBP " + std::to_string(sample.sys_mmhg) + "/" +
      std::to_string(sample.dia_mmhg));
}

}  // namespace vigil::sim
