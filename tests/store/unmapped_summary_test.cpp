// vigilctl unmapped's groups: one gateway feeding several chairs keeps each chair's codes,
// counts and reasons apart.
#include "store/unmapped_summary.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::kMin;
using testing::kT0;
using testing::TempDir;

UnmappedObservation unmapped_row(std::string bed, std::string value, WallMillis received,
                                 std::string reason) {
  UnmappedObservation u;
  u.bed = std::move(bed);
  u.source = "GATEWAY-1";
  u.code = "9001^SYS^LOCAL";
  u.value = std::move(value);
  u.unit = "mmHg";
  u.measured_at_ms = received;
  u.received_at_ms = received;
  u.reason = std::move(reason);
  return u;
}

// One gateway (one MSH-3), two chairs, the same local code: CHAIR12's monitor sends numbers
// under it, CHAIR14's sends text, twice, and once a number.
TEST(UnmappedSummary, EachChairAndReasonIsItsOwnGroup) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  const std::string unknown = "OBX-3 '9001^SYS^LOCAL' is not a code Vigil knows";
  const std::string text = "text under an unknown code, not tracked";
  {
    Store store({path});
    WriteBatch b;
    b.unmapped = {unmapped_row("CHAIR12", "118", kT0, unknown),
                  unmapped_row("CHAIR14", "ERR", kT0 + kMin, text),
                  unmapped_row("CHAIR12", "121", kT0 + 2 * kMin, unknown),
                  unmapped_row("CHAIR14", "ERR", kT0 + 3 * kMin, text),
                  unmapped_row("CHAIR14", "117", kT0 + 4 * kMin, unknown)};
    ASSERT_TRUE(store.submit(b, nullptr));
  }
  const std::vector<UnmappedGroup> groups = unmapped_summary(path, std::nullopt);
  ASSERT_EQ(groups.size(), 3u);
  // By source, then chair, then most frequent first.
  EXPECT_EQ(groups[0].bed, "CHAIR12");
  EXPECT_EQ(groups[0].count, 2u);
  EXPECT_EQ(groups[0].reason, unknown);
  EXPECT_EQ(groups[0].sample_value, "121");
  EXPECT_EQ(groups[0].first_received_ms, kT0);
  EXPECT_EQ(groups[0].last_received_ms, kT0 + 2 * kMin);
  EXPECT_EQ(groups[1].bed, "CHAIR14");
  EXPECT_EQ(groups[1].count, 2u);
  EXPECT_EQ(groups[1].reason, text);
  EXPECT_EQ(groups[1].sample_value, "ERR");
  EXPECT_EQ(groups[1].first_received_ms, kT0 + kMin);
  EXPECT_EQ(groups[1].last_received_ms, kT0 + 3 * kMin);
  EXPECT_EQ(groups[2].bed, "CHAIR14");
  EXPECT_EQ(groups[2].count, 1u);
  EXPECT_EQ(groups[2].reason, unknown);
  EXPECT_EQ(groups[2].sample_value, "117");
  for (const UnmappedGroup& g : groups) {
    EXPECT_EQ(g.source, "GATEWAY-1");
    EXPECT_EQ(g.code, "9001^SYS^LOCAL");
  }
}

}  // namespace
}  // namespace vigil::store
