#include "tone/tone_pattern.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vigil::dashboard {

namespace {

constexpr int kRampMs = 15;
constexpr double kAmplitude = 0.5;  // of full scale: headroom for the harmonics' sum

std::vector<TonePulse> evenly(int count, int td, int ts, double hz) {
  std::vector<TonePulse> out;
  for (int i = 0; i < count; ++i) out.push_back({i * (td + ts), td, hz});
  return out;
}

void put_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

int TonePattern::burst_ms() const {
  int end = 0;
  for (const auto& p : pulses) end = std::max(end, p.start_ms + p.duration_ms);
  return end;
}

TonePattern tone_pattern(Priority priority) {
  TonePattern p;
  p.priority = priority;
  switch (priority) {
    case Priority::High: {
      // Two groups of 3+2; inside a group pulses are td+ts apart, the 3|2 split adds one
      // missing pulse slot, and the groups are 700 ms apart (standard: 0.35-1.3 s).
      constexpr int td = 150, ts = 100, hz = 880;
      int t = 0;
      for (int group = 0; group < 2; ++group) {
        for (int i = 0; i < 3; ++i, t += td + ts) p.pulses.push_back({t, td, hz});
        t += td + ts;  // the gap between the 3 and the 2
        for (int i = 0; i < 2; ++i, t += td + ts) p.pulses.push_back({t, td, hz});
        t += 700 - ts;
      }
      p.repeat_interval_ms = 5000;
      break;
    }
    case Priority::Medium:
      p.pulses = evenly(3, 200, 200, 660);
      p.repeat_interval_ms = 15000;
      break;
    case Priority::Low:
      p.pulses = evenly(2, 200, 200, 440);
      p.repeat_interval_ms = 30000;
      break;
    case Priority::None: break;
  }
  return p;
}

std::vector<std::int16_t> render_tone(const TonePattern& pattern, int sample_rate, bool with_pause) {
  const int total_ms =
      with_pause ? std::max(pattern.repeat_interval_ms, pattern.burst_ms()) : pattern.burst_ms();
  std::vector<std::int16_t> samples(
      static_cast<std::size_t>(static_cast<std::int64_t>(total_ms) * sample_rate / 1000), 0);
  for (const auto& pulse : pattern.pulses) {
    const std::size_t first =
        static_cast<std::size_t>(static_cast<std::int64_t>(pulse.start_ms) * sample_rate / 1000);
    const std::size_t count =
        static_cast<std::size_t>(static_cast<std::int64_t>(pulse.duration_ms) * sample_rate / 1000);
    const double ramp = static_cast<double>(kRampMs) * sample_rate / 1000.0;
    for (std::size_t i = 0; i < count && first + i < samples.size(); ++i) {
      const double t = static_cast<double>(i) / sample_rate;
      double v = 0;
      // Fundamental and four harmonics, each quieter: 1, 1/2, 1/3, 1/4, 1/5.
      for (int h = 1; h <= 5; ++h) v += std::sin(2 * std::numbers::pi * pulse.frequency_hz * h * t) / h;
      v /= 2.28;  // the sum of 1/h for h = 1..5: keeps |v| <= 1
      const double edge =
          std::min({1.0, static_cast<double>(i) / ramp, static_cast<double>(count - i) / ramp});
      samples[first + i] = static_cast<std::int16_t>(std::lround(v * edge * kAmplitude * 32767));
    }
  }
  return samples;
}

std::string wav_file(const std::vector<std::int16_t>& samples, int sample_rate) {
  const std::uint32_t data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_le(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  put_le(out, 16, 4);  // fmt chunk size
  put_le(out, 1, 2);   // PCM
  put_le(out, 1, 2);   // mono
  put_le(out, static_cast<std::uint32_t>(sample_rate), 4);
  put_le(out, static_cast<std::uint32_t>(sample_rate) * 2, 4);  // bytes per second
  put_le(out, 2, 2);                                            // block align
  put_le(out, 16, 2);                                           // bits per sample
  out += "data";
  put_le(out, data_bytes, 4);
  for (std::int16_t s : samples) put_le(out, static_cast<std::uint16_t>(s), 2);
  return out;
}

}  // namespace vigil::dashboard
