// The web page's pure modules in node, no browser: the rules ward.js mirrors from
// monitor/client/ward_rules.cpp, the tone patterns tones.js mirrors from
// gui/tone/tone_pattern.cpp, and which escalations reach this phone (escalation.js).
// A change on the C++ side that is not made here too fails this test.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../monitor/web/static');
const load = (name) => import(pathToFileURL(path.join(staticDir, name)).href);
const { WardModel, ageText, expectedCycleMs, alertFlashes, sortAlerts, displayText } = await load('ward.js');
const { tonePattern, vibrationPattern } = await load('tones.js');
const { escalationForMe, helloFields } = await load('escalation.js');

// ward_rules.cpp age_text and display_text.
assert.equal(ageText(999), 'now');
assert.equal(ageText(12000), '12 s');
assert.equal(ageText(300000), '5 min');
assert.equal(ageText(2 * 3600000 + 5 * 60000), '2 h 05 min');
assert.equal(displayText('SBP 186 >= 180, HR <= 40'), 'SBP 186 \u2265 180, HR \u2264 40');

// expected_cycle_ms: NIBP 5 min without cycles, the profile's per phase; HR/SpO2 1 min.
const cycles = { infusion: 300000, recoveryEarly: 300000, recoveryEarlySpan: 1800000, recoveryLate: 900000 };
assert.equal(expectedCycleMs('HR', 'infusion', cycles, null), 60000);
assert.equal(expectedCycleMs('NIBP_SYS', 'infusion', null, null), 300000);
assert.equal(expectedCycleMs('NIBP_SYS', 'recovery', cycles, 60000), 300000);
assert.equal(expectedCycleMs('NIBP_SYS', 'recovery', cycles, 1800000), 900000);
assert.equal(expectedCycleMs('NIBP_DIA', 'monitoring', cycles, null), 900000);

// alert_flashes and sort_alerts.
assert.equal(alertFlashes('HIGH', 'ACTIVE', false), true);
assert.equal(alertFlashes('HIGH', 'ACKNOWLEDGED', false), false);
assert.equal(alertFlashes('LOW', 'ACTIVE', false), false);
const order = sortAlerts([
  { id: 'a', advisory: true, priority: 'HIGH', state: 'ADVISORY', onsetMs: 1 },
  { id: 'b', advisory: false, priority: 'LOW', state: 'ACTIVE', onsetMs: 1 },
  { id: 'c', advisory: false, priority: 'HIGH', state: 'ACKNOWLEDGED', onsetMs: 1 },
  { id: 'd', advisory: false, priority: 'HIGH', state: 'ACTIVE', onsetMs: 5 },
  { id: 'e', advisory: false, priority: 'MEDIUM', state: 'ACTIVE', onsetMs: 1 },
]).map((a) => a.id);
assert.deepEqual(order, ['d', 'c', 'e', 'b', 'a']);

// The model's clock is injected: every time below is stated from this "now", none is read.
const now = 1765000000000;

// A chair whose session ended: the state's phase, not its last reading's (ward_model.cpp).
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  e.apply({ bed_state: { bed: 'CHAIR9', phase: 'monitoring', latest: [{ kind: 'NIBP_SYS', value: 140,
    received_at_ms: String(now - 5000), valid: true, phase: 'infusion' }] } }, now);
  e.apply({ snapshot_end: {} }, now);
  assert.equal(e.snapshot(now).chairs[0].phase, 'monitoring');
}

// An old result sent again ('late') is never the current value (ward_model.cpp).
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  e.apply({ bed_state: { bed: 'CHAIR8', phase: 'infusion', latest: [{ kind: 'NIBP_SYS', value: 150,
    received_at_ms: String(now - 60000), valid: true }] } }, now);
  e.apply({ snapshot_end: {} }, now);
  e.apply({ reading: { bed: 'CHAIR8', kind: 'NIBP_SYS', value: 212, received_at_ms: String(now), valid: true,
    verified: false, late: true } }, now);
  assert.equal(e.snapshot(now).chairs[0].sys.value, 150);
  e.apply({ reading: { bed: 'CHAIR8', kind: 'NIBP_SYS', value: 160, received_at_ms: String(now), valid: true } }, now);
  assert.equal(e.snapshot(now).chairs[0].sys.value, 160);
}

