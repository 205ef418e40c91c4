// The page's link to vigild: the stream protocol (proto/stream.proto) as JSON text over the
// WebSocket at /stream on the page's own origin (wss: when the page came over https:).
//
//   open ──► ClientMessage{hello} ──► ServerMessage{hello accepted} ──► snapshot ──► live
//   every second: ClientMessage{heartbeat} (the daemon drops a client silent for 3 s)
//   no message for 2.5 s (the daemon's heartbeat is 1 s), or the socket closes ──► LOST;
//   the page blanks every value, as the dashboard does; reconnects after 1, 2, 4 .. 10 s
//   a refused hello (wrong token, viewer limits ...) ──► REFUSED: no retry until sign-in

const HEARTBEAT_MS = 1000;
const LOST_AFTER_MS = 2500;
const RETRY_MAX_MS = 10000;

export class StreamLink {
  // handlers: onState(state, detail), onMessage(msg). state: 'connecting' | 'connected' |
  // 'lost' | 'refused'.
  constructor(handlers) {
    this.handlers = handlers;
    this.ws = null;
    this.hello = null;
    this.seq = 0;
    this.requestId = 0;
    this.lastRx = 0;
    this.retryMs = 1000;
    this.beat = null;
    this.watch = null;
    this.retry = null;
    this.state = 'connecting';
    this.wasConnected = false;
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/stream`;
  }

  // hello: the ClientHello fields (user, token, on-call ...).
  start(hello) {
    this.stop();
    this.hello = hello;
    this.connect();
  }

  stop() {
    clearTimeout(this.retry);
    clearInterval(this.beat);
    clearInterval(this.watch);
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close();
      this.ws = null;
    }
  }

  setState(state, detail) {
    this.state = state;
    this.handlers.onState(state, detail || '');
  }

  connect() {
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.lost(String(e));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.lastRx = Date.now();
      this.send({ hello: { protocol_version: 1, client_name: 'vigil-web', ...this.hello } });
      this.beat = setInterval(() => this.send({ heartbeat: { seq: String(++this.seq), sent_at_ms: String(Date.now()) } }),
                              HEARTBEAT_MS);
      this.watch = setInterval(() => {
        if (Date.now() - this.lastRx > LOST_AFTER_MS) this.lost('no message from vigild for 2.5 s');
      }, 250);
    };
    ws.onmessage = (event) => {
      this.lastRx = Date.now();
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        this.lost('unreadable message from vigild');
        return;
      }
      if (msg.hello) {
        if (!msg.hello.accepted) {
          this.refused(msg.hello.reason || 'refused');
          return;
        }
        this.retryMs = 1000;
        this.wasConnected = true;
        this.setState('connected', msg.hello.user || '');
      }
      this.handlers.onMessage(msg);
    };
    ws.onclose = () => this.lost('connection to vigild closed');
    ws.onerror = () => {};  // onclose follows and says it
  }

  lost(detail) {
    if (this.state === 'refused') return;
    this.stop();
    this.setState(this.wasConnected ? 'lost' : 'connecting', detail);
    this.retry = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  refused(reason) {
    this.stop();
    this.setState('refused', reason);
  }

  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  // A NurseRequest (acknowledge, pause_audio ...); returns its request_id, or 0 if the link
  // is down (nothing sent).
  request(bed, action) {
    const id = ++this.requestId;
    return this.send({ request: { request_id: String(id), bed, ...action } }) ? id : 0;
  }
}
