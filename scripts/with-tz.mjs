// Runs a command with TZ set, the same on Windows, macOS and Linux (npm scripts cannot `TZ=… cmd` on
// Windows). The unit suite runs under two far-apart zones so a date rule that leans on the machine's
// zone fails in CI: `node scripts/with-tz.mjs Pacific/Kiritimati vitest run src`.
import { spawnSync } from 'node:child_process';

const [zone, bin, ...args] = process.argv.slice(2);
if (!zone || !bin) {
  console.error('usage: node scripts/with-tz.mjs <IANA zone> <command> [args…]');
  process.exit(2);
}
console.log(`[with-tz] TZ=${zone} ${bin} ${args.join(' ')}`);
const r = spawnSync(bin, args, { stdio: 'inherit', env: { ...process.env, TZ: zone }, shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
