#pragma once
// Boost.Beast's WebSocket stream closes its next layer through teardown()/async_teardown()
// and beast_close_socket(), found by argument-dependent lookup in the layer's namespace. Ours is
// net::LinkSocket (plain TCP or TLS): closing the TCP socket is its teardown. No TLS close_notify, as
// LinkSocket's own close() explains: a peer that stops reading must not keep the daemon waiting.

// clang-format off
#include <utility>
#include <boost/asio/post.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
// clang-format on

#include "net/link_socket.hpp"

namespace vigil::net {

// What Beast's own timeouts call to close a layer (boost/beast/core/stream_traits.hpp).
inline void beast_close_socket(LinkSocket& socket) { socket.close(); }

inline void teardown(boost::beast::role_type, LinkSocket& socket, boost::system::error_code& ec) {
  socket.close();
  ec = {};
}

template <typename TeardownHandler>
void async_teardown(boost::beast::role_type, LinkSocket& socket, TeardownHandler&& handler) {
  socket.close();
  boost::asio::post(socket.get_executor(), [h = std::forward<TeardownHandler>(handler)]() mutable {
    h(boost::system::error_code{});
  });
}

}  // namespace vigil::net
