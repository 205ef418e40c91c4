// libFuzzer target: vigild's config file parser on arbitrary text. It must either accept the
// text or throw ConfigError with a message; nothing else (no crash, no other exception).
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/settings.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs parse errors itself; they are expected here and only slow the fuzzer.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  vigil::daemon::Settings settings;
  try {
    vigil::daemon::apply_config_text(text, "fuzz.conf", settings);
  } catch (const vigil::daemon::ConfigError& e) {
    if (std::string(e.what()).empty()) __builtin_trap();
  }
  return 0;
}
