import type { z } from 'zod';
import type { CommandDef } from '../../src/core/commands/types';
import type { applyImportRows } from '../../src/core/imports/apply-rows';
import type { publishPaymentLinkServer } from '../../src/core/payment-links/links';
import type { Channel, InputOf, OutputOf } from '../../src/shared/contract';
import type { Actor } from '../../src/core/commands/types';
import type { Result } from '../../src/shared/result';

type DefIO<D> = D extends CommandDef<infer S, infer O> ? { input: z.input<S>; output: O } : never;

/** Commands the executor runs that no window calls (the import service and the server run them). */
interface InternalCommands {
  'imports.applyRows': DefIO<typeof applyImportRows>;
  'paymentLinks.publish': DefIO<typeof publishPaymentLinkServer>;
}

/** Every name a test may run: the contract's channels and the internal commands above. */
export type RunName = Channel | keyof InternalCommands;
export type RunInput<K extends RunName> = K extends Channel ? InputOf<K> : K extends keyof InternalCommands ? InternalCommands[K]['input'] : never;
export type RunOutput<K extends RunName> = K extends Channel ? OutputOf<K> : K extends keyof InternalCommands ? InternalCommands[K]['output'] : never;

/** Runs a command or query and returns its typed output, or throws its error (a test's setup step). */
export type RunChannel = <K extends RunName>(actor: Actor, name: K, input: RunInput<K>) => Promise<RunOutput<K>>;
/** Runs a command or query and returns its Result; the input is `unknown` so a test can send what the contract refuses. */
export type AttemptChannel = <K extends RunName>(actor: Actor, name: K, input: unknown) => Promise<Result<RunOutput<K>>>;

/** One call's answer as a WebSocket carries it: typed by the channel, read `value` after `ok` (or where the call must succeed). */
export interface WireReply<T> {
  ok: boolean;
  value: T;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}
