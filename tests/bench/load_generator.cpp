#include "load_generator.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "sim/ack_reader.hpp"
#include "sim/oru_writer.hpp"

namespace vigil::bench {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr char kIdPlaceholder[] = "@@@@@@@@@@@@@@@@@@";  // kControlIdSize characters
static_assert(sizeof kIdPlaceholder - 1 == kControlIdSize);
constexpr auto kSweepEvery = std::chrono::milliseconds(500);

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::size_t> find_all(const std::string& text, std::string_view what) {
  std::vector<std::size_t> at;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size()))
    at.push_back(pos);
  return at;
}

}  // namespace

void LoadWindow::merge(const LoadWindow& o) {
  seconds = std::max(seconds, o.seconds);
  messages += o.messages;
  not_aa += o.not_aa;
  wrong_id += o.wrong_id;
  bad_ack += o.bad_ack;
  stray_ack += o.stray_ack;
  timeouts += o.timeouts;
  connect_failures += o.connect_failures;
  disconnects += o.disconnects;
  late_sends += o.late_sends;
  latency.merge(o.latency);
  max_latency = std::max(max_latency, o.max_latency);
}

OruTemplate::OruTemplate(int index, const std::string& bed_prefix) : index_(index) {
  const std::int64_t now = wall_ms();
  char bed[64], eui[32];
  std::snprintf(bed, sizeof bed, "%s%06d", bed_prefix.c_str(), index);
  std::snprintf(eui, sizeof eui, "%016llX", 0x0012345600000000ULL + static_cast<unsigned long long>(index));
  sim::OruContent content;
  content.numerics = sim::NumericsObservation{72, 98, now};
  content.nibp = sim::NibpObservation{120, 80, 93, now, false, ""};
  const std::string text = sim::build_oru(content, {bed, eui}, sim::MessageStyle::Ihe, kIdPlaceholder, now);
  frame_ = sim::mllp_frame(text);
  id_at_ = find_all(frame_, kIdPlaceholder);
  time_at_ = find_all(frame_, sim::hl7_timestamp(now));
}

const std::string& OruTemplate::frame(std::uint64_t seq, std::int64_t now_ms) {
  char id[32];  // kControlIdSize used; room to spare keeps -Wformat-truncation quiet
  std::snprintf(id, sizeof id, "%06d-%011llu", index_ % 1000000,
                static_cast<unsigned long long>(seq % 100000000000ULL));
  for (std::size_t at : id_at_) std::memcpy(&frame_[at], id, kControlIdSize);
  if (now_ms / 1000 != stamped_second_) {
    stamped_second_ = now_ms / 1000;
    const std::string ts = sim::hl7_timestamp(now_ms);
    for (std::size_t at : time_at_) std::memcpy(&frame_[at], ts.data(), ts.size());
  }
  return frame_;
}

std::string_view OruTemplate::control_id() const {
  return std::string_view(frame_).substr(id_at_.front(), kControlIdSize);
}

struct LoadGenerator::Link : std::enable_shared_from_this<Link> {
  Link(LoadGenerator& g, int i)
      : gen(g), index(i), socket(g.io_), timer(g.io_), message(i, g.opt_.bed_prefix) {}

  void connect();
  void on_connected();
  void schedule_next(Clock::time_point now);
  void send(Clock::time_point due);
  void read();
  void on_reply(const std::string& payload);
  void drop(std::uint64_t LoadWindow::*counter);

  LoadGenerator& gen;
  const int index;
  asio::ip::tcp::socket socket;
  asio::steady_timer timer;  // paced sends and reconnects
  OruTemplate message;
  sim::ReplyDeframer deframer{4096};
  std::array<char, 1024> buf{};
  std::string expected_id;
  Clock::time_point due{}, next_slot{};
  std::uint64_t seq = 0, generation = 0;
  bool connected = false, in_flight = false, stopped = false;
};

void LoadGenerator::Link::connect() {
  socket.async_connect(gen.opt_.target,
                       [self = shared_from_this(), g = generation](const boost::system::error_code& ec) {
                         if (self->stopped || g != self->generation) return;
                         if (ec) {
                           self->drop(&LoadWindow::connect_failures);
                           return;
                         }
                         self->on_connected();
                       });
}

void LoadGenerator::Link::on_connected() {
  connected = true;
  boost::system::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  read();
  const auto now = Clock::now();
  if (gen.opt_.rate_per_connection_hz <= 0) {
    send(now);
  } else {
    if (next_slot < now) next_slot = now;  // after a reconnect: start afresh, no backlog
    schedule_next(now);
  }
}

// Paced mode: the next message is due at next_slot; late when the ACK came after it.
void LoadGenerator::Link::schedule_next(Clock::time_point now) {
  if (next_slot <= now) {
    if (next_slot + std::chrono::milliseconds(1) < now) gen.bump(&LoadWindow::late_sends);
    send(next_slot);
    return;
  }
  timer.expires_at(next_slot);
  timer.async_wait([self = shared_from_this(), g = generation](const boost::system::error_code& ec) {
    if (ec || self->stopped || g != self->generation) return;
    self->send(self->next_slot);
  });
}

