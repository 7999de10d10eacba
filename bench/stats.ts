/** Small helpers shared by the benchmarks. */

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
}

export async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<{ p50: number; p95: number; mean: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), mean: round(times.reduce((s, x) => s + x, 0) / n) };
}

export async function timeOnce<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: round(performance.now() - t0), value };
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
