// Browser test of vigild's web view (docs/web.md), in a real browser: headless Debian
// chromium driven over its DevTools protocol by playwright-core (npm; never a downloaded
// browser). One vigild from the build (temp database, loopback ports picked by the kernel):
//
//   1. the page loads (with its CSP and no request to another host), a nurse signs in
//   2. an HL7 ORU with SBP 210 arrives ──► the HIGH alarm row shows (deadline-wait; the
//      measured delay is printed, not judged: timing goals live in benchmarks)
//   3. Acknowledge on the page ──► the alert log (vigilctl alerts) holds the acknowledgement
//      with the page's user
//   4. vigild is killed ──► the page shows NO DATA and blanks every value
//   5. a vigild with stream users: a viewer's token signs in without nurse buttons (and the
//      daemon would refuse its acknowledgement anyway); a wrong token is refused
//   6. a vigild escalating after 1 s: a page signed in on call (tier 1) is told of the
//      unacknowledged HIGH alarm
//   Screenshots (phone 390x844, tablet 1024x768) go to $VIGIL_WEB_ARTIFACTS.
//
// A missing chromium or playwright-core FAILS (exit 1): CI must not pass without a browser.
// Usage: node web_view_test.mjs   env: VIGIL_BIN_DIR (vigild, vigilctl), VIGIL_WEB_ARTIFACTS,
//        VIGIL_CHROMIUM (default /usr/bin/chromium)

import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const binDir = process.env.VIGIL_BIN_DIR || path.resolve(here, '../../build/bin');
const artifacts = process.env.VIGIL_WEB_ARTIFACTS || path.resolve(binDir, '../test-artifacts/web');
const chromiumPath = process.env.VIGIL_CHROMIUM || '/usr/bin/chromium';
const DEADLINE_MS = 10000;  // a wait's bound, not a goal

function fail(message) {
  console.error(`web_view_test: FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

function loadPlaywright() {
  try {
    return createRequire(path.join(here, 'package.json'))('playwright-core');
  } catch (e) {
    fail(`playwright-core not installed (run: cd tests/web && npm ci): ${e.message}`);
  }
}

// Starts vigild and resolves with its addresses from the `listening hl7=.. stream=.. http=..` line.
function startVigild(dir, extraArgs = []) {
  const db = path.join(dir, 'vigil.db');
  const child = spawn(path.join(binDir, 'vigild'),
                      ['--db', db, '--hl7-listen', '127.0.0.1:0', '--stream-listen', '127.0.0.1:0',
                       '--http-listen', '127.0.0.1:0', ...extraArgs],
                      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VIGIL_LAST_STOP_FILE: path.join(dir, 'last-stop') } });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vigild did not say "listening" in time:\n${log}`)), DEADLINE_MS);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening hl7=(\S+) stream=(\S+) http=(\S+)/);
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, db, hl7: m[1], http: m[3], log: () => log });
    });
    child.on('exit', (code) => reject(new Error(`vigild exited (${code}) before listening:\n${log}`)));
  });
}