void LoadGenerator::Link::send(Clock::time_point due_at) {
  const std::string& frame = message.frame(++seq, wall_ms());
  expected_id.assign(message.control_id());
  due = due_at;
  in_flight = true;
  // The frame lives in `message`, untouched until this message's ACK arrives.
  asio::async_write(
      socket, asio::buffer(frame),
      [self = shared_from_this(), g = generation](const boost::system::error_code& ec, std::size_t) {
        if (self->stopped || g != self->generation) return;
        if (ec) self->drop(&LoadWindow::disconnects);
      });
}

void LoadGenerator::Link::read() {
  socket.async_read_some(asio::buffer(buf), [self = shared_from_this(), g = generation](
                                                const boost::system::error_code& ec, std::size_t n) {
    if (self->stopped || g != self->generation) return;
    if (ec) {
      self->drop(&LoadWindow::disconnects);
      return;
    }
    self->deframer.feed(self->buf.data(), n);
    while (auto payload = self->deframer.next()) {
      self->on_reply(*payload);
      if (g != self->generation) return;  // dropped while handling it
    }
    self->read();
  });
}

void LoadGenerator::Link::on_reply(const std::string& payload) {
  const auto now = Clock::now();
  if (!in_flight) {
    gen.bump(&LoadWindow::stray_ack);
    return;
  }
  in_flight = false;
  const auto ack = sim::parse_ack(payload);
  if (!ack) {
    gen.bump(&LoadWindow::bad_ack);
  } else if (ack->code != "AA") {
    gen.bump(&LoadWindow::not_aa);
  } else if (ack->control_id != expected_id) {
    gen.bump(&LoadWindow::wrong_id);
  } else {
    const auto latency = now - due;
    ++gen.window_.messages;
    gen.window_.latency.add(latency);
    gen.window_.max_latency =
        std::max(gen.window_.max_latency, std::chrono::duration_cast<std::chrono::nanoseconds>(latency));
  }
  if (gen.opt_.rate_per_connection_hz <= 0) {
    send(now);
  } else {
    next_slot += std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / gen.opt_.rate_per_connection_hz));
    schedule_next(now);
  }
}

void LoadGenerator::Link::drop(std::uint64_t LoadWindow::*counter) {
  gen.bump(counter);
  ++generation;  // every handler of the old connection becomes a no-op
  connected = false;
  in_flight = false;
  boost::system::error_code ignored;
  socket.close(ignored);
  timer.cancel();
  deframer.reset();
  timer.expires_after(gen.opt_.reconnect_delay);
  timer.async_wait([self = shared_from_this(), g = generation](const boost::system::error_code& ec) {
    if (ec || self->stopped || g != self->generation) return;
    self->socket = asio::ip::tcp::socket(self->gen.io_);
    self->connect();
  });
}

LoadGenerator::LoadGenerator(asio::io_context& io, LoadOptions options)
    : io_(io), opt_(std::move(options)), window_start_(Clock::now()), sweep_(io), rng_(opt_.seed) {
  sweep_timeouts();
}

LoadGenerator::~LoadGenerator() { stop(); }

void LoadGenerator::bump(std::uint64_t LoadWindow::*counter) {
  ++(window_.*counter);
  ++(lifetime_.*counter);
}

void LoadGenerator::add_connections(int count, int first_index) {
  const double period_s = opt_.rate_per_connection_hz > 0 ? 1.0 / opt_.rate_per_connection_hz : 0;
  std::uniform_real_distribution<double> phase(0, period_s);
  const auto now = Clock::now();
  for (int i = 0; i < count; ++i) {
    auto link = std::make_shared<Link>(*this, first_index + i);
    // Spread paced monitors over the period, as real ones are (none start in step).
    link->next_slot =
        now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(phase(rng_)));
    links_.push_back(link);
    link->connect();
  }
}

int LoadGenerator::connected() const {
  return static_cast<int>(
      std::count_if(links_.begin(), links_.end(), [](const auto& l) { return l->connected; }));
}

void LoadGenerator::reset_window() {
  window_ = LoadWindow{};
  window_start_ = Clock::now();
}

LoadWindow LoadGenerator::window() const {
  LoadWindow w = window_;
  w.seconds = std::chrono::duration<double>(Clock::now() - window_start_).count();
  return w;
}

void LoadGenerator::stop() {
  if (stopped_) return;
  stopped_ = true;
  sweep_.cancel();
  for (auto& link : links_) {
    link->stopped = true;
    boost::system::error_code ignored;
    link->timer.cancel();
    link->socket.close(ignored);
  }
}

// One timer for all links (not one per message): an ACK overdue by ack_timeout is a
// failure, and the link is dropped and reconnected.
void LoadGenerator::sweep_timeouts() {
  sweep_.expires_after(kSweepEvery);
  sweep_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    const auto now = Clock::now();
    for (auto& link : links_) {
      if (link->in_flight && now - link->due > opt_.ack_timeout) link->drop(&LoadWindow::timeouts);
    }
    sweep_timeouts();
  });
}

}  // namespace vigil::bench
