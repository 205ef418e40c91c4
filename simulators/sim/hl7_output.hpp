#pragma once
// The HL7 monitor: each numerics sample and each NIBP result becomes one ORU^R01 handed to
// an MllpSender (which owns the connection, ACKs and retries).
//
// Threading: not thread-safe; the io_context thread of its sender.

#include <memory>
#include <string>

#include "sim/mllp_sender.hpp"
#include "sim/monitor_output.hpp"
#include "sim/oru_writer.hpp"

namespace vigil::sim {

/// A MonitorOutput writing ORU^R01 messages through an MllpSender.
class Hl7Output : public MonitorOutput {
 public:
  /// `control_prefix` + sequence number is each message's MSH-10.
  Hl7Output(std::shared_ptr<MllpSender> sender, std::string chair, MessageStyle style,
            std::string control_prefix);

  void start() override { sender_->start(); }
  void numerics(const NumericSample& sample, WallMillis at) override;
  void nibp_started(const NibpSample&, WallMillis) override {}  // HL7 monitors report results only
  void nibp_done(const NibpSample& sample, WallMillis at) override;
  void suspend() override { sender_->suspend(); }
  void resume() override { sender_->resume(); }
  bool idle() const override { return sender_->idle(); }
  void stop() override { sender_->stop(); }
  std::uint64_t messages_built() const override { return seq_; }

 private:
  void send(const OruContent& content, WallMillis at);

  std::shared_ptr<MllpSender> sender_;
  std::string chair_;
  MessageStyle style_;
  std::string control_prefix_;
  std::uint64_t seq_ = 0;
};

/// A stable 16-hex-digit equipment id (EUI-64 style) for a chair name.
std::string equipment_id_for(const std::string& chair);

}  // namespace vigil::sim
