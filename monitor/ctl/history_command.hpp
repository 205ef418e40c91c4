#pragma once
// vigilctl history: what vigild sends a screen that asks for a chair's stored history (the
// dashboard's trend and record after a late connect): the same request over the stream,
// so it shows exactly the bounded answer a screen gets (docs/stream.md, "History").

#include <string>

#include "ctl/nurse_commands.hpp"

namespace vigil::ctl {

struct HistoryArgs {
  NurseArgs link;               // --connect, --user, --bed and the TLS/token flags
  std::string session;          // "": the chair's open session, else its latest
  std::string format = "text";  // text | jsonl
};

// Prints the answer: text, one line per item oldest first and a summary line; jsonl, the
// reading/alert/session lines of `vigilctl watch` then {"type":"history",...}. Exit 0 when
// answered, 1 when refused (the reason on stderr) or vigild cannot be reached, 2 for bad
// arguments.
int run_history(const HistoryArgs& args);

}  // namespace vigil::ctl
