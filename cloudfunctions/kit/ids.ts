import { createHash, createHmac } from 'node:crypto';
import type { Ctx } from './action';

/** A random document id with a readable prefix, e.g. `sub_3f9c…`. */
export function newId(ctx: Pick<Ctx, 'randomBytes'>, prefix: string): string {
  return `${prefix}_${Buffer.from(ctx.randomBytes(12)).toString('hex')}`;
}

/** A deterministic id for a value that must be unique (so insert conflicts enforce it). */
export function deterministicId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
  return `${prefix}_${digest}`;
}

/** Keyed fingerprint of a personal identity number: lets us find duplicates without storing it. */
export function identityFingerprint(secret: string, kind: string, normalized: string): string {
  return createHmac('sha256', secret).update(`${kind}:${normalized}`).digest('hex');
}
