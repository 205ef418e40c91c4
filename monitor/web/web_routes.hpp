#pragma once
// The web view on vigild's HTTP port (docs/web.md):
//
//   GET /              the page (index.html)       ┐ embedded in vigild at build time
//   GET /app.js ...    its scripts and style sheet ┘ (static/, embed_static.cmake)
//   GET /stream + "Upgrade: websocket"  ──► the stream protocol as JSON (websocket_session.hpp),
//                                           a client of the StreamServer like any other
//   GET /stream without the upgrade     ──► 426
//
// Static answers carry a Content-Security-Policy that allows only this origin (no inline
// script, no other host) and Cache-Control: no-cache (a browser revalidates, so an upgraded
// vigild serves its own page).
//
// A browser sends its page's Origin with a WebSocket upgrade. Another site's page open in the
// same browser must not drive the stream (on loopback without users it could acknowledge):
// an upgrade whose Origin is not this host is refused (403). Clients without an Origin (not
// browsers) pass; they authenticate like any stream client.
//
// Threading: io thread only (the HTTP server's and the stream's).

#include <optional>
#include <span>
#include <string_view>

#include "http/http_routes.hpp"
#include "stream/stream_server.hpp"

namespace vigil::web {

// One file of static/, embedded in the binary.
struct StaticFile {
  std::string_view path;  // "/app.js"
  std::string_view bytes;
};

// Every embedded file (the generated web_static_files.cpp).
std::span<const StaticFile> static_files();

// "text/javascript; charset=utf-8" for "/app.js", ... by extension; octet-stream otherwise.
std::string_view content_type_for(std::string_view path);

// The answer for an embedded file's path ("/" is "/index.html"), or nullopt.
std::optional<http::HttpAnswer> static_answer(std::string_view path);

// nullopt when the upgrade may proceed: no Origin, or an Origin naming the request's Host.
std::optional<http::HttpAnswer> vet_websocket_origin(const http::UpgradeRequest& request);

// Adds the static files and /stream to `routes`; `stream` must outlive them.
void add_web_routes(http::HttpRoutes& routes, stream::StreamServer& stream);

}  // namespace vigil::web
