import { parseArgs } from 'node:util';
import { setupFirstAdmin, needsSetup } from '../../core/auth/sign-in';
import { businessTimeAt, readOfficeTimeZone } from '../../core/commands/business-time';
import { addDemoActivity } from '../../core/demo/demo-activity';
import { addDemoCorrections } from '../../core/demo/demo-corrections';
import { loadDemoData } from '../../core/demo/demo-data';
import { openDesktopCore, systemClock } from '../../core/ledger-core';
import { verifyLedger } from '../../core/ledger/checks';
import type { CliCommand } from './index';

export const demoDataCommand: CliCommand = async (argv, defaults) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      accounts: { type: 'string', default: '5000' },
      months: { type: 'string', default: '12' },
      seed: { type: 'string', default: '42' },
      admin: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const accounts = Number(values.accounts);
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 2_000_000) {
    console.error('--accounts must be a whole number from 1 to 2,000,000');
    return 2;
  }
  const core = await openDesktopCore(values.db ?? defaults.db);
  try {
    if (await needsSetup(core.db)) {
      if (!values.admin || !values.password) {
        console.error(
          `The ledger ${core.ledger.path} has no users yet. Pass --admin USER --password PW to create the first administrator, or set it up in the app first. ` +
            'For a ready-made demo in one step, run: npm run web -- --demo',
        );
        return 2;
      }
      await setupFirstAdmin(core.db, systemClock, { username: values.admin, displayName: values.admin, password: values.password });
    }
    const admin = await core.db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('created_at').limit(1).executeTakeFirstOrThrow();
    // A ledger with no deposits yet also gets the office's work done on the demo year (deposits,
    // closed months, today's payments, recurring payments, a statement run), by its administrator.
    const untouched = !(await core.db.selectFrom('deposits').select('id').limit(1).executeTakeFirst());
    const today = businessTimeAt(systemClock.now(), await readOfficeTimeZone(core.db), systemClock.today()).businessDate;
    const t0 = Date.now();
    const counts = await loadDemoData(core.db, core.ledger.raw, {
      accounts,
      months: Number(values.months),
      seed: Number(values.seed),
      today,
      actorId: admin.id,
      depositLater: untouched,
    });
    if (untouched) {
      const actor = { userId: admin.id, role: 'admin' as const };
      await addDemoActivity(core, { admin: actor, supervisor: actor, csr: actor }, today);
      await addDemoCorrections(core, { supervisor: actor, csr: actor });
    }
    const problems = await verifyLedger(core.db);
    console.log(`Demo data loaded into ${core.ledger.path} in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts);
    if (problems.length > 0) {
      console.error('Ledger check failed:', problems.slice(0, 5));
      return 1;
    }
    return 0;
  } finally {
    await core.close();
  }
};
