// The ward as the web view sees it: chairs, their latest values, alerts and monitor links,
// built from the stream's ServerMessages (protobuf JSON, .proto field names).
//
// MIRROR: these rules are the ones of monitor/client/ward_rules.cpp and ward_model.cpp /
// ward_snapshot.cpp (what vigil-dashboard and `vigilctl board` show). A change there must be
// made here too: ages on the daemon's clock (arrival, never the monitor's stamp), greying
// after the expected cycle (NIBP: the chair's profile cycle for its phase, 5 min without
// one; HR/SpO2: 1 min), the HR cell's pulse rate where the engine judges it (heartRateView),
// nothing shown while the link is down or before a fresh snapshot,
// a lost or silent monitor link blanks its chair's values (MONITOR LOST), alert order and
// colours, and the sound: the highest sounding alarm, at least MEDIUM while the link to
// vigild is lost.
//
// Bounds (as the C++ model): 512 chairs, 64 alerts and 16 monitor links per chair; more are
// counted in `dropped` and not kept.

export const MAX_CHAIRS = 512;
export const MAX_ALERTS_PER_CHAIR = 64;
export const MAX_DEVICES_PER_CHAIR = 16;

const MINUTE = 60000;
const NIBP_FALLBACK_MS = 5 * MINUTE;
const CONTINUOUS_MS = MINUTE;
// ward_rules.hpp kHrFromPulseAfterFallbackMs: the default profile's HR switch, for a vigild
// that does not send its chair's (NibpSchedule.hr_from_pulse_after_s).
const HR_FROM_PULSE_AFTER_FALLBACK_MS = 10000;

