// IEC 60601-1-8 auditory alarm signals in the browser (Web Audio), and the matching
// vibration where the device has one (navigator.vibrate).
//
// MIRROR: the patterns are those of gui/tone/tone_pattern.cpp (vigil-dashboard's speaker);
// a change there must be made here too.
//   HIGH   10 pulses: x x x - x x -- x x x - x x   td 150 ms, ts 100 ms, 880 Hz, every 5 s
//   MEDIUM  3 pulses: x x x                        td 200 ms, ts 200 ms, 660 Hz, every 15 s
//   LOW     2 pulses: x x                          td 200 ms, ts 200 ms, 440 Hz, every 30 s
// Each pulse: the fundamental and four harmonics at 1/h (locatable, audible through hearing
// loss), with 15 ms rise and fall ramps (no clicks).

const RAMP_S = 0.015;
const LEVEL = 0.3;

function evenly(count, td, ts, hz) {
  const out = [];
  for (let i = 0; i < count; ++i) out.push({ startMs: i * (td + ts), durationMs: td, hz });
  return out;
}

// tone_pattern(): pulses relative to the burst start, and the repeat interval.
export function tonePattern(priority) {
  if (priority === 'HIGH') {
    const td = 150;
    const ts = 100;
    const pulses = [];
    let t = 0;
    for (let group = 0; group < 2; ++group) {
      for (let i = 0; i < 3; ++i, t += td + ts) pulses.push({ startMs: t, durationMs: td, hz: 880 });
      t += td + ts;  // the gap between the 3 and the 2
      for (let i = 0; i < 2; ++i, t += td + ts) pulses.push({ startMs: t, durationMs: td, hz: 880 });
      t += 700 - ts;
    }
    return { pulses, repeatMs: 5000 };
  }
  if (priority === 'MEDIUM') return { pulses: evenly(3, 200, 200, 660), repeatMs: 15000 };
  if (priority === 'LOW') return { pulses: evenly(2, 200, 200, 440), repeatMs: 30000 };
  return { pulses: [], repeatMs: 0 };
}

// The burst as navigator.vibrate's on/off list (milliseconds).
export function vibrationPattern(priority) {
  const out = [];
  let t = 0;
  for (const p of tonePattern(priority).pulses) {
    if (out.length) out.push(p.startMs - t);
    out.push(p.durationMs);
    t = p.startMs + p.durationMs;
  }
  return out;
}

const NAMES = ['', 'LOW', 'MEDIUM', 'HIGH'];

// Plays the burst of the highest sounding priority, repeated at its interval, until the
// priority changes. A browser starts audio only after a user gesture: unlock() from a click.
export class AlarmSound {
  constructor() {
    this.ctx = null;
    this.wave = null;
    this.priority = 0;
    this.timer = null;
    this.vibrate = typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function';
  }

  // From a click handler: creates (or resumes) the audio context.
  unlock() {
    const Ctx = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Ctx) return false;
    if (!this.ctx) {
      this.ctx = new Ctx();
      // Harmonics 1..5 at 1/h, as render_tone() sums them.
      const real = new Float32Array(6);
      const imag = new Float32Array(6);
      for (let h = 1; h <= 5; ++h) imag[h] = 1 / h;
      this.wave = this.ctx.createPeriodicWave(real, imag);
    }
    if (this.ctx.state === 'suspended') this.ctx.resume();
    return true;
  }

  get available() {
    return !!this.ctx && this.ctx.state === 'running';
  }

  // 0 none, 1 LOW, 2 MEDIUM, 3 HIGH. Restarts the burst at once when the priority rises.
  set(priority) {
    if (priority === this.priority) return;
    const rose = priority > this.priority;
    this.priority = priority;
    clearInterval(this.timer);
    this.timer = null;
    if (!priority) {
      if (this.vibrate) navigator.vibrate(0);
      return;
    }
    const name = NAMES[priority];
    const pattern = tonePattern(name);
    if (rose) this.burst(name);
    this.timer = setInterval(() => this.burst(name), pattern.repeatMs);
  }

  // One burst now (also used for an escalation that reaches this phone).
  burst(name) {
    if (this.vibrate) navigator.vibrate(vibrationPattern(name));
    if (!this.ctx) return;
    if (this.ctx.state === 'suspended') this.ctx.resume();
    const start = this.ctx.currentTime + 0.02;
    for (const p of tonePattern(name).pulses) {
      const t0 = start + p.startMs / 1000;
      const t1 = t0 + p.durationMs / 1000;
      const osc = this.ctx.createOscillator();
      osc.setPeriodicWave(this.wave);
      osc.frequency.value = p.hz;
      const gain = this.ctx.createGain();
      gain.gain.setValueAtTime(0, t0);
      gain.gain.linearRampToValueAtTime(LEVEL, t0 + RAMP_S);
      gain.gain.setValueAtTime(LEVEL, t1 - RAMP_S);
      gain.gain.linearRampToValueAtTime(0, t1);
      osc.connect(gain).connect(this.ctx.destination);
      osc.start(t0);
      osc.stop(t1 + 0.01);
    }
  }
}
