import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './hash-route';

describe('hash routes', () => {
  it('round-trips a page and its parameters', () => {
    const r = { page: 'make-payment', params: { accountId: 'a b&c', step: 'review' } };
    expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(formatRoute({ page: 'home' })).toBe('#/home');
    expect(parseRoute('#/home')).toEqual({ page: 'home' });
  });
  it('is no route for the launch token, an empty hash or a bad page key', () => {
    expect(parseRoute('#token=abc')).toBeNull();
    expect(parseRoute('')).toBeNull();
    expect(parseRoute('#/../x')).toBeNull();
  });
});