export const PRIORITY_RANK = { PRIORITY_UNSET: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
const STATE_RANK = { ACTIVE: 0, LATCHED: 0, AUDIO_PAUSED: 1, ACKNOWLEDGED: 2 };

// protobuf JSON prints 64-bit integers as strings.
// What a withdrawal of `kind` takes back: a NIBP part its whole measurement, as the alert
// engine does; other kinds only themselves (ward_rules.hpp withdrawn_kinds).
export function withdrawnKinds(kind) {
  return ['NIBP_SYS', 'NIBP_DIA', 'NIBP_MEAN'].includes(kind) ? ['NIBP_SYS', 'NIBP_DIA', 'NIBP_MEAN'] : [kind];
}

export function num(v) {
  if (v === undefined || v === null || v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

// ward_rules.cpp age_text: "now", "12 s", "5 min", "2 h 05 min".
export function ageText(ageMs) {
  if (ageMs < 1000) return 'now';
  const s = Math.floor(ageMs / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

// ward_rules.cpp display_text: ">=" and "<=" become the mathematical signs.
export function displayText(message) {
  return (message || '').replaceAll('>=', '\u2265').replaceAll('<=', '\u2264');
}

function cyclesOf(s) {
  if (!s) return null;
  const ms = (sec) => Math.min(Math.max(num(sec), 0), 86400) * 1000;
  const c = {
    infusion: ms(s.infusion_cycle_s),
    recoveryEarly: ms(s.recovery_early_cycle_s),
    recoveryEarlySpan: ms(s.recovery_early_span_s),
    recoveryLate: ms(s.recovery_late_cycle_s),
  };
  // All zero: a daemon that does not know them; a zero cycle would grey every value at once.
  if (c.infusion <= 0 || c.recoveryEarly <= 0 || c.recoveryLate <= 0) return null;
  return c;
}

// ward_model.cpp hr_from_pulse_after_ms: 0 (a vigild that does not send it) gets the fallback.
function hrFromPulseAfterMs(s) {
  const sec = num(s && s.hr_from_pulse_after_s);
  return sec > 0 ? Math.min(sec, 86400) * 1000 : HR_FROM_PULSE_AFTER_FALLBACK_MS;
}

// ward_rules.cpp expected_cycle_ms.
export function expectedCycleMs(kind, phase, cycles, recoveryMs) {
  const nibp = kind === 'NIBP_SYS' || kind === 'NIBP_DIA' || kind === 'NIBP_MEAN';
  if (!nibp) return CONTINUOUS_MS;
  if (!cycles) return NIBP_FALLBACK_MS;
  switch (phase) {
    case 'baseline':
    case 'infusion':
      return cycles.infusion;
    case 'recovery':
      return recoveryMs !== null && recoveryMs >= cycles.recoveryEarlySpan ? cycles.recoveryLate : cycles.recoveryEarly;
    default:
      return cycles.recoveryLate;
  }
}

// ward_rules.cpp alert_flashes: unacknowledged HIGH and MEDIUM alarms flash.
export function alertFlashes(priority, state, advisory) {
  if (advisory || state === 'ACKNOWLEDGED' || state === 'ADVISORY') return false;
  return priority === 'HIGH' || priority === 'MEDIUM';
}

// ward_rules.cpp sort_alerts: alarms before advisories; HIGH, MEDIUM, LOW; unacknowledged
// before audio-paused before acknowledged; oldest onset; id.
export function sortAlerts(alerts) {
  const key = (a) => [a.advisory ? 1 : 0, -(PRIORITY_RANK[a.priority] || 1), STATE_RANK[a.state] ?? 3, a.onsetMs];
  return alerts.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; ++i) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

// "CHAIR2" before "CHAIR10".
const collator = new Intl.Collator(undefined, { numeric: true });

function down(device) {
  return device.state === 'lost' || device.state === 'silent';
}

export class WardModel {
  constructor() {
    this.beds = new Map();
    this.dataValid = false;
    this.link = 'connecting';  // 'connecting' | 'connected' | 'lost', as LinkView
    this.serverOffsetMs = 0;
    this.serverTimeKnown = false;
    this.dropped = 0;
  }

  serverNow(nowMs) {
    return nowMs + this.serverOffsetMs;
  }

  learnServerNow(serverMs, nowMs) {
    if (!serverMs) return;
    this.serverOffsetMs = serverMs - nowMs;
    this.serverTimeKnown = true;
  }

  // An event stamped `serverMs` has happened: the daemon's clock is at least there.
  learnLowerBound(serverMs, nowMs) {
    if (!serverMs) return;
    const offset = serverMs - nowMs;
    this.serverOffsetMs = this.serverTimeKnown ? Math.max(this.serverOffsetMs, offset) : offset;
    this.serverTimeKnown = true;
  }

  // The link to vigild changed. Values stay invalid until a fresh snapshot.
  setLink(link) {
    this.link = link;
    if (link !== 'connected') this.dataValid = false;
  }

  bed(name) {
    if (!name) return null;
    let b = this.beds.get(name);
    if (b) return b;
    if (this.beds.size >= MAX_CHAIRS) {
      ++this.dropped;
      return null;
    }
    // hrFromPulseAfterMs, lastEcgHrMs: the engine's HR switch and when the newest valid ECG HR
    // arrived (ward_model.hpp Bed), for heartRateView.
    b = { name, vitals: new Map(), alerts: new Map(), devices: new Map(), session: null, phase: 'monitoring',
          audioPaused: false, nibp: null, hrFromPulseAfterMs: HR_FROM_PULSE_AFTER_FALLBACK_MS, lastEcgHrMs: null };
    this.beds.set(name, b);
    return b;
  }

  // One ServerMessage (already parsed JSON). Returns the RequestResult when it is one.
  apply(m, nowMs) {
    if (m.snapshot_begin) {
      this.learnServerNow(num(m.snapshot_begin.server_time_ms), nowMs);
      this.dataValid = false;
      for (const b of this.beds.values()) {
        b.vitals.clear();
        b.alerts.clear();
        b.devices.clear();
        b.session = null;
        b.audioPaused = false;
        b.nibp = null;
        b.hrFromPulseAfterMs = HR_FROM_PULSE_AFTER_FALLBACK_MS;
      }
    } else if (m.bed_state) {
      this.applyBedState(m.bed_state);
    } else if (m.snapshot_end) {
      this.dataValid = this.link === 'connected';
    } else if (m.reading) {
      this.learnLowerBound(num(m.reading.received_at_ms), nowMs);
      this.applyReading(m.reading);
    } else if (m.alert) {
      this.learnLowerBound(num(m.alert.at_ms), nowMs);
      this.applyAlert(m.alert);
    } else if (m.session) {
      const e = m.session;
      this.learnLowerBound(num(e.at_ms), nowMs);
      const b = this.bed(e.bed || (e.session && e.session.bed));
      if (b) {
        if (e.nibp) {
          b.nibp = cyclesOf(e.nibp);
          b.hrFromPulseAfterMs = hrFromPulseAfterMs(e.nibp);
        }
        if (e.session) this.applySession(b, e.session, e.event === 'ended');
      }
    } else if (m.escalation) {
      this.applyEscalation(m.escalation);
    } else if (m.device) {
      this.learnLowerBound(num(m.device.at_ms), nowMs);
      this.applyDevice(m.device);
    } else if (m.heartbeat) {
      this.learnLowerBound(num(m.heartbeat.sent_at_ms), nowMs);
    } else if (m.hello) {
      this.learnServerNow(num(m.hello.server_time_ms), nowMs);
    }
  }

  applyBedState(s) {
    const b = this.bed(s.bed);
    if (!b) return;
    b.audioPaused = !!s.audio_paused;
    if (s.nibp) {
      b.nibp = cyclesOf(s.nibp);
      b.hrFromPulseAfterMs = hrFromPulseAfterMs(s.nibp);
    }
    // The latest readings are values only (they may be from a session that has ended since);
    // the state says the chair's phase, as in ward_model.cpp.
    for (const r of s.latest || []) if (!r.bed || r.bed === s.bed) this.applyReading({ ...r, bed: s.bed }, false);
    for (const a of s.active_alerts || []) this.applyAlert(a);
    for (const d of s.devices || []) this.applyDevice(d);
    if (s.phase && s.phase !== 'PHASE_UNSET') b.phase = s.phase;
    if (s.session) this.applySession(b, s.session, false);
  }

  applyReading(r, live = true) {
    if (!r.kind || r.kind === 'VITAL_KIND_UNSPECIFIED') return;
    const b = this.bed(r.bed);
    if (!b) return;
    // Arrival on the daemon's clock places a value, never the monitor's own stamp.
    const t = num(r.received_at_ms) || num(r.measured_at_ms);
    // A late reading (an old result sent again) is history, never current.
    if (r.late) return;
    // A withdrawal ends the values it takes back (the same device and time; for a NIBP part,
    // its whole measurement: withdrawnKinds) and is never one itself.
    if (r.withdrawn) {
      for (const kind of withdrawnKinds(r.kind)) {
        const shown = b.vitals.get(kind);
        if (shown && shown.measuredMs === num(r.measured_at_ms) && shown.source === (r.source || '') &&
            shown.arrivedMs <= t)
          b.vitals.delete(kind);
      }
      return;
    }
    const old = b.vitals.get(r.kind);
    if (!old || t >= old.arrivedMs)
      b.vitals.set(r.kind, { value: num(r.value), arrivedMs: t, unverified: !r.valid || r.verified === false,
                             measuredMs: num(r.measured_at_ms), source: r.source || '' });
    if (live && r.phase && r.phase !== 'PHASE_UNSET') b.phase = r.phase;
    // The engine counts valid ECG HRs only (a flagged or implausible one is not judged).
    if (r.kind === 'HR' && r.valid && (b.lastEcgHrMs === null || t > b.lastEcgHrMs)) b.lastEcgHrMs = t;
  }

  applyAlert(e) {
    const b = this.bed(e.bed);
    if (!b) return;
    if (e.state === 'RESOLVED') {
      b.alerts.delete(e.id);
      return;
    }
    if (!b.alerts.has(e.id) && b.alerts.size >= MAX_ALERTS_PER_CHAIR) {
      ++this.dropped;
      return;
    }
    const before = b.alerts.get(e.id);
    // A live transition does not carry the last escalation (a snapshot does): keep what the
    // escalation events said.
    const escalatedTo = e.escalated_to || (before ? before.escalatedTo : '');
    b.alerts.set(e.id, { id: e.id, bed: e.bed, rule: e.rule, priority: e.priority || 'LOW', state: e.state,
                         kind: e.kind, message: e.message || '', acknowledgedBy: e.acknowledged_by || '',
                         onsetMs: num(e.onset_ms) || num(e.at_ms), escalatedTo });
  }

  // Every screen shows who an alarm went to, as the dashboard does ("escalated to ...").
  applyEscalation(e) {
    const b = this.bed(e.bed);
    const a = b && b.alerts.get(e.alert_id);
    if (!a) return;
    a.escalatedTo = e.no_one_on_call ? `no one on call for tier ${Number(e.tier || 0)}` : (e.target || '');
  }

  applyDevice(d) {
    const b = this.bed(d.bed);
    if (!b) return;
    if (!b.devices.has(d.source) && b.devices.size >= MAX_DEVICES_PER_CHAIR) {
      ++this.dropped;
      return;
    }
    b.devices.set(d.source, { source: d.source, transport: d.transport, state: d.state, detail: d.detail || '' });
  }

  applySession(b, s, ended) {
    if (s.phase && s.phase !== 'PHASE_UNSET') b.phase = s.phase;
    if (ended || s.phase === 'closed' || num(s.ended_at_ms) !== 0) {
      b.session = null;
      b.phase = 'closed';
      return;
    }
    b.session = s;
  }

  vitalView(b, kind, serverNow, recoveryMs, deviceLost) {
    const v = b.vitals.get(kind);
    if (!v || !this.dataValid || deviceLost) return null;  // blank: never as if current
    const ageMs = Math.max(0, serverNow - v.arrivedMs);
    // Rounded half away from zero, as the engine judges it (199.5 is "200" and met ">= 200").
    const value = Math.sign(v.value) * Math.round(Math.abs(v.value));
    return { value, ageMs, ageText: ageText(ageMs), unverified: v.unverified,
             stale: ageMs > expectedCycleMs(kind, b.phase, b.nibp, recoveryMs), fromPulse: false };
  }

  // The chair's HR cell (ward_snapshot.cpp heart_rate_view): the heart rate the engine judges
  // P6/P7 on. A monitor without ECG sends its heart rate as pulse rate (PULSE), and the engine
  // takes it once no valid ECG HR has come for the chair profile's switch delay. The rule: the
  // ECG HR while a valid one came within the switch delay; after that the pulse rate when one
  // came since the last valid ECG HR (stale or not: then shown stale, as any value); but the HR
  // when neither is current and the HR arrived later, or no pulse rate came since it.
  // `fromPulse`: the page labels it "PR".
  heartRateView(b, serverNow, recoveryMs, deviceLost) {
    const hr = this.vitalView(b, 'HR', serverNow, recoveryMs, deviceLost);
    const ecgJudged = b.lastEcgHrMs !== null && serverNow - b.lastEcgHrMs <= b.hrFromPulseAfterMs;
    if (hr !== null && ecgJudged) return hr;
    const pulse = this.vitalView(b, 'PULSE', serverNow, recoveryMs, deviceLost);
    if (pulse === null) return hr;
    const pulseAt = b.vitals.get('PULSE').arrivedMs;
    if (hr !== null && b.lastEcgHrMs !== null && pulseAt <= b.lastEcgHrMs) return hr;
    if (pulse.stale && hr !== null && hr.ageMs < pulse.ageMs) return hr;
    return { ...pulse, fromPulse: true };
  }

  // The ward at `nowMs` (local wall clock), as a screen shows it.
  snapshot(nowMs) {
    const serverNow = this.serverNow(nowMs);
    const chairs = [];
    const alerts = [];
    let sound = 0;
    for (const b of [...this.beds.values()].sort((x, y) => collator.compare(x.name, y.name))) {
      const devices = [...b.devices.values()];
      const deviceLost = devices.length > 0 && devices.every(down);
      const c = { bed: b.name, phase: b.phase, patient: b.session ? b.session.patient || '' : '', deviceLost,
                  audioPaused: b.audioPaused, alerts: [], top: 0, sys: null, dia: null, map: null, hr: null,
                  spo2: null };
      chairs.push(c);
      if (!this.dataValid) continue;  // names only: every value and alert blank
      const stopped = b.session ? num(b.session.infusion_stopped_at_ms) : 0;
      const recoveryMs = stopped ? Math.max(0, serverNow - stopped) : null;
      // The BP cell is one cuff result: a part of an older one, which the newer result lacked,
      // is not shown beside it (ward_snapshot.cpp states the same).
      const newest = ['NIBP_SYS', 'NIBP_DIA', 'NIBP_MEAN'].map((k) => b.vitals.get(k)).filter((v) => v)
        .reduce((a, v) => (a === null || v.arrivedMs > a.arrivedMs ? v : a), null);
      const sameResult = (kind) => {
        const v = b.vitals.get(kind);
        return v && newest && v.measuredMs === newest.measuredMs && v.source === newest.source;
      };
      c.sys = sameResult('NIBP_SYS') ? this.vitalView(b, 'NIBP_SYS', serverNow, recoveryMs, deviceLost) : null;
      c.dia = sameResult('NIBP_DIA') ? this.vitalView(b, 'NIBP_DIA', serverNow, recoveryMs, deviceLost) : null;
      c.map = sameResult('NIBP_MEAN') ? this.vitalView(b, 'NIBP_MEAN', serverNow, recoveryMs, deviceLost) : null;
      c.hr = this.heartRateView(b, serverNow, recoveryMs, deviceLost);
      c.spo2 = this.vitalView(b, 'SPO2', serverNow, recoveryMs, deviceLost);
      for (const a of b.alerts.values()) {
        const advisory = a.kind === 'advisory' || a.state === 'ADVISORY';
        const view = { ...a, advisory, text: displayText(a.message), flashing: alertFlashes(a.priority, a.state, advisory),
                       sounding: !advisory && !b.audioPaused && (a.state === 'ACTIVE' || a.state === 'LATCHED') };
        if (!advisory) c.top = Math.max(c.top, PRIORITY_RANK[a.priority] || 1);
        if (view.sounding) sound = Math.max(sound, PRIORITY_RANK[a.priority] || 1);
        c.alerts.push(view);
        alerts.push(view);
      }
      sortAlerts(c.alerts);
    }
    sortAlerts(alerts);
    // A screen that cannot see the daemon cannot know the alarms: it must not sound calm.
    if (this.link === 'lost' && sound < PRIORITY_RANK.MEDIUM) sound = PRIORITY_RANK.MEDIUM;
    return { chairs, alerts, sound, dataValid: this.dataValid, dropped: this.dropped };
  }
}
