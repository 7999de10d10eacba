import { checkDue, restartDecision, updateFeedUrl, type RestartDecision, type WorkOnDesk } from './update-policy';

/**
 * The part of electron-updater's AppUpdater this desk uses. The Electron binding passes the real
 * `autoUpdater`; tests pass a fake. electron-updater verifies each download against the sha512 in
 * the feed's latest.yml (and the code signature on Windows/macOS) before it reports it downloaded.
 */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-available' | 'update-not-available' | 'update-downloaded' | 'error' | 'download-progress', listener: (...args: never[]) => void): unknown;
}

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'up-to-date' | 'error';

export interface UpdateState {
  phase: UpdatePhase;
  feedUrl: string | null;
  version: string | null;
  percent: number | null;
  error: string | null;
  restart: RestartDecision;
}

export interface UpdateServiceDeps {
  updater: Updater;
  /** The office server's address (null: standalone desk, no updates from a server). */
  serverUrl(): string | null;
  work(): Promise<WorkOnDesk> | WorkOnDesk;
  /** Asks the user whether to restart now (a dialog in Electron); true = restart. */
  offerRestart(version: string): Promise<boolean>;
  nowMs(): number;
}

/**
 * Checks the office server's feed, lets the updater download in the background, and offers the
 * restart only when `restartDecision` allows it, asking once per downloaded version (again only if
 * the user said "Later" and `reconsider` is called after the next check interval).
 */
export class UpdateService {
  private st: UpdateState = { phase: 'idle', feedUrl: null, version: null, percent: null, error: null, restart: { offer: false, reason: 'No update has been downloaded.' } };
  private lastCheckAt: number | null = null;
  private offeredAt: number | null = null;
  private asking = false;

  constructor(private readonly d: UpdateServiceDeps) {
    const u = d.updater;
    u.autoDownload = true; // in the background, as soon as the feed names a newer version
    u.autoInstallOnAppQuit = true; // a user who quits gets the new version next time
    u.on('update-available', ((info: { version: string }) => this.set({ phase: 'downloading', version: info.version, percent: 0, error: null })) as never);
    u.on('update-not-available', (() => this.set({ phase: 'up-to-date', percent: null })) as never);
    u.on('download-progress', ((p: { percent: number }) => this.set({ percent: Math.round(p.percent) })) as never);
    u.on('update-downloaded', ((info: { version: string }) => {
      this.set({ phase: 'ready', version: info.version, percent: 100 });
      void this.reconsider();
    }) as never);
    u.on('error', ((e: Error) => this.set({ phase: this.st.phase === 'ready' ? 'ready' : 'error', error: e?.message ?? String(e) })) as never);
  }

  state(): UpdateState {
    return { ...this.st };
  }

  /** Checks the feed when due (or when forced); a desk without a server never checks. */
  async check(force = false): Promise<UpdateState> {
    const feedUrl = updateFeedUrl(this.d.serverUrl());
    if (!feedUrl) return this.set({ feedUrl: null });
    if (!force && !checkDue(this.lastCheckAt, this.d.nowMs())) return this.state();
    if (this.st.phase === 'downloading' || this.st.phase === 'checking') return this.state();
    this.lastCheckAt = this.d.nowMs();
    if (feedUrl !== this.st.feedUrl) this.d.updater.setFeedURL({ provider: 'generic', url: feedUrl });
    this.set({ feedUrl, phase: this.st.phase === 'ready' ? 'ready' : 'checking', error: null });
    try {
      await this.d.updater.checkForUpdates();
    } catch (e) {
      // An unreachable server is normal for an offline desk: it tries again at the next check.
      this.set({ phase: this.st.phase === 'ready' ? 'ready' : 'error', error: (e as Error)?.message ?? String(e) });
    }
    return this.state();
  }

  /**
   * Offers the restart when allowed (call it after each sync and when a form closes). Returns true
   * when the updater was told to quit and install.
   */
  async reconsider(): Promise<boolean> {
    if (this.st.phase !== 'ready' || this.asking) return false;
    const decision = restartDecision({ version: this.st.version ?? '' }, await this.d.work());
    this.set({ restart: decision });
    if (!decision.offer) return false;
    if (this.offeredAt !== null && !checkDue(this.offeredAt, this.d.nowMs())) return false;
    this.asking = true;
    try {
      this.offeredAt = this.d.nowMs();
      if (!(await this.d.offerRestart(this.st.version ?? ''))) return false;
      // The answer took time: work may have been entered meanwhile.
      const again = restartDecision({ version: this.st.version ?? '' }, await this.d.work());
      this.set({ restart: again });
      if (!again.offer) return false;
      this.d.updater.quitAndInstall(false, true);
      return true;
    } finally {
      this.asking = false;
    }
  }

  private set(p: Partial<UpdateState>): UpdateState {
    this.st = { ...this.st, ...p };
    return this.state();
  }
}
