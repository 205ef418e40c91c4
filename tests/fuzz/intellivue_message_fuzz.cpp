// libFuzzer target intellivue_message: every IntelliVue decoder on arbitrary bytes.
// The input is decoded whole (decode_message, decode_connect_indication), then split into
// messages by a 1-byte length prefix and fed in order through the linked-result assembler
// and the reading mapper, and through a client Session; the whole input also goes to the
// simulator's client request decoder. Checks the stated bounds and that what we
// answer to an MDS Create Event Report decodes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "fuzz/fuzz_check.hpp"
#include "intellivue/data_export_encoder.hpp"
#include "intellivue/messages.hpp"
#include "intellivue/monitor_side.hpp"
#include "intellivue/poll_assembler.hpp"
#include "intellivue/reading_mapper.hpp"
#include "intellivue/session.hpp"

namespace {

using vigil::fuzz::check;

using namespace vigil::intellivue;

void check_part(const PollResultPart& p) {
  check(p.observations.size() <= kMaxObservationsPerResult);
  for (const ObservationPoll& o : p.observations)
    check(o.numerics.size() <= kMaxAttributesPerList * kMaxCompoundValues);
}

void handle(const MessageResult& r, PollResultAssembler& assembler, ReadingMapper& mapper) {
  if (!r.ok()) return;
  if (const auto* part = std::get_if<PollResultPart>(&r.message)) {
    check_part(*part);
    if (auto done = assembler.add(*part)) {
      check_part(*done);
      (void)mapper.map(*done);
    }
  } else if (const auto* report = std::get_if<MdsCreateEventReport>(&r.message)) {
    mapper.set_clock_anchor(*report);
    const MessageResult answer = decode_message(encode_mds_create_result(*report));
    check(answer.ok() && std::holds_alternative<UnhandledDataExport>(answer.message));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  PollResultAssembler assembler;
  ReadingMapper mapper("intellivue:fuzz");
  handle(decode_message(bytes), assembler, mapper);
  const ConnectIndicationResult ci = decode_connect_indication(bytes);
  if (ci.ok()) check(ci.indication.protocols.size() <= kMaxProtocolSupportEntries);
  (void)decode_client_request(bytes);  // the simulator's parser of what a client sends
  // The client session in every state it can reach from these bytes: bounded output.
  Session session;
  SessionOutput out;
  const SessionTime t0{};
  session.start(t0, out);
  session.on_message(encode_association_accept(), t0, out);

  // A sequence: [len][message][len][message]...
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t n = static_cast<std::uint8_t>(bytes[at]);
    const std::string_view m = bytes.substr(at + 1, n);
    handle(decode_message(m), assembler, mapper);
    session.on_message(m, t0, out);
    check(out.send.size() <= 3 && out.results.size() <= 1);
    at += 1 + n;
  }
  return 0;
}
