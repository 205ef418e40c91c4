// Vigil web view: sign-in, the link to vigild, and the screen (docs/web.md).
//
// Test hooks (tests/web/): body[data-link] is connecting | connected | lost | refused |
// signed-out; body[data-can-act] says whether nurse buttons show; alarm rows carry
// data-alert-id, data-alert-priority, data-alert-state; chair tiles data-bed and
// data-nodata; #result data-ok after a RequestResult.

import { StreamLink } from './stream_link.js';
import { WardModel, num } from './ward.js';
import { AlarmSound } from './tones.js';
import { onCallSettings, helloFields, askNotificationPermission, escalationForMe, announceEscalation } from './escalation.js';

const $ = (id) => document.getElementById(id);
const PRIORITY_NAME = ['', 'LOW', 'MEDIUM', 'HIGH'];
const MAX_ESCALATION_LINES = 5;

const model = new WardModel();
const sound = new AlarmSound();
let session = null;  // { user, token, settings } once signed in
let server = { user: '', role: '' };  // who the daemon says we are
let canAct = false;
const pending = new Map();  // request_id -> "Acknowledge CHAIR1 P1"; bounded below
const MAX_PENDING = 64;

const link = new StreamLink({
  onState: (state, detail) => {
    document.body.dataset.link = state;
    model.setLink(state === 'connected' ? 'connected' : state === 'lost' ? 'lost' : 'connecting');
    const texts = { connecting: 'Connecting\u2026', connected: 'Connected', lost: 'LINK LOST', refused: 'Refused' };
    $('link-text').textContent = texts[state] || state;
    $('link-text').title = detail;
    if (state === 'refused') signOut(`vigild refused the sign-in: ${detail}`);
    render();
  },
  onMessage: (msg) => {
    const now = Date.now();
    if (msg.hello) {
      server = { user: msg.hello.user || '', role: msg.hello.role || '' };
      // The stream's rule: a nurse role acts; with no stream users (loopback) everyone may.
      canAct = server.role === 'nurse' || (server.role === '' && server.user === '');
      document.body.dataset.role = server.role;
      document.body.dataset.canAct = String(canAct);
      $('role-note').hidden = canAct;
      $('who').textContent = `${server.user || session.user}${server.role ? ` (${server.role})` : ''}`;
    }
    model.apply(msg, now);
    if (msg.result) showResult(msg.result);
    if (msg.escalation && escalationForMe(msg.escalation, session.settings, server.user || session.user))
      addEscalation(announceEscalation(msg.escalation, sound));
    scheduleRender();
  },
});

function showResult(r) {
  const id = num(r.request_id);
  const what = pending.get(id);
  if (!what) return;  // another client's request
  pending.delete(id);
  const el = $('result');
  el.dataset.ok = String(!!r.ok);
  el.textContent = r.ok ? `${what}: done${r.detail ? ` (${r.detail})` : ''}` : `${what}: refused: ${r.reason}`;
}

function sendRequest(bed, action, what) {
  const id = link.request(bed, action);
  const el = $('result');
  if (!id) {
    el.dataset.ok = 'false';
    el.textContent = `${what}: NOT SENT (no link to vigild)`;
    return;
  }
  if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value);
  pending.set(id, what);
  el.dataset.ok = '';
  el.textContent = `${what}: sent\u2026`;
}

function addEscalation(line) {
  const list = $('escalations');
  const li = document.createElement('li');
  li.textContent = line;
  list.prepend(li);
  while (list.children.length > MAX_ESCALATION_LINES) list.lastChild.remove();
}

// ---- rendering: keyed, so a flashing row keeps its animation phase across updates ----

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

function alarmRow(a) {
  const li = el('li', 'alarm');
  li.dataset.alertId = a.id;
  const pri = el('span', 'pri');
  const bed = el('span', 'bed');
  const what = el('span', 'what');
  const state = el('span', 'state');
  const act = el('span', 'act nurse-only');
  const ack = el('button', 'ack', 'Acknowledge');
  ack.type = 'button';
  ack.addEventListener('click', () => sendRequest(a.bed, { acknowledge: { alert_id: li.dataset.alertId } },
                                                  `Acknowledge ${a.bed} ${li.dataset.rule}`));
  act.append(ack);
  li.append(pri, bed, act, what, state);
  return li;
}

