import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppFailure } from '../../shared/result';

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's 0-4 scale; 3 is "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
// Loaded and built on first use: decompressing the dictionaries costs a few hundred ms of every
// start-up (the command line, the server), and most runs never set a password.
const load = createRequire(import.meta.url);
const zxcvbn = (): ZxcvbnFactory => {
  if (factory) return factory;
  const core = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const en = load('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  return (factory = new core.ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations }));
};

/**
 * Why a new password is refused, or null when it is good enough: at least 12 characters, not
 * mostly spaces, and hard to guess (common passwords, words, names, keyboard runs, repeats and the
 * user's own name all count against it).
 */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Passwords have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.trim().length < MIN_PASSWORD_LENGTH) return `Passwords have at least ${MIN_PASSWORD_LENGTH} characters besides spaces.`;
  const r = zxcvbn().check(password, userInputs.flatMap((s) => [s, ...s.split(/\s+/)]).filter(Boolean));
  if (r.score >= MIN_PASSWORD_SCORE) return null;
  const why = r.feedback.warning ? ` ${r.feedback.warning}` : '';
  const how = r.feedback.suggestions.length > 0 ? ` ${r.feedback.suggestions.join(' ')}` : ' Use a few unrelated words.';
  return `This password is too easy to guess.${why}${how}`;
}

export function assertStrongPassword(password: string, userInputs: string[] = []): void {
  const problem = passwordProblem(password, userInputs);
  if (problem) throw new AppFailure('VALIDATION', problem, { field: 'password' });
}
