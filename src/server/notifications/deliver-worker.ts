/**
 * Delivers the due statement notifications of a ledger: emails over SMTP (statement PDF attached)
 * and printed letters collected into one PDF per batch. Safe to stop and start at any moment; a
 * notification is sent at most once (docs/notifications.md).
 *
 *   npx tsx src/server/notifications/deliver-worker.ts --db PATH [--smtp-host H] [--smtp-port 587]
 *        [--smtp-tls starttls|tls|none] [--smtp-user U] [--from ADDR] [--limit 500] [--lease-ms 600000]
 *        [--loop SECONDS]
 *
 * The SMTP password is read from the SMTP_PASS environment variable only (never a flag, so it does
 * not show in process lists). SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER are defaults for the flags.
 * The server's scheduler can call runDeliveryBatch() directly instead of running this script.
 */
import { parseArgs } from 'node:util';
import { openSqliteLedger } from '../../core/db/open-sqlite';
import { systemClock } from '../../core/ledger-core';
import { createSmtpTransport, runDeliveryBatch } from '../../core/notifications/delivery';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'smtp-host': { type: 'string', default: process.env.SMTP_HOST ?? '127.0.0.1' },
    'smtp-port': { type: 'string', default: process.env.SMTP_PORT ?? '587' },
    'smtp-tls': { type: 'string', default: process.env.SMTP_TLS ?? 'starttls' },
    'smtp-user': { type: 'string', default: process.env.SMTP_USER },
    'allow-self-signed': { type: 'boolean', default: false },
    from: { type: 'string' },
    limit: { type: 'string', default: '500' },
    'lease-ms': { type: 'string', default: String(10 * 60_000) },
    loop: { type: 'string' },
  },
});

if (!values.db) {
  console.error('usage: deliver-worker --db PATH [--smtp-host H --smtp-port P --smtp-tls starttls|tls|none --smtp-user U] (SMTP_PASS in the environment)');
  process.exit(2);
}
const tls = values['smtp-tls'] as 'none' | 'starttls' | 'tls';
if (!['none', 'starttls', 'tls'].includes(tls)) {
  console.error('--smtp-tls must be none, starttls or tls');
  process.exit(2);
}

const ledger = await openSqliteLedger(values.db);
const transport = createSmtpTransport({
  host: values['smtp-host']!,
  port: Number(values['smtp-port']),
  tls,
  user: values['smtp-user'],
  pass: process.env.SMTP_PASS,
  allowSelfSigned: values['allow-self-signed'],
});

let stopping = false;
const stop = () => {
  stopping = true;
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const once = async () => {
  const report = await runDeliveryBatch(ledger.db, systemClock, transport, {
    limit: Number(values.limit),
    leaseMs: Number(values['lease-ms']),
    defaultFrom: values.from,
  });
  console.log(`DELIVERY ${JSON.stringify({ at: new Date().toISOString(), ...report })}`);
  return report;
};

try {
  if (!values.loop) await once();
  else {
    const everyMs = Math.max(1, Number(values.loop)) * 1000;
    while (!stopping) {
      const r = await once();
      // A full run means more may be due right away.
      if (r.claimed + r.cancelled + r.permanent < Number(values.limit)) {
        for (let waited = 0; waited < everyMs && !stopping; waited += 250) await new Promise((res) => setTimeout(res, 250));
      }
    }
  }
} finally {
  transport.close();
  await ledger.close();
}
