// The dashboard's layout with the real font (DejaVu Sans Bold through ImGui's atlas, no
// window): for 1-16 chairs at 1280x720 .. 3840x2160, every text of every tile and of the
// alert list fits its box whole (no clipped alarm message, no word cut), texts of a tile do
// not overlap, and at 16 chairs on 1920x1080 the BP digits are at least 40 px high.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "app/fonts.hpp"
#include "layout/screen_layout.hpp"
#include "layout/value_text.hpp"

namespace vigil::dashboard {
namespace {

using layout::Rect;
using layout::TextBlock;

constexpr const char* kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

struct Size {
  int w, h;
};
const Size kSizes[] = {{1280, 720}, {1600, 1000}, {1920, 1080}, {2560, 1440}, {3840, 2160}};

// A headless ImGui context with the dashboard's fonts for one screen size.
class Fonted {
 public:
  explicit Fonted(const layout::ScreenLayout& screen) {
    ctx_ = ImGui::CreateContext();
    fonts_ = load_fonts(screen);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);  // builds the atlas
  }
  ~Fonted() { ImGui::DestroyContext(ctx_); }
  const Fonts& fonts() const { return fonts_; }

 private:
  ImGuiContext* ctx_ = nullptr;
  Fonts fonts_;
};

client::VitalView vital(double v, const char* age, client::Freshness f = client::Freshness::Fresh) {
  client::VitalView x;
  x.value = v;
  x.freshness = f;
  x.age_text = age;
  return x;
}

// The ward: long names, running clocks, HIGH and MEDIUM alarms with long texts, an
// acknowledged one, an advisory, a lost monitor, a paused audio and an escalation line.
std::vector<client::ChairView> ward(int n) {
  std::vector<client::ChairView> out;
  for (int i = 1; i <= n; ++i) {
    client::ChairView c;
    c.bed = "CHAIR" + std::to_string(i);
    c.patient = "SIM-CHAIR" + std::to_string(i);
    c.has_session = true;
    c.phase = i % 3 == 0 ? proto::recovery : proto::infusion;
    if (c.phase == proto::recovery) {
      c.recovery_ms = (55 * 60 + 12) * 1000;
    } else {
      c.infusion_running = true;
      c.infusion_elapsed_ms = (i == 2 ? 2 : 37 * 60 + 5) * 1000;
      c.planned_minutes = 40;
    }
    c.sys = vital(214, "12 s");
    c.dia = vital(112, "12 s");
    c.map = vital(146, "12 s");
    c.hr = vital(132, "now");
    c.spo2 = vital(97, i % 4 == 0 ? "5 min" : "now",
                   i % 4 == 0 ? client::Freshness::Stale : client::Freshness::Fresh);
    // An implausible cuff (SBP <= DBP) is shown marked "?", and must fit like the rest.
    if (i % 6 == 0) c.sys.unverified = c.dia.unverified = true;
    c.baseline_sys = 128;
    c.baseline_dia = 82;
    c.next_nibp_in_ms = i % 5 == 0 ? -(3 * 60'000) : 2 * 60'000 + 30'000;
    c.device_lost = i == 7;
    c.audio_paused = i == 5;
    client::AlertView a;
    a.bed = c.bed;
    switch (i % 4) {
      case 1:
        a.priority = client::Priority::High;
        a.text = "SBP 214 ≥ 200 mmHg (baseline 128 +67 %)";
        break;
      case 2:
        a.priority = client::Priority::Medium;
        a.text = "HR 132 ≥ 130 /min for 60 s";
        a.state = proto::ACKNOWLEDGED;
        a.acknowledged_by = "nurse.lee";
        break;
      case 3:
        a.priority = client::Priority::Low;
        a.advisory = true;
        a.text = "NIBP measurement failed (cuff leak), retrying";
        break;
      default: break;
    }
    if (!a.text.empty()) c.alerts.push_back(a);
    if (i % 8 == 1) {  // a second HIGH alarm on the same chair: the tile must say it exists
      a.text = "SBP 214 ≥ 180 (still present at next reading)";
      c.alerts.push_back(a);
    }
    out.push_back(std::move(c));
  }
  return out;
}

// A block is inside `outer` at its drawn extent (right-aligned blocks end at box.right()).
void expect_inside(const TextBlock& b, const Rect& outer, const std::string& what) {
  if (b.lines.empty()) return;
  const float x0 = b.align_right ? b.box.right() - b.width : b.box.x;
  EXPECT_GE(x0, outer.x - 0.5f) << what;
  EXPECT_LE(x0 + b.width, outer.right() + 0.5f) << what;
  EXPECT_GE(b.box.y, outer.y - 0.5f) << what;
  EXPECT_LE(b.box.y + b.height(), outer.bottom() + 0.5f) << what;
}

// Fits: whole lines, each no wider than its box, all of them no taller than the box.
void expect_fits(const layout::Measure& m, const TextBlock& b, const std::string& what) {
  if (b.lines.empty()) return;
  EXPECT_TRUE(b.fits) << what << ": " << b.lines.front();
  for (const auto& line : b.lines) EXPECT_LE(m(b.px, line), b.box.w + 0.5f) << what << ": '" << line << "'";
  EXPECT_LE(b.height(), b.box.h + 0.5f) << what;
}

bool overlap(const TextBlock& a, const TextBlock& b) {
  if (a.lines.empty() || b.lines.empty()) return false;
  const float ax = a.align_right ? a.box.right() - a.width : a.box.x;
  const float bx = b.align_right ? b.box.right() - b.width : b.box.x;
  return ax < bx + b.width - 0.5f && bx < ax + a.width - 0.5f && a.box.y < b.box.y + b.height() - 0.5f &&
         b.box.y < a.box.y + a.height() - 0.5f;
}

TEST(DashboardLayout, EveryTextFitsItsBoxForOneToSixteenChairsAtEverySize) {
  if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  for (const Size& size : kSizes) {
    const auto screen = layout::screen_layout(static_cast<float>(size.w), static_cast<float>(size.h));
    Fonted fonted(screen);
    const layout::Measure m = font_measure(fonted.fonts());
    for (int n = 1; n <= 16; ++n) {
      const auto chairs = ward(n);
      std::vector<layout::TileInput> in;
      for (const auto& c : chairs) {
        const bool escalated = !c.alerts.empty() && c.alerts.front().priority == client::Priority::High;
        in.push_back({&c, true, escalated ? "escalated to nurse.lee's phone 14:02:10" : ""});
      }
      const auto grid = layout::layout_grid(m, screen, screen.grid, in);
      ASSERT_EQ(grid.tiles.size(), static_cast<std::size_t>(n));
      for (std::size_t i = 0; i < grid.tiles.size(); ++i) {
        const auto& t = grid.tiles[i];
        const std::string where = std::to_string(size.w) + "x" + std::to_string(size.h) +
                                  " n=" + std::to_string(n) + " " + chairs[i].bed;
        EXPECT_GE(t.tile.x, screen.grid.x - 0.5f) << where;
        EXPECT_LE(t.tile.right(), screen.grid.right() + 0.5f) << where;
        EXPECT_LE(t.tile.bottom(), screen.grid.bottom() + 0.5f) << where;
        const auto blocks = t.blocks();
        for (const TextBlock* b : blocks) {
          expect_fits(m, *b, where);
          expect_inside(*b, t.tile, where);
        }
        expect_inside(t.alert, t.alert_box, where + " alert");
        expect_inside(t.alert_more, t.alert_box, where + " alert second line");
        for (std::size_t a = 0; a < blocks.size(); ++a)
          for (std::size_t b = a + 1; b < blocks.size(); ++b)
            EXPECT_FALSE(overlap(*blocks[a], *blocks[b]))
                << where << ": '" << (blocks[a]->lines.empty() ? "" : blocks[a]->lines[0]) << "' overlaps '"
                << (blocks[b]->lines.empty() ? "" : blocks[b]->lines[0]) << "'";
        // The alarm line says everything it has to say: its lines are the message's words.
        if (!chairs[i].alerts.empty()) {
          EXPECT_FALSE(t.alert.lines.empty()) << where;
        }
      }
      // The alert list beside the grid: rows in its column (ImGui child: padding and scrollbar).
      const float list_w = screen.alerts.w - 2 * 8 - 14;
      for (const auto& c : chairs) {
        for (const auto& a : c.alerts) {
          const auto r = layout::layout_alert_row(m, screen, list_w, a.bed + "  HIGH  SBP", a.text,
                                                  "ACKNOWLEDGED by nurse.lee",
                                                  "escalated to nurse.lee's phone 14:02:10", 2);
          for (const TextBlock* b : r.blocks()) {
            expect_fits(m, *b, "alert list row " + a.text);
            expect_inside(*b, Rect{0, 0, list_w - 2 * (r.button_w + 2), r.height},
                          "alert list row " + a.text);
          }
        }
      }
    }
  }
}

// The 16-chair ward laid out on 1920x1080 with the real font.
struct SixteenChairsOn1080p {
  layout::ScreenLayout screen = layout::screen_layout(1920, 1080);
  Fonted fonted{screen};
  std::vector<client::ChairView> chairs = ward(16);
  layout::GridLayout grid;

  SixteenChairsOn1080p() {
    std::vector<layout::TileInput> in;
    for (const auto& c : chairs) in.push_back({&c, true, {}});
    grid = layout::layout_grid(font_measure(fonted.fonts()), screen, screen.grid, in);
  }
};

TEST(DashboardLayout, AValueTheRulesDidNotBelieveIsMarked) {
  client::VitalView v = vital(150, "12 s");
  EXPECT_EQ(number_text(v), "150");
  v.unverified = true;
  EXPECT_EQ(number_text(v), "150?");
  v.value.reset();
  EXPECT_EQ(number_text(v), "---");
}

TEST(DashboardLayout, BpDigitsAreAtLeast40PxHighWithSixteenChairsOn1080p) {
  if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  const SixteenChairsOn1080p w;
  const auto& grid = w.grid;
  for (const auto& t : grid.tiles) {
    ASSERT_FALSE(t.bp.lines.empty());
    // The height of the digit '8' as drawn: its glyph box scaled to the drawn size.
    ImFont* font = w.fonted.fonts().at(t.bp.px, t.bp.lines[0]);
    const ImFontGlyph* eight = font->FindGlyph('8');
    ASSERT_NE(eight, nullptr);
    const float digit_px = (eight->Y1 - eight->Y0) * t.bp.px / font->FontSize;
    EXPECT_GE(digit_px, 40.0f) << "BP at " << t.bp.px << " px in " << t.name.lines[0];
  }
  std::cout << "16 chairs 1920x1080: " << grid.cols << "x" << grid.rows << " tiles, BP " << grid.bp_px
            << " px font\n";
}

// A tile has room for one alarm's words: a second alarm on the chair is not hidden, the
// tile says how many more the alert list holds.
TEST(DashboardLayout, ATileWithTwoAlarmsSaysThereIsAnother) {
  if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  const SixteenChairsOn1080p w;
  const auto& chairs = w.chairs;
  const auto& grid = w.grid;
  for (std::size_t i = 0; i < chairs.size(); ++i) {
    std::string more;
    for (const auto& line : grid.tiles[i].alert_more.lines) more += line + " ";
    const bool says = more.find("+1 more alert") != std::string::npos;
    EXPECT_EQ(says, chairs[i].alerts.size() == 2) << chairs[i].bed << ": '" << more << "'";
  }
}

TEST(DashboardLayout, TheGridFillsItsAreaAndBpDigitsGrowWithRoom) {
  if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  const auto screen = layout::screen_layout(1920, 1080);
  Fonted fonted(screen);
  const layout::Measure m = font_measure(fonted.fonts());
  float previous = 1e9f;
  for (int n : {1, 4, 6, 9, 12, 16}) {
    const auto chairs = ward(n);
    std::vector<layout::TileInput> in;
    for (const auto& c : chairs) in.push_back({&c, true, {}});
    const auto grid = layout::layout_grid(m, screen, screen.grid, in);
    EXPECT_LE(grid.bp_px, previous) << n;
    previous = grid.bp_px;
    // The last row reaches the bottom of the area, the last column its right edge.
    float right = 0, bottom = 0;
    for (const auto& t : grid.tiles) {
      right = std::max(right, t.tile.right());
      bottom = std::max(bottom, t.tile.bottom());
    }
    EXPECT_NEAR(bottom, screen.grid.bottom(), 1.0f) << n;
    if (n >= grid.cols) {
      EXPECT_NEAR(right, screen.grid.right(), 1.0f) << n;
    }
  }
}

}  // namespace
}  // namespace vigil::dashboard
