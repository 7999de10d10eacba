// Runs a command with TZ set, the same on Windows, macOS and Linux (npm scripts cannot `TZ=… cmd` on
// Windows). The unit suite runs under two far-apart zones so a date rule that leans on the machine's
// zone fails in CI: `node scripts/with-tz.mjs Pacific/Kiritimati vitest run`. The npm script names the
// suite: test:unit sets VITEST_SUITE=unit (src/**), test:integration VITEST_SUITE=integration (test/**).
import { spawnSync } from 'node:child_process';

const [zone, bin, ...args] = process.argv.slice(2);
const suite = process.env.npm_lifecycle_event === 'test:unit' ? 'unit' : process.env.npm_lifecycle_event === 'test:integration' ? 'integration' : process.env.VITEST_SUITE;
if (!zone || !bin) {
  console.error('usage: node scripts/with-tz.mjs <IANA zone> <command> [args…]');
  process.exit(2);
}
console.log(`[with-tz] TZ=${zone} ${bin} ${args.join(' ')}`);
const r = spawnSync(bin, args, { stdio: 'inherit', env: { ...process.env, TZ: zone, ...(suite ? { VITEST_SUITE: suite } : {}) }, shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
