import type { Rectangle } from 'electron';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WindowState {
  bounds: Partial<Rectangle> & { width: number; height: number };
  maximized: boolean;
}

const DEFAULT: WindowState = { bounds: { width: 1366, height: 860 }, maximized: false };

/** Size and position remembered between launches; a position off every screen is dropped. */
export function loadWindowState(userData: string, displays: Rectangle[]): WindowState {
  try {
    const file = join(userData, 'window-state.json');
    if (statSync(file).size > 4096) return DEFAULT; // a few numbers; anything bigger is not ours
    const s = JSON.parse(readFileSync(file, 'utf8')) as WindowState;
    const b = s.bounds;
    const visible = b.x !== undefined && b.y !== undefined && displays.some((d) => b.x! < d.x + d.width && b.x! + b.width > d.x && b.y! < d.y + d.height && b.y! + b.height > d.y);
    return { maximized: !!s.maximized, bounds: visible ? b : { width: b.width, height: b.height } };
  } catch {
    return DEFAULT;
  }
}

export function saveWindowState(userData: string, state: WindowState): void {
  writeFileSync(join(userData, 'window-state.json'), JSON.stringify(state));
}
