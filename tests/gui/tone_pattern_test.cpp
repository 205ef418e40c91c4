// The IEC 60601-1-8 tone bursts, checked on the rendered samples: no sound card needed.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tone/tone_pattern.hpp"

namespace vigil::dashboard {
namespace {

constexpr int kRate = 44100;

struct Heard {
  int start_ms, end_ms;
};

// Pulses as an ear would find them: runs of loud samples, gaps under 5 ms bridged (the
// waveform crosses zero inside a pulse).
std::vector<Heard> listen(const std::vector<std::int16_t>& s) {
  std::vector<Heard> out;
  const int bridge = kRate / 200;
  int last_loud = -bridge - 1, start = -1;
  for (int i = 0; i < static_cast<int>(s.size()); ++i) {
    if (std::abs(s[static_cast<std::size_t>(i)]) < 1000) continue;
    if (start < 0 || i - last_loud > bridge) {
      if (start >= 0) out.push_back({start * 1000 / kRate, last_loud * 1000 / kRate});
      start = i;
    }
    last_loud = i;
  }
  if (start >= 0) out.push_back({start * 1000 / kRate, last_loud * 1000 / kRate});
  return out;
}

TEST(TonePattern, HighIsTenPulsesInTwoThreePlusTwoGroupsRepeatingWithinFifteenSeconds) {
  const auto p = tone_pattern(Priority::High);
  ASSERT_EQ(p.pulses.size(), 10u);
  for (const auto& pulse : p.pulses) {
    EXPECT_GE(pulse.duration_ms, 75);  // HIGH td 75-200 ms
    EXPECT_LE(pulse.duration_ms, 200);
    EXPECT_GE(pulse.frequency_hz, 150);
    EXPECT_LE(pulse.frequency_hz, 1000);
  }
  EXPECT_GE(p.repeat_interval_ms, 2500);
  EXPECT_LE(p.repeat_interval_ms, 15000);
  const auto heard = listen(render_tone(p, kRate, true));
  ASSERT_EQ(heard.size(), 10u);
  std::vector<int> gaps;
  for (std::size_t i = 1; i < heard.size(); ++i) gaps.push_back(heard[i].start_ms - heard[i - 1].end_ms);
  // Within a group the pulses are 50-125 ms apart (the ramps make the audible gap a bit longer).
  for (int i : {0, 1, 3, 5, 6, 8}) {
    EXPECT_GE(gaps[static_cast<std::size_t>(i)], 50) << i;
    EXPECT_LE(gaps[static_cast<std::size_t>(i)], 160) << i;
  }
  // The 3|2 split and the pause between the two halves are clearly longer.
  EXPECT_GT(gaps[2], 300);
  EXPECT_GT(gaps[7], 300);
  EXPECT_GT(gaps[4], 600);
  EXPECT_LE(gaps[4], 1300);
}

TEST(TonePattern, MediumIsThreePulsesAndLowOneOrTwo) {
  const auto m = tone_pattern(Priority::Medium);
  auto heard = listen(render_tone(m, kRate, true));
  ASSERT_EQ(heard.size(), 3u);
  for (const auto& h : heard) {
    EXPECT_GE(h.end_ms - h.start_ms, 125 - 30);  // MEDIUM td 125-250 ms, minus the ramps' quiet ends
    EXPECT_LE(h.end_ms - h.start_ms, 250);
  }
  EXPECT_GE(m.repeat_interval_ms, 2500);
  EXPECT_LE(m.repeat_interval_ms, 30000);
  const auto low = listen(render_tone(tone_pattern(Priority::Low), kRate, false));
  EXPECT_GE(low.size(), 1u);
  EXPECT_LE(low.size(), 2u);
  EXPECT_TRUE(render_tone(tone_pattern(Priority::None), kRate, true).empty());
}

TEST(TonePattern, RenderedLengthIsTheRepeatIntervalAndSamplesNeverClip) {
  const auto p = tone_pattern(Priority::High);
  const auto s = render_tone(p, kRate, true);
  EXPECT_EQ(s.size(), static_cast<std::size_t>(p.repeat_interval_ms) * kRate / 1000);
  for (auto v : s) ASSERT_LT(std::abs(v), 32000);
  EXPECT_EQ(render_tone(p, kRate, false).size(), static_cast<std::size_t>(p.burst_ms()) * kRate / 1000);
}

TEST(TonePattern, WavFileHasAPcmHeaderAndTheSamples) {
  const std::vector<std::int16_t> s{0, 1000, -1000, 32767};
  const std::string wav = wav_file(s, kRate);
  ASSERT_EQ(wav.size(), 44u + 8u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(static_cast<unsigned char>(wav[24]) | static_cast<unsigned char>(wav[25]) << 8, kRate & 0xFFFF);
  EXPECT_EQ(static_cast<unsigned char>(wav[46]) | static_cast<unsigned char>(wav[47]) << 8, 1000);
}

}  // namespace
}  // namespace vigil::dashboard
