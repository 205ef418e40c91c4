// On-call escalation on this phone. At sign-in a nurse may say the phone is on call (tier 1
// or 2, and a label such as "nurse.lee's phone"); the hello carries them as on_call_tier
// and on_call_label. vigild sends ServerMessage{escalation: {alert_id, bed, tier, target,
// priority, message, at_ms}} when an alarm stays unacknowledged; one meant for this phone
// (its tier, and its label or user when the daemon names a target) raises a system
// notification, the alarm's sound burst and a vibration, also while the page is hidden
// where the browser allows (the WebSocket keeps running in a background tab; a closed tab
// or a phone that froze the page hears nothing: docs/web.md says so).
//
// Tolerant: a daemon that does not send `escalation` leaves all of this silent.

export function onCallSettings(form) {
  const onCall = form.onCall.checked;
  return {
    onCall,
    tier: onCall ? Number(form.tier.value) || 1 : 0,
    label: onCall ? form.label.value.trim() : '',
  };
}

// The ClientHello fields for these settings (absent when not on call).
export function helloFields(settings) {
  if (!settings.onCall) return {};
  return { on_call_tier: settings.tier, on_call_label: settings.label };
}

// From the sign-in click (a user gesture): browsers ask for permission only then.
export function askNotificationPermission(settings) {
  if (!settings.onCall || typeof Notification === 'undefined') return;
  if (Notification.permission === 'default') Notification.requestPermission().catch(() => {});
}

export function escalationForMe(e, settings, user) {
  // A "no one on call" step names nobody: it is shown on every screen, sounded on none.
  if (!e || !settings.onCall || e.no_one_on_call) return false;
  if (Number(e.tier || 0) !== settings.tier) return false;
  const target = e.target || '';
  return target === '' || target === settings.label || target === user;
}

// Shows and sounds one escalation; returns a line for the page.
export function announceEscalation(e, sound) {
  // The daemon's message already names the chair and whom the step went to.
  const text = (e.message || e.bed || '').replaceAll('>=', '\u2265').replaceAll('<=', '\u2264');
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    try {
      new Notification(`Vigil ${e.priority || ''} alarm not acknowledged`, {
        body: text, tag: `vigil-${e.alert_id || ''}`, requireInteraction: true, renotify: true,
      });
    } catch {
      // Some mobile browsers allow notifications only from a service worker: the page line,
      // sound and vibration still happen.
    }
  }
  sound.burst(e.priority === 'MEDIUM' || e.priority === 'LOW' ? e.priority : 'HIGH');
  return `Tier ${Number(e.tier || 0)}: ${text}`;
}
