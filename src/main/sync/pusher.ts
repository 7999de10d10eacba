import { userLabel } from '../../core/auth/signed-in-users';
import { outboxTime } from '../../core/sync/client-apply';
import { fileRefs, MAX_PUSH_COMMANDS, type PushResponse } from '../../core/sync/protocol';
import { isDeviceRefusal } from './device-identity';
import { uploadFile, type LocalFiles } from './file-transfer';
import { ServerError } from './server-api';
import type { ServerLink } from './server-link';
import { SYNC_TEXT } from './sync-status';

type Outcome = PushResponse['outcomes'][number];

/**
 * Pushes pending commands in the order they were entered. Each request speaks for one user (with
 * that user's token); a user who must sign in again holds back only their own commands, and the
 * others' still go. The server dedupes by id, so order across held-back users is safe to break.
 * Returns the names of the users whose work waits for a sign-in.
 */
export async function pushPending(link: ServerLink, files: LocalFiles | undefined, pushBatch?: number): Promise<string[]> {
  const { core } = link;
  let batch = pushBatch ?? MAX_PUSH_COMMANDS;
  const waiting = new Set<string>();
  const blocked = new Set<string>();
  const tokens = new Map<string, { token: string; username: string } | null>();
  const tokenOf = async (actorId: string) => {
    if (!tokens.has(actorId)) tokens.set(actorId, await link.tokenOf(actorId));
    return tokens.get(actorId)!;
  };
  const holdBack = async (actorId: string) => {
    blocked.add(actorId);
    waiting.add(await userLabel(core.db, actorId));
  };
  for (;;) {
    let q = core.db.selectFrom('sync_outbox').selectAll().where('state', '=', 'pending');
    if (blocked.size > 0) q = q.where('actor_id', 'not in', [...blocked]);
    const rows = await q.orderBy('client_seq').limit(batch).execute();
    if (rows.length === 0) break;
    const actorId = rows[0]!.actor_id ?? '';
    const tok = await tokenOf(actorId);
    if (!tok) {
      await holdBack(actorId);
      continue;
    }
    const end = rows.findIndex((r) => r.actor_id !== actorId);
    const group = end === -1 ? rows : rows.slice(0, end);
    const commands = group.map((r) => ({
      id: r.command_id,
      clientSeq: Number(r.client_seq),
      name: r.name,
      version: r.version,
      input: JSON.parse(r.input_json) as unknown,
      at: outboxTime(r),
    }));
    const missingHere = new Set<string>();
    for (const c of commands) for (const sha of fileRefs(c.input)) if (!(await uploadFile(link, files, tok.token, sha))) missingHere.add(sha);
    let res: PushResponse;
    try {
      res = await link.call<PushResponse>(tok.token, 'POST', '/v1/sync/push', { json: { clientId: link.clientId, commands }, headers: link.device });
    } catch (e) {
      if (isDeviceRefusal(e)) await link.identity.forget();
      if (tooLarge(e) && group.length > 1) {
        // A proxy's body limit, or an older server allowing fewer commands per push: the same
        // commands again, in order, in pushes half the size, until they fit.
        batch = Math.ceil(group.length / 2);
        continue;
      }
      if (e instanceof ServerError && (e.status === 401 || e.code === 'SESSION_EXPIRED')) {
        await link.tokens.delete(actorId);
        tokens.set(actorId, null);
        await holdBack(actorId);
        continue;
      }
      throw e;
    }
    if (!(await recordAnswers(link, res.outcomes, missingHere))) break;
  }
  return [...waiting];
}

/** 413 from the server or a proxy, or an older server's refusal of more commands than it allows per push. */
function tooLarge(e: unknown): boolean {
  if (!(e instanceof ServerError)) return false;
  if (e.status === 413) return true;
  // The server names each refused field: an over-long `commands` list is "Too big: … <=1000 items".
  const issues = (e.details?.issues ?? []) as { field?: unknown; message?: unknown }[];
  return e.code === 'VALIDATION' && Array.isArray(issues) && issues.some((i) => i.field === 'commands' && /too big/i.test(String(i.message)));
}

/** Stores the server's answers; false when none made progress (only retries). */
async function recordAnswers(link: ServerLink, outcomes: Outcome[], missingHere: Set<string>): Promise<boolean> {
  const { core } = link;
  const answeredAt = core.clock.now().toISOString();
  let progressed = false;
  const accepted = new Map<number, string[]>();
  await core.executor.serial(() =>
    core.db.transaction().execute(async (trx) => {
      for (const o of outcomes) {
        if (o.status === 'retry') {
          const missing = (o.error?.details?.missing as string[] | undefined) ?? [];
          if (missing.some((m) => missingHere.has(m))) {
            await trx
              .updateTable('sync_outbox')
              .set({ state: 'rejected', error_json: JSON.stringify({ code: 'NOT_FOUND', message: SYNC_TEXT.fileGone, details: { missing } }), answered_at: answeredAt })
              .where('command_id', '=', o.id)
              .execute();
            progressed = true;
          }
          continue;
        }
        progressed = true;
        if (o.status === 'accepted') {
          const seq = o.serverSeq ?? 0;
          accepted.set(seq, [...(accepted.get(seq) ?? []), o.id]);
          continue;
        }
        await trx
          .updateTable('sync_outbox')
          .set({ state: 'rejected', server_seq: o.serverSeq ?? null, error_json: JSON.stringify(o.kept ? { ...o.error, kept: o.kept } : (o.error ?? null)), answered_at: answeredAt })
          .where('command_id', '=', o.id)
          .execute();
      }
      // A batch's accepted commands share one server sequence: one statement per 500, not one per command.
      for (const [seq, ids] of accepted)
        for (let i = 0; i < ids.length; i += 500)
          await trx.updateTable('sync_outbox').set({ state: 'accepted', server_seq: seq, answered_at: answeredAt }).where('command_id', 'in', ids.slice(i, i + 500)).execute();
    }),
  );
  return progressed;
}
