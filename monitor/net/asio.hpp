#pragma once
// Boost.Asio's umbrella header, for every file that wants all of Asio. Include this instead
// of <boost/asio.hpp>: Boost 1.74's asio/awaitable.hpp uses std::exchange without including
// <utility>, so <utility> must come first, and this is the one place that knows it. (The
// individual headers, <boost/asio/ip/tcp.hpp> and the like, do not need it.)

// clang-format off
#include <utility>
#include <boost/asio.hpp>
// clang-format on