// A withdrawal (OBX-11 W: the monitor takes back its value of that time) ends the value it
// names, and only that one (ward_model.cpp).
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  e.apply({ bed_state: { bed: 'CHAIR9', phase: 'infusion', latest: [] } }, now);
  e.apply({ snapshot_end: {} }, now);
  e.apply({ reading: { bed: 'CHAIR9', kind: 'NIBP_SYS', value: 202, measured_at_ms: String(now - 5000),
    received_at_ms: String(now - 5000), valid: true } }, now);
  e.apply({ reading: { bed: 'CHAIR9', kind: 'NIBP_SYS', measured_at_ms: String(now - 6000),
    received_at_ms: String(now), status: 'W', withdrawn: true } }, now);
  assert.equal(e.snapshot(now).chairs[0].sys.value, 202);
  // Another device naming the same time takes back nothing of this one.
  e.apply({ reading: { bed: 'CHAIR9', kind: 'NIBP_SYS', measured_at_ms: String(now - 5000), source: 'OTHER',
    received_at_ms: String(now), status: 'W', withdrawn: true } }, now);
  assert.equal(e.snapshot(now).chairs[0].sys.value, 202);
  e.apply({ reading: { bed: 'CHAIR9', kind: 'NIBP_DIA', value: 122, measured_at_ms: String(now - 5000),
    received_at_ms: String(now - 5000), valid: true } }, now);
  // SYS alone withdrawn: the whole measurement goes, as the engine judges it.
  e.apply({ reading: { bed: 'CHAIR9', kind: 'NIBP_SYS', measured_at_ms: String(now - 5000),
    received_at_ms: String(now), status: 'W', withdrawn: true } }, now);
  assert.equal(e.snapshot(now).chairs[0].sys, null);
  assert.equal(e.snapshot(now).chairs[0].dia, null);
}

// The BP cell is one cuff result (ward_snapshot.cpp): a result without its SBP does not show
// the previous result's SBP beside its DBP.
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  e.apply({ bed_state: { bed: 'CHAIR6', phase: 'infusion', latest: [] } }, now);
  e.apply({ snapshot_end: {} }, now);
  for (const [kind, value] of [['NIBP_SYS', 120], ['NIBP_DIA', 80]])
    e.apply({ reading: { bed: 'CHAIR6', kind, value, measured_at_ms: String(now - 60000),
      received_at_ms: String(now - 60000), valid: true } }, now);
  assert.deepEqual([e.snapshot(now).chairs[0].sys.value, e.snapshot(now).chairs[0].dia.value], [120, 80]);
  e.apply({ reading: { bed: 'CHAIR6', kind: 'NIBP_DIA', value: 126, measured_at_ms: String(now),
    received_at_ms: String(now), valid: true, verified: false } }, now);
  assert.equal(e.snapshot(now).chairs[0].sys, null);
  assert.equal(e.snapshot(now).chairs[0].dia.value, 126);
  assert.equal(e.snapshot(now).chairs[0].dia.unverified, true);
}

// A value is shown as the engine judges it: rounded half away from zero (80.5 is 81, as on
// the dashboard and vigilctl board; printf and to_chars would round it to even).
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  e.apply({ bed_state: { bed: 'CHAIR7', phase: 'infusion', latest: [{ kind: 'NIBP_SYS', value: 199.5,
    received_at_ms: String(now), valid: true }, { kind: 'NIBP_DIA', value: 80.5, received_at_ms: String(now),
    valid: true }, { kind: 'HR', value: 72.4, received_at_ms: String(now), valid: true }] } }, now);
  e.apply({ snapshot_end: {} }, now);
  const c = e.snapshot(now).chairs[0];
  assert.deepEqual([c.sys.value, c.dia.value, c.hr.value], [200, 81, 72]);
}

