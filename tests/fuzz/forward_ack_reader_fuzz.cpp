// libFuzzer target: the forwarder's reader of the hospital engine's ACKs (outside bytes).
// Whatever arrives, read_ack() answers without crashing, and what it accepts is consistent:
// a verdict always comes with the MSA-1 code that earned it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "forward/ack_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto ack = vigil::forward::read_ack(bytes);
  if (!ack) return 0;
  const std::string_view code = ack->code;
  const bool accepted = code == "AA" || code == "CA";
  const bool error = code == "AE" || code == "CE";
  const bool reject = code == "AR" || code == "CR";
  if (!accepted && !error && !reject) std::abort();  // an unknown MSA-1 must be refused
  using vigil::forward::AckVerdict;
  if (accepted != (ack->verdict == AckVerdict::Accepted)) std::abort();
  if (error != (ack->verdict == AckVerdict::Error)) std::abort();
  if (reject != (ack->verdict == AckVerdict::Reject)) std::abort();
  return 0;
}
