#include "model/chair_order.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace vigil::dashboard {

namespace {

bool usable_name(const std::string& name) {
  return !name.empty() && name.size() <= ChairOrder::kMaxNameBytes &&
         name.find_first_of("\r\n") == std::string::npos;
}

}  // namespace

ChairOrder::ChairOrder(std::vector<std::string> names) {
  for (auto& n : names) {
    if (names_.size() >= kMaxChairs) break;
    if (usable_name(n) && std::find(names_.begin(), names_.end(), n) == names_.end())
      names_.push_back(std::move(n));
  }
}

void ChairOrder::apply(std::vector<ChairView>& chairs) const {
  auto rank = [this](const ChairView& c) {
    const auto it = std::find(names_.begin(), names_.end(), c.bed);
    return it == names_.end() ? names_.size() : static_cast<std::size_t>(it - names_.begin());
  };
  std::stable_sort(chairs.begin(), chairs.end(),
                   [&](const ChairView& a, const ChairView& b) { return rank(a) < rank(b); });
}

bool ChairOrder::move_onto(const std::vector<ChairView>& shown, const std::string& bed,
                           const std::string& onto) {
  std::vector<std::string> order;
  for (const auto& c : shown) order.push_back(c.bed);
  const auto from = std::find(order.begin(), order.end(), bed);
  const auto to = std::find(order.begin(), order.end(), onto);
  if (from == order.end() || to == order.end() || from == to) return false;
  const auto to_index = to - order.begin();
  order.erase(from);
  order.insert(order.begin() + to_index, bed);
  // Names saved earlier for chairs not shown now keep their place after the shown ones.
  for (const auto& n : names_)
    if (std::find(order.begin(), order.end(), n) == order.end()) order.push_back(n);
  *this = ChairOrder(std::move(order));
  return true;
}

bool ChairOrder::move_by(const std::vector<ChairView>& shown, const std::string& bed, int delta) {
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (shown[i].bed != bed) continue;
    const auto j = static_cast<std::ptrdiff_t>(i) + delta;
    if (j < 0 || j >= static_cast<std::ptrdiff_t>(shown.size())) return false;
    return move_onto(shown, bed, shown[static_cast<std::size_t>(j)].bed);
  }
  return false;
}

std::string ChairOrder::default_path() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state && *state) return std::string(state) + "/vigil/chair-order";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/state/vigil/chair-order";
}

ChairOrder ChairOrder::load(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> names;
  std::string line;
  // Bounded read: a line longer than a name, or more lines than chairs, is not kept.
  while (names.size() < kMaxChairs && std::getline(in, line)) {
    if (line.size() > kMaxNameBytes) continue;
    names.push_back(line);
  }
  return ChairOrder(std::move(names));
}

std::optional<std::string> ChairOrder::save(const std::string& path) const {
  std::error_code ec;
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  if (ec) return "cannot create " + p.parent_path().string() + ": " + ec.message();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& n : names_) out << n << "\n";
    if (!out.flush()) return "cannot write " + tmp;
  }
  std::filesystem::rename(tmp, p, ec);
  if (ec) return "cannot replace " + path + ": " + ec.message();
  return std::nullopt;
}

}  // namespace vigil::dashboard
