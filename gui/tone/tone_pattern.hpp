#pragma once
// IEC 60601-1-8 auditory alarm signals as data and as samples. Pure: no device, no clock,
// so the pattern is testable without a sound card (render to a buffer or a WAV file).
//
// Bursts (pulse width td, gap between pulses ts):
//   HIGH   10 pulses: x x x - x x -- x x x - x x   td 150 ms, ts 100 ms, repeat every 5 s
//   MEDIUM  3 pulses: x x x                        td 200 ms, ts 200 ms, repeat every 15 s
//   LOW     2 pulses: x x                          td 200 ms, ts 200 ms, repeat every 30 s
// Each pulse: a fundamental in 150-1000 Hz plus four harmonics (the standard asks for at
// least four in 300-4000 Hz, so the tone is locatable and audible through hearing loss),
// with 15 ms rise and fall ramps (no clicks).

#include <cstdint>
#include <string>
#include <vector>

#include "client/ward_priority.hpp"

namespace vigil::dashboard {

using client::Priority;

// One pulse of a burst, relative to the burst's start.
struct TonePulse {
  int start_ms = 0;
  int duration_ms = 0;
  double frequency_hz = 0;  // fundamental
};

// A burst and how often it repeats while the alarm sounds.
struct TonePattern {
  Priority priority = Priority::None;
  std::vector<TonePulse> pulses;
  int repeat_interval_ms = 0;  // start of one burst to the start of the next
  int burst_ms() const;        // end of the last pulse
};

// The pattern for a priority (empty pulses for None).
TonePattern tone_pattern(Priority priority);

// Mono 16-bit samples of one burst followed by silence up to the repeat interval when
// `with_pause` (what a player loops), or just the burst.
std::vector<std::int16_t> render_tone(const TonePattern& pattern, int sample_rate, bool with_pause);

// A complete RIFF/WAVE file (PCM 16-bit mono) holding `samples`.
std::string wav_file(const std::vector<std::int16_t>& samples, int sample_rate);

}  // namespace vigil::dashboard
