#pragma once
// Plays the alarm tone bursts through ALSA. If no audio device can be opened the sound is
// "unavailable" and the dashboard must show AUDIO UNAVAILABLE: silence is never calm.
//
// Threading: a private player thread owns the PCM handle. set_priority() and available()
// may be called from any thread (the UI's, once per frame). The destructor stops and joins.
//
// Player loop: priority None -> idle (checks again every 100 ms); otherwise play one burst
// of that priority, then its pause in 100 ms slices so a change of priority (an ack, or a
// higher alarm) takes effect within ~100 ms instead of after a 15 s pause.

#include <atomic>
#include <string>
#include <thread>

#include "client/ward_priority.hpp"

namespace vigil::dashboard {

using client::Priority;

class AlarmSound {
 public:
  AlarmSound() = default;
  ~AlarmSound();
  AlarmSound(const AlarmSound&) = delete;
  AlarmSound& operator=(const AlarmSound&) = delete;

  // Opens `device` ("default") and starts the player. False (and available() false, with
  // error() saying why) when no device can be opened.
  bool start(const std::string& device = "default");
  // What should sound now (the snapshot's `sound`).
  void set_priority(Priority priority) { priority_.store(priority); }
  // False when the device is missing or playing failed: show AUDIO UNAVAILABLE.
  bool available() const { return available_.load(); }
  std::string error() const;

 private:
  void run();

  std::atomic<Priority> priority_{Priority::None};
  std::atomic<bool> available_{false};
  std::atomic<bool> stop_{false};
  std::atomic<const char*> error_{"not started"};  // static strings only
  void* pcm_ = nullptr;                            // snd_pcm_t*, kept out of the header
  std::thread thread_;
};

}  // namespace vigil::dashboard
