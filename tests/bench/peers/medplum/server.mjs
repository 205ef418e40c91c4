// A peer for vigil-bench-ingest: Medplum's Hl7Server (@medplum/hl7, pinned in package.json).
//
// Each message arrives parsed by the library (Hl7Message); its OBX values are read (as an
// application that files them would) and the library's own ACK builder answers it
// (Hl7Message.buildAck, AA). Nothing is stored. Prints `listening hl7=HOST:PORT` once bound.
//
//   node server.mjs [--port N]     (0, the default: any free port)
//
// Hl7Server.start(port) binds every address (it takes no host): fine for a benchmark that
// runs for seconds on a development machine; the printed host is the loopback address the
// load generator uses.
import { Hl7Server } from '@medplum/hl7';

const portArg = process.argv.indexOf('--port');
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`medplum peer: bad --port '${process.argv[portArg + 1]}'`);
  process.exit(2);
}

const server = new Hl7Server((connection) => {
  connection.addEventListener('message', ({ message }) => {
    // Read every OBX value: the work a receiver does before it can acknowledge.
    const values = message.getAllSegments('OBX').map((obx) => obx.getField(5).toString());
    if (values.length === 0) console.error('medplum peer: message without OBX');
    connection.send(message.buildAck());
  });
  connection.addEventListener('error', ({ error }) => {
    console.error(`medplum peer: connection error: ${error.message}`);
  });
});
server.start(port);
server.server.once('listening', () => {
  console.log(`listening hl7=127.0.0.1:${server.server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.stop({ forceDrainTimeoutMs: 1000 }).finally(() => process.exit(0));
  });
}
