#pragma once
// One listening socket and its accept loop: the HL7 listener and the stream server both
// take their connections from one of these, so both behave alike.
//
//   listen(at): open, close-on-exec, SO_REUSEADDR, bind, listen  ──► accept ──► on_accept
//                                                                    ▲   │ (socket also
//                                   accept failed (EMFILE, a reset)  │   │  close-on-exec)
//                                   on_error(ec), pause retry_delay ─┘◄──┘
//   stop(): closes the socket; no callback runs afterwards.
//
// Close-on-exec: Asio 1.74 opens sockets without it, so a process the daemon spawns would
// inherit the listening port (and keep it bound after the daemon stops) and every link.
// The pause after a failed accept: out of descriptors, the pending connection stays queued
// and accept fails again at once; retrying at once spins the io thread at 100% CPU.
//
// Lifetime: pending handlers hold only a weak reference, so the Acceptor may be destroyed
// at any time (it stops); a handler that runs later does nothing.
// Threading: io thread only, like the socket; callbacks run there.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace vigil::net {

class Acceptor {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket socket)>;
  using OnError = std::function<void(const boost::system::error_code& ec)>;
  static constexpr std::chrono::milliseconds kRetryDelay{100};

  Acceptor(boost::asio::io_context& io, OnAccept on_accept, OnError on_error = {});
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Binds and starts accepting; returns the bound endpoint (port 0: the port picked).
  // Throws boost::system::system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);
  // Closes the socket and cancels the retry pause. Idempotent.
  void stop();
  bool is_open() const;
  // Failed accepts since construction.
  std::uint64_t accept_errors() const;

 private:
  class Loop;
  std::shared_ptr<Loop> loop_;
};

// Sets close-on-exec on a descriptor Asio opened (see the file comment).
void set_cloexec(int fd);

}  // namespace vigil::net
