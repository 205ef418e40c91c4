// Linked poll results: FIRST, NOT_FIRST_NOT_LAST, LAST, then one RORS (PIPG "RORLS_LAST:
// last RORLSapdu, one RORSapdu to follow", as VSCaptureMP Class2.cs and OpenICE
// dataexport/RemoteOperationLinkedState define it).
#include <gtest/gtest.h>

#include "intellivue/poll_assembler.hpp"

namespace vigil::intellivue {
namespace {

PollResultPart part(LinkedState state, std::uint8_t count, std::uint16_t invoke_id,
                    std::size_t observations) {
  PollResultPart p;
  p.linked = state;
  p.linked_count = count;
  p.invoke_id = invoke_id;
  for (std::size_t i = 0; i < observations; ++i) {
    ObservationPoll o;
    o.handle = static_cast<std::uint16_t>(count * 100 + i);
    p.observations.push_back(o);
  }
  return p;
}

TEST(PollAssembler, UnlinkedResultIsCompleteAtOnce) {
  PollResultAssembler a;
  const auto done = a.add(part(LinkedState::None, 0, 1, 3));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->observations.size(), 3u);
  EXPECT_EQ(a.counters().results, 1u);
}

TEST(PollAssembler, LinkedPartsAreJoinedInOrderWhenTheResultCloses) {
  PollResultAssembler a;
  EXPECT_FALSE(a.add(part(LinkedState::First, 1, 5, 2)));
  EXPECT_FALSE(a.add(part(LinkedState::Middle, 2, 5, 2)));
  EXPECT_FALSE(a.add(part(LinkedState::Last, 3, 5, 1)));
  const auto done = a.add(part(LinkedState::None, 0, 5, 0));  // the closing RORS, empty
  ASSERT_TRUE(done);
  ASSERT_EQ(done->observations.size(), 5u);
  EXPECT_EQ(done->observations[0].handle, 100);
  EXPECT_EQ(done->observations[4].handle, 300);
  EXPECT_EQ(done->linked, LinkedState::None);
  EXPECT_EQ(a.counters().linked_parts, 3u);
}

TEST(PollAssembler, GapsAndStrangersDropThePendingResult) {
  PollResultAssembler a;
  a.add(part(LinkedState::First, 1, 5, 2));
  EXPECT_FALSE(a.add(part(LinkedState::Last, 3, 5, 1)));  // count 2 is missing
  EXPECT_EQ(a.counters().out_of_order, 1u);
  EXPECT_EQ(a.add(part(LinkedState::None, 0, 5, 0))->observations.size(), 0u);  // nothing pending

  a.add(part(LinkedState::First, 1, 6, 2));
  const auto other = a.add(part(LinkedState::None, 0, 7, 1));  // another invoke id closes
  ASSERT_TRUE(other);
  EXPECT_EQ(other->observations.size(), 1u);
  EXPECT_EQ(a.counters().incomplete_dropped, 1u);

  a.add(part(LinkedState::First, 1, 8, 1));
  a.add(part(LinkedState::First, 1, 9, 1));  // a new FIRST abandons the old one
  EXPECT_EQ(a.counters().incomplete_dropped, 2u);
  EXPECT_FALSE(a.add(part(LinkedState::Middle, 2, 8, 1)));  // a part of the abandoned one
  EXPECT_EQ(a.counters().out_of_order, 2u);
}

TEST(PollAssembler, ResultsAreBounded) {
  PollResultAssembler a;
  a.add(part(LinkedState::First, 1, 1, 1));
  for (std::uint8_t c = 2; c <= kMaxLinkedParts + 1; ++c) a.add(part(LinkedState::Middle, c, 1, 1));
  EXPECT_EQ(a.counters().oversize_dropped, 1u);
  EXPECT_FALSE(a.add(part(LinkedState::Last, kMaxLinkedParts + 2, 1, 1)));

  a.add(part(LinkedState::First, 1, 2, kMaxObservationsPerResult));
  EXPECT_FALSE(a.add(part(LinkedState::Last, 2, 2, 1)));
  EXPECT_EQ(a.counters().oversize_dropped, 2u);
  EXPECT_EQ(a.add(part(LinkedState::None, 0, 2, 0))->observations.size(), 0u);
}

}  // namespace
}  // namespace vigil::intellivue