// A monitor without ECG sends its heart rate as pulse rate (PULSE); the engine judges P6/P7 on
// it, and the HR cell read "-" beside "HR 140 >= 130". The HR cell is the ECG HR when fresh,
// else the pulse rate when there is one, else (neither fresh, HR newer) the HR, as on the
// dashboard and vigilctl board (ward_snapshot.cpp heart_rate_view).
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  const at = (kind, value, ageMs) => ({ kind, value, received_at_ms: String(now - ageMs), valid: true });
  const beds = {
    CHAIR1: [at('PULSE', 140, 5000)],                        // oximeter only
    CHAIR2: [at('HR', 72, 5000), at('PULSE', 75, 5000)],     // ECG present: HR
    CHAIR3: [at('HR', 72, 300000), at('PULSE', 140, 5000)],  // ECG gone: the pulse rate
    CHAIR4: [at('PULSE', 140, 120000)],                      // an old pulse rate: shown old
    CHAIR5: [at('HR', 72, 120000), at('PULSE', 75, 600000)], // neither fresh, HR newer
    CHAIR6: [at('HR', 72, 600000), at('PULSE', 75, 120000)], // neither fresh, PULSE newer
  };
  for (const [bed, latest] of Object.entries(beds)) e.apply({ bed_state: { bed, phase: 'infusion', latest } }, now);
  e.apply({ snapshot_end: {} }, now);
  const shown = Object.fromEntries(e.snapshot(now).chairs.map((c) => [c.bed, c.hr && [c.hr.value, c.hr.stale, c.hr.fromPulse]]));
  assert.deepEqual(shown, {
    CHAIR1: [140, false, true],
    CHAIR2: [72, false, false],
    CHAIR3: [140, false, true],
    CHAIR4: [140, true, true],
    CHAIR5: [72, true, false],
    CHAIR6: [75, true, true],
  });
}

// ECG leads off: the engine judges P6/P7 on the pulse rate once no ECG HR has come for the
// profile's switch delay (alarm.continuous_stale, sent as NibpSchedule.hr_from_pulse_after_s;
// 10 s without it), and the HR cell follows it then, not a minute later when the ECG HR greys.
{
  const e = new WardModel();
  e.setLink('connected');
  e.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
  e.apply({ bed_state: { bed: 'CHAIR1', phase: 'infusion', latest: [] } }, now);  // no schedule: 10 s
  e.apply({ bed_state: { bed: 'CHAIR2', phase: 'infusion', latest: [], nibp: { infusion_cycle_s: 300,
    recovery_early_cycle_s: 600, recovery_early_span_s: 1800, recovery_late_cycle_s: 900,
    hr_from_pulse_after_s: 30 } } }, now);
  e.apply({ snapshot_end: {} }, now);
  const reading = (bed, kind, value, t) => ({ reading: { bed, kind, value, measured_at_ms: String(t),
    received_at_ms: String(t), valid: true } });
  for (const bed of ['CHAIR1', 'CHAIR2']) e.apply(reading(bed, 'HR', 72, now), now);
  const cell = (t, bed) => {
    const hr = e.snapshot(t).chairs.find((c) => c.bed === bed).hr;
    return [hr.value, hr.stale, hr.fromPulse];
  };
  for (let s = 1; s <= 35; ++s) {
    for (const bed of ['CHAIR1', 'CHAIR2']) e.apply(reading(bed, 'PULSE', 140, now + s * 1000), now + s * 1000);
    if (s === 5) assert.deepEqual(cell(now + 5000, 'CHAIR1'), [72, false, false]);
    if (s === 15) {
      assert.deepEqual(cell(now + 15000, 'CHAIR1'), [140, false, true]);
      assert.deepEqual(cell(now + 15000, 'CHAIR2'), [72, false, false]);  // its profile: 30 s
    }
  }
  assert.deepEqual(cell(now + 35000, 'CHAIR2'), [140, false, true]);
  // Leads back on: the ECG HR at once.
  e.apply(reading('CHAIR1', 'HR', 75, now + 36000), now + 36000);
  assert.deepEqual(cell(now + 36000, 'CHAIR1'), [75, false, false]);
}

