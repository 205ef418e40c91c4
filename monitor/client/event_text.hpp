#pragma once
// Stream events as text lines for a person at a terminal (`vigilctl watch --format text`),
// laid out like `vigilctl timeline`'s text: time (RFC 3339 UTC), a padded type, the words.
// The JSON lines (event_lines.hpp) stay the contract for programs; these are for eyes only.
// Pure: no sockets, no clocks.

#include <string>
#include <vector>

#include "client/event_lines.hpp"
#include "stream.pb.h"

namespace vigil::client {

// The text lines one server message prints as; the same events as event_lines() prints.
//   2026-12-06T14:02:10Z  escalation tier 1 CHAIR3 CHAIR3-P1-4: escalated to nurse.lee's phone: HIGH SBP 204
//   >= 200 (CHAIR3) 2026-12-06T14:00:10Z  alert     CHAIR3 P1 HIGH ACTIVE raised: SBP 204 >= 200
std::vector<std::string> event_text_lines(const proto::ServerMessage& message, const EventFilter& filter);

}  // namespace vigil::client
