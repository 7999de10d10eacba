import { describe, expect, it } from 'vitest';
import { asksForSync, splitEvents } from './live-notice';
import { blockedReason, initialStatus } from './sync-status';

describe('live notice parsing', () => {
  it('splits complete events and keeps the unfinished rest', () => {
    const { events, rest } = splitEvents('event: hello\ndata: {"seq":0}\n\n: keep-alive\n\nevent: chan');
    expect(events).toEqual(['event: hello\ndata: {"seq":0}', ': keep-alive']);
    expect(rest).toBe('event: chan');
    expect(splitEvents(rest + 'ges\ndata: {"seq":4}\n\n').events).toEqual(['event: changes\ndata: {"seq":4}']);
  });

  it('only changes and hello ask for a sync', () => {
    expect(asksForSync('event: changes\ndata: {}')).toBe(true);
    expect(asksForSync('event: hello\ndata: {}')).toBe(true);
    expect(asksForSync(': keep-alive')).toBe(false);
    expect(asksForSync('event: other\ndata: {}')).toBe(false);
  });
});

describe('sync status texts', () => {
  it('names who must sign in, before anything else', () => {
    const st = { ...initialStatus(), configured: true, waitingForSignIn: ['Sam Supervisor'], lastError: 'x' };
    expect(blockedReason(st)).toEqual({ kind: 'sign-in', message: expect.stringMatching(/^Waiting for Sam Supervisor to sign in to the server: their changes/) });
    expect(blockedReason({ ...st, waitingForSignIn: [] })?.kind).toBe('offline');
    expect(blockedReason({ ...st, waitingForSignIn: [], online: true })?.kind).toBe('error');
    expect(blockedReason({ ...st, configured: false })).toBeNull();
  });
});