// The model: values only after a snapshot on a live link; a lost monitor blanks its chair;
// a lost link blanks everything and sounds at least MEDIUM.
const m = new WardModel();
m.setLink('connected');
m.apply({ snapshot_begin: { server_time_ms: String(now) } }, now);
m.apply({ bed_state: { bed: 'CHAIR1', latest: [{ kind: 'HR', value: 72, received_at_ms: String(now - 70000), valid: true }] } }, now);
assert.equal(m.snapshot(now).chairs[0].hr, null);  // before snapshot_end
m.apply({ snapshot_end: {} }, now);
let hr = m.snapshot(now).chairs[0].hr;
assert.equal(hr.value, 72);
assert.equal(hr.stale, true);  // 70 s > the 1 min continuous cycle
assert.equal(hr.ageText, '1 min');
m.apply({ alert: { id: 'x', bed: 'CHAIR1', priority: 'LOW', state: 'ACTIVE', kind: 'physiological', at_ms: String(now) } }, now);
assert.equal(m.snapshot(now).sound, 1);
m.apply({ device: { bed: 'CHAIR1', source: 'MON1', state: 'lost', at_ms: String(now) } }, now);
assert.equal(m.snapshot(now).chairs[0].deviceLost, true);
assert.equal(m.snapshot(now).chairs[0].hr, null);
m.setLink('lost');
const lost = m.snapshot(now);
assert.equal(lost.alerts.length, 0);
assert.equal(lost.sound, 2);  // MEDIUM: a screen that cannot see vigild must not sound calm

// tone_pattern.cpp: pulse starts, widths, repeat.
assert.deepEqual(tonePattern('HIGH').pulses.map((p) => p.startMs), [0, 250, 500, 1000, 1250, 2100, 2350, 2600, 3100, 3350]);
assert.ok(tonePattern('HIGH').pulses.every((p) => p.durationMs === 150 && p.hz === 880));
assert.equal(tonePattern('HIGH').repeatMs, 5000);
assert.deepEqual(tonePattern('MEDIUM').pulses.map((p) => p.startMs), [0, 400, 800]);
assert.equal(tonePattern('MEDIUM').repeatMs, 15000);
assert.deepEqual(tonePattern('LOW').pulses.map((p) => p.startMs), [0, 400]);
assert.equal(tonePattern('LOW').repeatMs, 30000);
assert.deepEqual(vibrationPattern('MEDIUM'), [200, 200, 200, 200, 200]);

// Escalations: this phone's tier, and its label or user when a target is named.
const me = { onCall: true, tier: 1, label: "nurse.lee's phone" };
assert.deepEqual(helloFields(me), { on_call_tier: 1, on_call_label: "nurse.lee's phone" });
assert.deepEqual(helloFields({ onCall: false, tier: 0, label: '' }), {});
assert.equal(escalationForMe({ tier: 1, target: '' }, me, 'lee'), true);
assert.equal(escalationForMe({ tier: '1', target: "nurse.lee's phone" }, me, 'lee'), true);
assert.equal(escalationForMe({ tier: 1, target: 'lee' }, me, 'lee'), true);
assert.equal(escalationForMe({ tier: 1, target: 'kim' }, me, 'lee'), false);
assert.equal(escalationForMe({ tier: 2, target: '' }, me, 'lee'), false);
assert.equal(escalationForMe({ tier: 1 }, { onCall: false, tier: 0, label: '' }, 'lee'), false);
assert.equal(escalationForMe(undefined, me, 'lee'), false);
assert.equal(escalationForMe({ tier: 1, target: '', no_one_on_call: true }, me, 'lee'), false);

console.log('page_rules_test: PASS');
