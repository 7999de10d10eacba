import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { checkDue, restartDecision, updateFeedUrl, CHECK_EVERY_MS } from '../../src/main/updates/update-policy';
import { UpdateService, type Updater } from '../../src/main/updates/update-service';

/** Stands in for electron-updater's autoUpdater at the Electron boundary, and only there. */
class FakeUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: string[] = [];
  checks = 0;
  installs = 0;
  next: 'none' | { version: string } | Error = 'none';
  setFeedURL(o: { provider: 'generic'; url: string }) {
    expect(o.provider).toBe('generic');
    this.feeds.push(o.url);
  }
  async checkForUpdates() {
    this.checks++;
    if (this.next instanceof Error) throw this.next;
    if (this.next === 'none') this.emit('update-not-available', {});
    else this.emit('update-available', this.next);
    return null;
  }
  quitAndInstall() {
    this.installs++;
  }
}

function setup(opts: { server?: string | null } = {}) {
  const updater = new FakeUpdater();
  const work = { unsynced: 0, formOpen: false };
  const asked: string[] = [];
  let answer = true;
  let now = 1_000_000;
  let hook = () => undefined as void;
  const service = new UpdateService({
    updater: updater as unknown as Updater,
    serverUrl: () => (opts.server === undefined ? 'https://ledger.office.example:8787' : opts.server),
    work: () => ({ ...work }),
    nowMs: () => now,
    offerRestart: async (v) => {
      asked.push(v);
      hook();
      return answer;
    },
  });
  return { updater, service, work, asked, setAnswer: (a: boolean) => (answer = a), advance: (ms: number) => (now += ms), onAsk: (f: () => void) => (hook = f) };
}

describe('desk updates: decisions (pure)', () => {
  it('the feed is the configured server\'s /v1/updates/, with the slash electron-updater needs', () => {
    expect(updateFeedUrl('https://ledger.office.example:8787')).toBe('https://ledger.office.example:8787/v1/updates/');
    expect(updateFeedUrl('https://office.example/ledger/')).toBe('https://office.example/ledger/v1/updates/');
    expect(updateFeedUrl(null)).toBeNull();
    expect(updateFeedUrl('file:///etc/passwd')).toBeNull();
    expect(updateFeedUrl('not a url')).toBeNull();
  });

  it('a restart is offered only with nothing unsynced and no open form', () => {
    expect(restartDecision(null, { unsynced: 0, formOpen: false }).offer).toBe(false);
    const waiting = restartDecision({ version: '0.2.0' }, { unsynced: 3, formOpen: false });
    expect(waiting).toEqual({ offer: false, reason: 'Waiting until all 3 changes entered here reach the server.' });
    expect(restartDecision({ version: '0.2.0' }, { unsynced: 0, formOpen: true })).toEqual({ offer: false, reason: 'Waiting until the open form is finished or left.' });
    expect(restartDecision({ version: '0.2.0' }, { unsynced: 0, formOpen: false })).toEqual({ offer: true });
  });

  it('checks are due at start and then every interval', () => {
    expect(checkDue(null, 5)).toBe(true);
    expect(checkDue(0, CHECK_EVERY_MS - 1)).toBe(false);
    expect(checkDue(0, CHECK_EVERY_MS)).toBe(true);
  });
});

describe('desk updates: the service with a fake updater', () => {
  it('checks the office feed, downloads in the background, and restarts only when the outbox is empty, no form is open and the user agrees', async () => {
    const t = setup();
    await t.service.check();
    expect(t.updater.feeds).toEqual(['https://ledger.office.example:8787/v1/updates/']);
    expect(t.updater.autoDownload).toBe(true);
    expect(t.updater.autoInstallOnAppQuit).toBe(true);
    expect(t.service.state().phase).toBe('up-to-date');

    t.updater.next = { version: '0.2.0' };
    await t.service.check(); // not due yet
    expect(t.updater.checks).toBe(1);
    t.advance(CHECK_EVERY_MS);
    await t.service.check();
    expect(t.service.state()).toMatchObject({ phase: 'downloading', version: '0.2.0' });

    // Downloaded (electron-updater verified the sha512 from latest.yml) while 2 payments are not on the server yet.
    t.work.unsynced = 2;
    t.updater.emit('download-progress', { percent: 57.4 });
    expect(t.service.state().percent).toBe(57);
    t.updater.emit('update-downloaded', { version: '0.2.0' });
    await new Promise((r) => setImmediate(r));
    expect(t.service.state()).toMatchObject({ phase: 'ready', restart: { offer: false } });
    expect(t.asked).toEqual([]);

    t.work.unsynced = 0;
    t.work.formOpen = true;
    expect(await t.service.reconsider()).toBe(false);
    expect(t.asked).toEqual([]);

    t.work.formOpen = false;
    t.setAnswer(false); // "Later"
    expect(await t.service.reconsider()).toBe(false);
    expect(t.asked).toEqual(['0.2.0']);
    expect(await t.service.reconsider()).toBe(false); // not asked again at once
    expect(t.asked).toHaveLength(1);
    expect(t.updater.installs).toBe(0);

    t.advance(CHECK_EVERY_MS);
    t.setAnswer(true);
    expect(await t.service.reconsider()).toBe(true);
    expect(t.updater.installs).toBe(1);
  });

  it('work entered while the question is open cancels the restart', async () => {
    const t = setup();
    t.updater.next = { version: '0.3.0' };
    await t.service.check();
    t.onAsk(() => {
      t.work.unsynced = 1; // a clerk records a payment while the dialog is up
    });
    t.updater.emit('update-downloaded', { version: '0.3.0' });
    await new Promise((r) => setImmediate(r));
    expect(t.asked).toEqual(['0.3.0']);
    expect(t.updater.installs).toBe(0);
    expect(t.service.state().restart).toEqual({ offer: false, reason: 'Waiting until the change entered here reaches the server.' });
  });

  it('a standalone desk never checks; an unreachable server is an error to retry, not a crash', async () => {
    const alone = setup({ server: null });
    await alone.service.check(true);
    expect(alone.updater.checks).toBe(0);
    const off = setup();
    off.updater.next = new Error('net::ERR_CONNECTION_REFUSED');
    const st = await off.service.check();
    expect(st).toMatchObject({ phase: 'error', error: 'net::ERR_CONNECTION_REFUSED' });
    off.updater.next = 'none';
    off.advance(CHECK_EVERY_MS);
    expect((await off.service.check()).phase).toBe('up-to-date');
  });
});
