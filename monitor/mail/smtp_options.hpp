#pragma once
// Where escalation mail goes: the clinic's own SMTP relay (config escalation.smtp). No
// internet service is assumed; the relay is inside the clinic or its mail gateway.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace vigil::mail {

struct SmtpOptions {
  std::string host;
  std::uint16_t port = 25;
  std::string from;                   // envelope sender and From:
  std::vector<std::string> to;        // tier 1 recipients
  std::vector<std::string> tier2_to;  // tier 2 recipients
  bool starttls = false;              // STARTTLS first; a relay that does not offer it fails
  std::string user;                   // AUTH PLAIN (only over STARTTLS); "" = no AUTH
  std::string password;               // read from password_file at start-up; never logged
  std::string ca_file;                // "" = the system's trust store
  std::chrono::seconds timeout{30};   // per reply (and for connecting)
  std::string helo_name = "vigil";    // EHLO argument
};

// Recipients per tier and in the queue, and mails queued at once: each a stated bound.
inline constexpr std::size_t kMaxRecipients = 16;
inline constexpr std::size_t kMaxQueuedMails = 64;

}  // namespace vigil::mail
