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

// Sends `request` as it is (args.user only names the client in the hello) and waits for
// its result; `on_result` prints it and returns the exit code. 1 when vigild is not reached
// or does not answer (said on stderr), 2 for a bad --connect or link flags.
using ResultPrinter = std::function<int(const proto::RequestResult& result)>;
int send_stream_request(const NurseArgs& args, const proto::NurseRequest& request,
                        const ResultPrinter& on_result);

// "150/95" -> {150, 95}; false on anything else.
bool parse_sys_dia(const std::string& text, double& sys, double& dia);

}  // namespace vigil::ctl
