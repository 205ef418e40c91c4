#pragma once
// The nurse's chair order: the grid shows chairs in the order the nurse arranged them
// (drag a tile onto another, or Ctrl+Left / Ctrl+Right), remembered across restarts in a
// small text file, one chair name a line. Chairs not in the list follow in the model's order
// (CHAIR2 before CHAIR10). Pure apart from load/save.
//
// Bounds: at most kMaxChairs names of at most kMaxNameBytes each are kept or read; a longer
// file is read up to that (a corrupt file costs the order, never the screen).
//
// Threading: none inside; the UI thread owns it.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/model_views.hpp"

namespace vigil::dashboard {

class ChairOrder {
 public:
  static constexpr std::size_t kMaxChairs = 512;
  static constexpr std::size_t kMaxNameBytes = 128;

  ChairOrder() = default;
  explicit ChairOrder(std::vector<std::string> names);

  // `chairs` rearranged: names in the saved order first, then the rest as they came.
  void apply(std::vector<ChairView>& chairs) const;
  // Moves `bed` to where `onto` is (the others shift). `shown` is the order on screen, so a
  // chair not yet in the list gets its place. False when either is not shown.
  bool move_onto(const std::vector<ChairView>& shown, const std::string& bed, const std::string& onto);
  // Moves `bed` one place earlier (-1) or later (+1) in the shown order.
  bool move_by(const std::vector<ChairView>& shown, const std::string& bed, int delta);

  const std::vector<std::string>& names() const { return names_; }

  // The file: $XDG_STATE_HOME/vigil/chair-order, else ~/.local/state/vigil/chair-order.
  static std::string default_path();
  // Reads `path` (missing or unreadable: an empty order).
  static ChairOrder load(const std::string& path);
  // Writes atomically (temporary file, then rename); creates the directory. The error, if any.
  std::optional<std::string> save(const std::string& path) const;

 private:
  std::vector<std::string> names_;
};

}  // namespace vigil::dashboard
