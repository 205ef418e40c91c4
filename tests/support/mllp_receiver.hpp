#pragma once
// An MLLP receiver for forwarding tests: what a hospital integration engine does on the
// wire. Runs its own io_context thread (the sender may be another process); records every
// message it receives and answers each as the test's policy says: AA, AE, AR, silence, or
// closing the connection; optionally after a delay. It can stop listening (link down) and
// listen again on the same port.
//
// Threading: all methods are safe from the test thread; the policy runs on the receiver's
// thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vigil::test {

class MllpReceiver {
 public:
  enum class Reply { AA, AE, AR, Silent, Close };
  // policy(message, index among all messages received so far, 0-based)
  using Policy = std::function<Reply(const std::string& message, std::size_t index)>;

  struct Received {
    std::string message;
    std::string control_id;  // MSH-10
    Reply reply = Reply::AA;
  };

  // `tls_cert`/`tls_key` set: the receiver speaks TLS (a server certificate, PEM).
  explicit MllpReceiver(std::uint16_t port = 0, const std::string& tls_cert = "",
                        const std::string& tls_key = "");
  ~MllpReceiver();
  MllpReceiver(const MllpReceiver&) = delete;
  MllpReceiver& operator=(const MllpReceiver&) = delete;

  std::uint16_t port() const;
  std::string address() const { return "127.0.0.1:" + std::to_string(port()); }
  void set_policy(Policy policy);
  void set_delay(std::chrono::milliseconds delay);
  // Closes the listener and every connection: the sender sees a refused link.
  void stop_listening();
  // Listens again on the same port.
  void listen_again();

  std::vector<Received> received() const;
  std::size_t connections() const;
  // Waits until `pred(received())` holds or the timeout passes; returns the last verdict.
  bool wait_for(const std::function<bool(const std::vector<Received>&)>& pred,
                std::chrono::milliseconds timeout) const;

  // MSH-10 of an HL7 message; "" if there is none.
  static std::string control_id_of(const std::string& message);
  // The ACK this receiver sends for `code` ("AA", "AE", "AR").
  static std::string make_ack(const std::string& control_id, const std::string& code,
                              const std::string& text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::test
