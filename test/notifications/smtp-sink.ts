/**
 * A real SMTP server on loopback for the notification tests, run as its own process:
 *   tsx test/notifications/smtp-sink.ts --dir OUT [--port 0] [--exit-after N] [--delay-ms D] [--reject-pattern RE]
 * Every accepted message is written to OUT/<n>-<message-id>.eml before the server answers 250, and
 * a line `RECEIVED n <message-id>` is printed. It prints `SMTP_PORT=<port>` once listening.
 * --exit-after N: after N accepted messages the process exits at the next MAIL FROM, without
 * answering: the server going away mid-batch.
 * --reject-pattern: recipients matching the regex get "550 mailbox unavailable".
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    'exit-after': { type: 'string' },
    'delay-ms': { type: 'string', default: '0' },
    'reject-pattern': { type: 'string' },
  },
});
const dir = values.dir!;
mkdirSync(dir, { recursive: true });
let count = readdirSync(dir).filter((f) => f.endsWith('.eml')).length;
const exitAfter = values['exit-after'] ? Number(values['exit-after']) : Infinity;
const delay = Number(values['delay-ms']);
const reject = values['reject-pattern'] ? new RegExp(values['reject-pattern']) : null;
let accepted = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 20 * 1024 * 1024,
  onMailFrom(_address, _session, cb) {
    if (accepted >= exitAfter) {
      console.log('EXITING');
      process.exit(0);
    }
    cb();
  },
  onRcptTo(address, _session, cb) {
    if (reject && reject.test(address.address)) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
    cb();
  },
  onData(stream, _session, cb) {
    const parts: Buffer[] = [];
    stream.on('data', (b: Buffer) => parts.push(b));
    stream.on('end', () => {
      const raw = Buffer.concat(parts);
      const id = /^Message-ID:\s*<([^>]+)>/im.exec(raw.toString('latin1'))?.[1] ?? 'no-id';
      count++;
      accepted++;
      writeFileSync(join(dir, `${String(count).padStart(5, '0')}-${id.replace(/[^A-Za-z0-9@.-]/g, '_')}.eml`), raw);
      console.log(`RECEIVED ${count} ${id}`);
      setTimeout(() => cb(null, `OK: queued as ${count}`), delay);
    });
  },
});
server.on('error', (e) => console.error('sink error', e.message));
// Answer at once (no Nagle delay on small replies), as production MTAs do.
server.server.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
server.listen(Number(values.port), '127.0.0.1', () => {
  const addr = server.server.address();
  console.log(`SMTP_PORT=${typeof addr === 'object' && addr ? addr.port : values.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
