#pragma once
// vigilctl's nurse actions: the same requests vigil-dashboard sends. Each prints the
// daemon's answer as one JSON line ({"type":"result","ok":...}) and returns 0 if it was
// done, 1 if refused (the reason also on stderr) or the daemon could not be reached, 2 for
// bad arguments.

#include <functional>
#include <string>

#include "events.pb.h"
#include "net/link_security.hpp"

namespace vigil::ctl {

struct NurseArgs {
  std::string connect = "127.0.0.1:7420";
  std::string user;  // who does it; logged with the action
  std::string pin;   // the PIN of `user` when a station (or another nurse's login) names her
  std::string bed;
  net::LinkSecurity security;  // --tls --ca --cert --key --token ...
};

// Sends `request` (its bed and user are filled from `args`) and waits for the result.
int run_nurse_request(const NurseArgs& args, proto::NurseRequest request);

// Prints an answer to stdout (run_nurse_request prints one JSON result line).
using ResultPrinter = std::function<void(const proto::RequestResult&)>;

// The same for any request, printing the answer with `print`; a read-only request
// (`needs_user` false) may be sent without --user.
int run_stream_request(const NurseArgs& args, proto::NurseRequest request, const ResultPrinter& print,
                       bool needs_user);

// "150/95" -> {150, 95}; false on anything else.
bool parse_sys_dia(const std::string& text, double& sys, double& dia);

}  // namespace vigil::ctl
