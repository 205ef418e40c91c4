#include "audio/alarm_sound.hpp"

#include <alsa/asoundlib.h>

#include <algorithm>
#include <chrono>

#include "tone/tone_pattern.hpp"

namespace vigil::dashboard {

namespace {
constexpr int kRate = 44100;
constexpr int kSliceMs = 100;
snd_pcm_t* as_pcm(void* p) { return static_cast<snd_pcm_t*>(p); }
// ALSA prints several lines per failed lookup on a machine without a card; we report the
// outcome once ourselves (and on screen), so its own chatter is dropped.
void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}
}  // namespace

AlarmSound::~AlarmSound() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (pcm_) snd_pcm_close(as_pcm(pcm_));
}

std::string AlarmSound::error() const { return error_.load(); }

bool AlarmSound::start(const std::string& device) {
  snd_lib_error_set_handler(quiet_alsa);
  snd_pcm_t* pcm = nullptr;
  if (snd_pcm_open(&pcm, device.c_str(), SND_PCM_STREAM_PLAYBACK, 0) < 0) {
    error_ = "no audio device";
    return false;
  }
  // 200 ms of latency: short enough that an ack silences the tone promptly.
  if (snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, kRate, 1, 200000) <
      0) {
    snd_pcm_close(pcm);
    error_ = "audio device refused 44.1 kHz mono";
    return false;
  }
  pcm_ = pcm;
  available_ = true;
  error_ = "";
  thread_ = std::thread([this] { run(); });
  return true;
}

void AlarmSound::run() {
  snd_pcm_t* pcm = as_pcm(pcm_);
  const std::vector<std::int16_t> silence(static_cast<std::size_t>(kRate * kSliceMs / 1000), 0);
  // Writes frames; false when the device failed for good (unplugged): then say so.
  auto write = [&](const std::int16_t* data, std::size_t frames) {
    while (frames > 0 && !stop_) {
      snd_pcm_sframes_t n = snd_pcm_writei(pcm, data, frames);
      if (n < 0) n = snd_pcm_recover(pcm, static_cast<int>(n), 1);
      if (n < 0) return false;
      data += n;
      frames -= static_cast<std::size_t>(n);
    }
    return true;
  };
  while (!stop_) {
    const Priority p = priority_.load();
    bool ok = true;
    if (p == Priority::None) {
      ok = write(silence.data(), silence.size());
    } else {
      const TonePattern pattern = tone_pattern(p);
      const auto burst = render_tone(pattern, kRate, false);
      ok = write(burst.data(), burst.size());
      // The pause, in slices: a higher priority interrupts it, an ack ends it.
      for (int waited = pattern.burst_ms(); ok && !stop_ && waited < pattern.repeat_interval_ms;
           waited += kSliceMs) {
        const Priority now = priority_.load();
        if (now != p && (now > p || now == Priority::None)) break;
        ok = write(silence.data(), silence.size());
      }
    }
    if (!ok) {
      error_ = "audio device failed";
      available_ = false;
      return;
    }
  }
}

}  // namespace vigil::dashboard