function stateText(a) {
  switch (a.state) {
    case 'ACKNOWLEDGED': return `ALARM ACKNOWLEDGED${a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}`;
    case 'AUDIO_PAUSED': return 'AUDIO PAUSED';
    case 'LATCHED': return 'condition over - acknowledge to clear';
    case 'ADVISORY': return 'advisory';
    default: return 'not acknowledged';
  }
}

const alarmRows = new Map();

function renderAlarms(alerts, nowServer) {
  const list = $('alarm-list');
  const seen = new Set();
  alerts.forEach((a, index) => {
    let li = alarmRows.get(a.id);
    if (!li) {
      li = alarmRow(a);
      alarmRows.set(a.id, li);
    }
    seen.add(a.id);
    li.dataset.alertPriority = a.advisory ? 'ADVISORY' : a.priority;
    li.dataset.alertState = a.state;
    li.dataset.rule = a.rule;
    li.classList.toggle('flashing', a.flashing);
    li.classList.toggle('advisory', a.advisory);
    const [pri, bed, act, what, state] = li.children;
    setText(pri, a.advisory ? 'ADVISORY' : a.priority);
    setText(bed, a.bed);
    setText(what, a.text);
    const since = nowServer - a.onsetMs;
    const escalated = a.escalatedTo ? ` \u00b7 escalated: ${a.escalatedTo}` : '';
    setText(state, `${stateText(a)} \u00b7 ${a.rule} \u00b7 ${since >= 0 ? formatSince(since) : ''}${escalated}`);
    act.hidden = a.state === 'ACKNOWLEDGED' || a.advisory;
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
  });
  for (const [id, li] of alarmRows) {
    if (seen.has(id)) continue;
    li.remove();
    alarmRows.delete(id);
  }
  $('no-alarms').hidden = alerts.length > 0;
  $('no-alarms').textContent = model.dataValid ? 'No active alarms' : 'Alarms unknown: no data';
}

function formatSince(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'now';
  return s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

function vitalCell(label) {
  const d = el('div', 'vital');
  const value = el('div', 'value');
  value.append(el('span', 'main'), el('span', 'map'));  // the MAP only in the NIBP cell
  d.append(el('div', 'label', label), value, el('div', 'age'));
  return d;
}

function chairTile(bed) {
  const t = el('article', 'chair');
  t.dataset.bed = bed;
  const head = el('header');
  head.append(el('span', 'name', bed), el('span', 'phase'), el('span', 'patient'), el('span', 'flags'));
  const vitals = el('div', 'vitals');
  vitals.append(vitalCell('NIBP mmHg'), vitalCell('HR /min'), vitalCell('SpO2 %'));
  const actions = el('div', 'actions nurse-only');
  const pause = el('button', 'pause', 'Pause audio (2 min)');
  pause.type = 'button';
  pause.addEventListener('click', () => sendRequest(bed, { pause_audio: {} }, `Pause audio ${bed}`));
  actions.append(pause);
  t.append(head, vitals, actions);
  return t;
}

function fmt(v) {
  return v === null ? '' : String(Math.round(v.value));
}

// One vital cell: the value and its age, greyed when stale, "--" when blank.
function fillVital(cell, text, v, blankText, mapText = '') {
  const [, value, age] = cell.children;
  const blank = v === null;
  cell.classList.toggle('blank', blank);
  cell.classList.toggle('stale', !blank && v.stale);
  cell.classList.toggle('unverified', !blank && v.unverified);
  setText(value.children[0], blank ? blankText : text);
  setText(value.children[1], blank ? '' : mapText);
  setText(age, blank ? '' : v.ageText);
}

const chairTiles = new Map();

function renderChairs(chairs) {
  const box = $('chairs');
  const seen = new Set();
  chairs.forEach((c, index) => {
    let t = chairTiles.get(c.bed);
    if (!t) {
      t = chairTile(c.bed);
      chairTiles.set(c.bed, t);
    }
    seen.add(c.bed);
    t.dataset.top = PRIORITY_NAME[c.top] || '';
    t.dataset.nodata = String(!model.dataValid);
    const [head, vitals] = t.children;
    setText(head.children[1], model.dataValid ? c.phase : '');
    setText(head.children[2], c.patient);
    const flags = head.children[3];
    flags.replaceChildren();
    if (c.deviceLost && model.dataValid) flags.append(el('span', 'lost', 'MONITOR LOST'));
    if (c.audioPaused && model.dataValid) flags.append(el('span', 'paused', 'AUDIO PAUSED'));
    const blank = model.dataValid ? '--' : 'NO DATA';
    const bp = c.sys === null ? null : { ...c.sys, stale: c.sys.stale || (c.dia !== null && c.dia.stale) };
    const bpText = c.sys === null ? '' : `${fmt(c.sys)}/${c.dia === null ? '--' : fmt(c.dia)}`;
    fillVital(vitals.children[0], bpText, bp, blank, c.map === null ? '' : `(${fmt(c.map)})`);
    // A pulse rate standing in for the ECG HR (ward.js heartRateView) is labelled so.
    setText(vitals.children[1].children[0], c.hr !== null && c.hr.fromPulse ? 'PR /min' : 'HR /min');
    fillVital(vitals.children[1], fmt(c.hr), c.hr, blank);
    fillVital(vitals.children[2], fmt(c.spo2), c.spo2, blank);
    // Pause audio where there is something to pause: an alarm on this chair.
    t.children[2].hidden = c.top === 0;
    if (box.children[index] !== t) box.insertBefore(t, box.children[index] || null);
  });
  for (const [bed, t] of chairTiles) {
    if (seen.has(bed)) continue;
    t.remove();
    chairTiles.delete(bed);
  }
}

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  // Not requestAnimationFrame: a hidden tab gets none, and an escalation must still sound.
  setTimeout(() => {
    renderQueued = false;
    render();
  }, 0);
}

