#pragma once
// Accepts monitor connections on the HL7/MLLP port and hands each to an Hl7Connection.
//
// Threading: io thread only.

#include <boost/asio/ip/tcp.hpp>

#include <list>
#include <memory>

#include "daemon/hl7_connection.hpp"

namespace vigil::daemon {

class Hl7Listener {
 public:
  // Connections beyond this are closed at once: memory stays bounded under a connect flood.
  static constexpr std::size_t kMaxConnections = 20000;

  Hl7Listener(boost::asio::io_context& io, IngestPipeline& pipeline, std::size_t max_frame_bytes);

  // Binds and starts accepting; returns the bound endpoint. Throws boost::system::system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);
  void stop_accepting();
  void close_all();
  const Hl7ConnectionStats& stats() const { return stats_; }
  std::size_t open_connections();

 private:
  void do_accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  IngestPipeline& pipeline_;
  std::size_t max_frame_bytes_;
  Hl7ConnectionStats stats_;
  std::list<std::weak_ptr<Hl7Connection>> connections_;
  std::uint64_t refused_ = 0;
};

}  // namespace vigil::daemon
