import type { z } from 'zod';

/**
 * One channel of the contract: the zod schema its argument must pass (main parses every call with
 * it, because the renderer is the untrusted side) and, as a phantom type, what it returns.
 */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Phantom: never set at run time, only carries the output type. */
  readonly __output?: O;
}

/** `channel<Output>()(inputSchema)`: the two-step call lets TypeScript infer the schema type. */
export const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelSpec<I, O> => ({ input });