function render() {
  if (!session) return;
  const now = Date.now();
  const s = model.snapshot(now);
  const lost = document.body.dataset.link === 'lost';
  $('nodata').hidden = !lost;
  renderAlarms(s.alerts, model.serverNow(now));
  renderChairs(s.chairs);
  $('dropped').hidden = s.dropped === 0;
  $('dropped').textContent = `${s.dropped} chairs or alerts not shown (over this screen's bounds)`;
  sound.set(s.sound);
  const soundBtn = $('sound-btn');
  soundBtn.hidden = sound.available;
  soundBtn.dataset.sound = sound.available ? 'on' : 'off';
}

// ---- sign-in ----

function signIn(user, token, settings) {
  session = { user, token, settings };
  sessionStorage.setItem('vigil.signin', JSON.stringify(session));
  $('signin').hidden = true;
  $('ward').hidden = false;
  $('signout').hidden = false;
  $('sound-btn').hidden = false;
  $('who').textContent = user;
  const hello = { user, ...helloFields(settings) };
  if (token) hello.token = token;
  link.start(hello);
  render();
}

function signOut(reason) {
  link.stop();
  session = null;
  sessionStorage.removeItem('vigil.signin');
  sound.set(0);
  $('signin').hidden = false;
  $('ward').hidden = true;
  $('signout').hidden = true;
  $('sound-btn').hidden = true;
  $('nodata').hidden = true;
  $('signin-error').textContent = reason || '';
  document.body.dataset.link = 'signed-out';
  document.body.dataset.canAct = 'false';
}

$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const settings = onCallSettings(form);
  sound.unlock();  // a user gesture: the only moment a browser lets audio start
  askNotificationPermission(settings);
  signIn(form.user.value.trim(), form.token.value, settings);
});
$('signout').addEventListener('click', () => signOut(''));
$('sound-btn').addEventListener('click', () => {
  sound.unlock();
  render();
});

const saved = sessionStorage.getItem('vigil.signin');
if (saved) {
  try {
    const s = JSON.parse(saved);
    signIn(s.user, s.token, s.settings);
  } catch {
    sessionStorage.removeItem('vigil.signin');
  }
}
// Ages and clocks move on their own; the link watchdog runs in stream_link.js.
setInterval(render, 500);