function hl7Time(date) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}` +
         `${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+0000`;
}

// An IHE PCD ORU^R01 for `bed`, as tests/support/mllp_client.cpp make_oru() writes it.
function oru(bed, controlId, v) {
  const t = hl7Time(new Date(Date.now() - 5000));
  return [
    `MSH|^~\\&|VIGILTEST^0012345678ABCDEF^EUI-64||||${t}||ORU^R01^ORU_R01|${controlId}|P|2.6|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO`,
    'PID|||TESTPAT^^^Clinic^PI',
    `PV1||I|^^${bed}`,
    `OBR|1|||182777000^monitoring of patient^SCT|||${t}`,
    `OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|${v.sys}|266016^MDC_DIM_MMHG^MDC|||||R|||${t}`,
    `OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|${v.dia}|266016^MDC_DIM_MMHG^MDC|||||R|||${t}`,
    `OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|${v.mean}|266016^MDC_DIM_MMHG^MDC|||||R|||${t}`,
    `OBX|4|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|${v.hr}|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R`,
    `OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|${v.spo2}|262688^MDC_DIM_PERCENT^MDC|||||R`,
  ].join('\r') + '\r';
}

// One MLLP exchange: <VT> message <FS><CR>, resolves with the ACK's MSA-1 once it arrives.
function sendMllp(address, message) {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let reply = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no HL7 ACK in time')); }, DEADLINE_MS);
    socket.on('connect', () => socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'latin1'), Buffer.from([0x1c, 0x0d])])));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (!reply.includes('\x1c\r')) return;
      clearTimeout(timer);
      socket.end();
      const msa = reply.split('\r').find((s) => s.replace('\x0b', '').startsWith('MSA|')) || '';
      resolve(msa.split('|')[1] || '');
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

// The browser is the test's tool, not the system under test: a suite run under libfaketime
// (a month ahead) fakes vigild's clock, and the browser keeps the real one, like a phone whose
// clock differs from the server's (the page counts ages on vigild's clock). libfaketime inside
// chromium's many processes also slows it tenfold.
function browserEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')) delete env[name];
  return env;
}

async function shot(page, name) {
  const file = path.join(artifacts, `${name}.png`);
  // Flashing stopped in its lit phase: the picture shows the colour, not a random flash phase.
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
  console.log(`web_view_test: screenshot ${file}`);
}

async function main() {
  if (!fs.existsSync(chromiumPath)) fail(`no browser at ${chromiumPath} (apt-get install chromium)`);
  const { chromium } = loadPlaywright();
  fs.mkdirSync(artifacts, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-web-'));
  let vigild = null;
  let context = null;
  try {
    vigild = await startVigild(dir);
    const origin = `http://${vigild.http}`;
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: chromiumPath,
      env: browserEnv(),
      headless: true,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || (await context.newPage());
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith(origin.replace('http', 'ws'))) problems.push(`request to another host: ${r.url()}`); });

    // 1. The page loads from vigild alone, with a CSP of its own origin.
    const response = await page.goto(`${origin}/`);
    if (response.status() !== 200) fail(`GET / answered ${response.status()}`);
    const csp = response.headers()['content-security-policy'] || '';
    if (!csp.includes("default-src 'self'")) fail(`no self-only CSP on the page: "${csp}"`);
    await page.fill('input[name=user]', 'nurse.kim');
    await page.click('#signin-btn');
    await page.waitForSelector('body[data-link="connected"]', { timeout: DEADLINE_MS });
    if ((await page.getAttribute('body', 'data-can-act')) !== 'true')
      fail('no stream users on loopback: the page should offer nurse actions');

    // 2. A HIGH alarm (P1: SBP >= 200) from one HL7 message.
    const sentAt = Date.now();
    const ack = await sendMllp(vigild.hl7, oru('CHAIR1', 'WEB1', { sys: 210, dia: 112, mean: 145, hr: 88, spo2: 97 }));
    if (ack !== 'AA' && ack !== 'CA') fail(`HL7 message not accepted: MSA-1 "${ack}"`);
    const high = '#alarm-list .alarm[data-alert-priority="HIGH"]';
    await page.waitForSelector(high, { timeout: DEADLINE_MS });
    const alarmMs = Date.now() - sentAt;
    console.log(`web_view_test: HIGH alarm row shown ${alarmMs} ms after the HL7 message was sent`);
    // Selectors, not waitForFunction: the page's CSP forbids the eval a polled function needs.
    await page.waitForSelector('.chair[data-bed="CHAIR1"] .vital .value:has-text("210/112(145)")', { timeout: DEADLINE_MS });
    await shot(page, 'web-phone');
    await page.setViewportSize({ width: 1024, height: 768 });
    // A second chair, calm, so the tablet grid shows more than one tile.
    await sendMllp(vigild.hl7, oru('CHAIR2', 'WEB2', { sys: 124, dia: 78, mean: 93, hr: 70, spo2: 98 }));
    await page.waitForSelector('.chair[data-bed="CHAIR2"]', { timeout: DEADLINE_MS });
    await shot(page, 'web-tablet');
    await page.setViewportSize({ width: 390, height: 844 });

    // 3. Acknowledge from the page reaches the alert log with the page's user.
    const alertId = await page.getAttribute(high, 'data-alert-id');
    await page.click(`${high} button.ack`);
    await page.waitForSelector(`#alarm-list .alarm[data-alert-id="${alertId}"][data-alert-state="ACKNOWLEDGED"]`, { timeout: DEADLINE_MS });
    await page.waitForSelector('#result[data-ok="true"]', { timeout: DEADLINE_MS });
    const log = execFileSync(path.join(binDir, 'vigilctl'), ['alerts', '--db', vigild.db, '--bed', 'CHAIR1', '--format', 'jsonl'],
                             { encoding: 'utf8' });
    const acked = log.split('\n').filter(Boolean).map((l) => JSON.parse(l))
      .find((a) => a.id === alertId && a.transition === 'acknowledged');
    if (!acked) fail(`no acknowledgement of ${alertId} in the alert log:\n${log}`);
    if (acked.user !== 'nurse.kim') fail(`acknowledgement logged as "${acked.user}", not nurse.kim`);
    console.log(`web_view_test: alert log: ${alertId} acknowledged by ${acked.user}`);
    await shot(page, 'web-phone-acknowledged');

    // 4. Link loss: vigild dies; the page must say NO DATA and show no value. (The browser
    // then logs its failing reconnects: what it reported before is what counts.)
    const reported = [...problems];
    vigild.child.kill('SIGKILL');
    const killedAt = Date.now();
    await page.waitForSelector('body[data-link="lost"] #nodata:not([hidden])', { timeout: DEADLINE_MS });
    console.log(`web_view_test: NO DATA shown ${Date.now() - killedAt} ms after vigild was killed`);
    const values = await page.$$eval('.chair .vital .value', (els) => els.map((e) => e.textContent));
    if (values.length === 0 || values.some((v) => v !== 'NO DATA')) fail(`values still shown after link loss: ${values}`);
    if ((await page.$$(`#alarm-list .alarm`)).length !== 0) fail('alarm rows still listed after link loss');
    await shot(page, 'web-phone-nodata');

    if (reported.length) fail(`browser reported:\n${reported.join('\n')}`);

    // 5. Stream users: the page logs in by token, and the role decides the buttons.
    const usersDir = path.join(dir, 'users');
    fs.mkdirSync(usersDir);
    const sha = (t) => createHash('sha256').update(t).digest('hex');
    const config = path.join(usersDir, 'vigil.conf');
    fs.writeFileSync(config, `stream_user { name: "vera" role: "viewer" token_sha256: "${sha('viewer-token-0001')}" }\n` +
                             `stream_user { name: "nina" role: "nurse" token_sha256: "${sha('nurse-token-0001')}" }\n`);
    const secured = await startVigild(usersDir, ['--config', config]);
    try {
      const viewer = await context.newPage();
      await viewer.goto(`http://${secured.http}/`);
      await viewer.fill('input[name=user]', 'someone');
      await viewer.fill('input[name=token]', 'viewer-token-0001');
      await viewer.click('#signin-btn');
      await viewer.waitForSelector('body[data-link="connected"][data-role="viewer"]', { timeout: DEADLINE_MS });
      if ((await viewer.textContent('#who')) !== 'vera (viewer)') fail(`viewer shown as "${await viewer.textContent('#who')}"`);
      await sendMllp(secured.hl7, oru('CHAIR3', 'WEB3', { sys: 212, dia: 110, mean: 144, hr: 90, spo2: 96 }));
      await viewer.waitForSelector(high, { timeout: DEADLINE_MS });
      if (await viewer.isVisible(`${high} button.ack`)) fail('a viewer is offered Acknowledge');
      await shot(viewer, 'web-phone-viewer');
      await viewer.click('#signout');
      await viewer.fill('input[name=token]', 'wrong-token');
      await viewer.click('#signin-btn');
      await viewer.waitForSelector('#signin-error:has-text("authentication failed")', { timeout: DEADLINE_MS });
      console.log('web_view_test: viewer watches without nurse buttons; a wrong token is refused');
    } finally {
      secured.child.kill('SIGKILL');
    }
    // 6. Escalation: a phone signed in as on call (tier 1) is told of a HIGH alarm nobody
    // acknowledged, with its sound; the escalation time is 1 s here (the default is 2 min).
    const escDir = path.join(dir, 'escalation');
    fs.mkdirSync(escDir);
    const escConfig = path.join(escDir, 'vigil.conf');
    fs.writeFileSync(escConfig, 'escalation { high_after_s: 1 tier2_after_s: 600 }\n');
    const escalating = await startVigild(escDir, ['--config', escConfig]);
    try {
      const phone = await context.newPage();
      await phone.goto(`http://${escalating.http}/`);
      await phone.fill('input[name=user]', 'nurse.lee');
      await phone.check('input[name=onCall]');
      await phone.selectOption('select[name=tier]', '1');
      await phone.fill('input[name=label]', "nurse.lee's phone");
      await phone.click('#signin-btn');
      await phone.waitForSelector('body[data-link="connected"]', { timeout: DEADLINE_MS });
      const raisedAt = Date.now();
      await sendMllp(escalating.hl7, oru('CHAIR4', 'WEB4', { sys: 214, dia: 118, mean: 150, hr: 92, spo2: 97 }));
      await phone.waitForSelector('#escalations li:has-text("Tier 1: escalated to nurse.lee\'s phone")', { timeout: DEADLINE_MS });
      console.log(`web_view_test: escalation reached the on-call page ${Date.now() - raisedAt} ms after the HL7 message (escalation time 1 s)`);
      // Every screen says who the alarm went to, on its row.
      await phone.waitForSelector(`#alarm-list .alarm[data-alert-priority="HIGH"]:has-text("escalated: nurse.lee's phone")`, { timeout: DEADLINE_MS });
      await shot(phone, 'web-phone-escalated');
    } finally {
      escalating.child.kill('SIGKILL');
    }
    console.log('web_view_test: PASS');
  } finally {
    if (context) await context.close().catch(() => {});
    if (vigild && vigild.child.exitCode === null) vigild.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  if (!process.exitCode) console.error(`web_view_test: FAIL: ${e.stack || e}`);
  process.exitCode = 1;
});
