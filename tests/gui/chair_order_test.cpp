// The nurse's chair order: applied to the model's chairs, moved by drag or keys, saved to
// and read from its small file (bounded).
#include "model/chair_order.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <stdlib.h>

namespace vigil::dashboard {
namespace {

// A private directory for one test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "chair-order-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::vector<ChairView> chairs(std::initializer_list<const char*> names) {
  std::vector<ChairView> out;
  for (const char* n : names) {
    ChairView c;
    c.bed = n;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> beds(const std::vector<ChairView>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.bed);
  return out;
}

TEST(ChairOrder, SavedNamesFirstThenTheRestInModelOrder) {
  auto cs = chairs({"CHAIR1", "CHAIR2", "CHAIR3", "CHAIR10"});
  ChairOrder({"CHAIR3", "GONE", "CHAIR1"}).apply(cs);
  EXPECT_EQ(beds(cs), (std::vector<std::string>{"CHAIR3", "CHAIR1", "CHAIR2", "CHAIR10"}));
}

TEST(ChairOrder, DragOntoAnotherTakesItsPlace) {
  auto cs = chairs({"CHAIR1", "CHAIR2", "CHAIR3", "CHAIR4"});
  ChairOrder order;
  ASSERT_TRUE(order.move_onto(cs, "CHAIR4", "CHAIR2"));
  order.apply(cs);
  EXPECT_EQ(beds(cs), (std::vector<std::string>{"CHAIR1", "CHAIR4", "CHAIR2", "CHAIR3"}));
  EXPECT_FALSE(order.move_onto(cs, "CHAIR9", "CHAIR2"));
}

TEST(ChairOrder, KeysMoveOnePlaceAndStopAtTheEnds) {
  auto cs = chairs({"CHAIR1", "CHAIR2", "CHAIR3"});
  ChairOrder order;
  ASSERT_TRUE(order.move_by(cs, "CHAIR1", +1));
  order.apply(cs);
  EXPECT_EQ(beds(cs), (std::vector<std::string>{"CHAIR2", "CHAIR1", "CHAIR3"}));
  EXPECT_FALSE(order.move_by(cs, "CHAIR2", -1));
  EXPECT_FALSE(order.move_by(cs, "CHAIR3", +1));
}

TEST(ChairOrder, SurvivesARestartThroughItsFile) {
  ScratchDir dir;
  const std::string path = dir.file("state/vigil/chair-order");
  auto cs = chairs({"CHAIR1", "CHAIR2", "CHAIR3"});
  ChairOrder order;
  ASSERT_TRUE(order.move_onto(cs, "CHAIR3", "CHAIR1"));
  ASSERT_FALSE(order.save(path).has_value());
  auto again = chairs({"CHAIR1", "CHAIR2", "CHAIR3"});
  ChairOrder::load(path).apply(again);
  EXPECT_EQ(beds(again), (std::vector<std::string>{"CHAIR3", "CHAIR1", "CHAIR2"}));
}

TEST(ChairOrder, AMissingOrHugeFileIsBounded) {
  ScratchDir dir;
  EXPECT_TRUE(ChairOrder::load(dir.file("missing")).names().empty());
  const std::string path = dir.file("big");
  {
    std::ofstream out(path);
    for (int i = 0; i < 5000; ++i) out << "CHAIR" << i << "\n";
    out << std::string(10000, 'x') << "\n";
  }
  const auto order = ChairOrder::load(path);
  EXPECT_EQ(order.names().size(), ChairOrder::kMaxChairs);
  for (const auto& n : order.names()) EXPECT_LE(n.size(), ChairOrder::kMaxNameBytes);
}

TEST(ChairOrder, DefaultPathFollowsXdgStateHome) {
  ::setenv("XDG_STATE_HOME", "/tmp/xdg-state", 1);
  EXPECT_EQ(ChairOrder::default_path(), "/tmp/xdg-state/vigil/chair-order");
  ::unsetenv("XDG_STATE_HOME");
  ::setenv("HOME", "/home/nurse", 1);
  EXPECT_EQ(ChairOrder::default_path(), "/home/nurse/.local/state/vigil/chair-order");
}

}  // namespace
}  // namespace vigil::dashboard
