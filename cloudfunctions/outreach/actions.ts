/**
 * 宣传培训 — the outreach function: publicity (items, inbox, 已阅知, reach, reminders, poster
 * page), WeChat subscribe-message consents, training (sessions, enrolment, QR sign-in, coverage)
 * and the timer's tick. Each concern lives in its own file; this is the table the runtime
 * dispatches on.
 */
import * as z from 'zod/mini';
import { action, cloudFunction, type CloudFunction } from '../kit/action';
import { consentActions } from './consent';
import { coverageActions } from './coverage';
import { runTick, type TickResult } from './dispatch';
import { fileActions } from './files';
import { inboxActions } from './inbox';
import { posterFunctionPage } from './page';
import { publicityActions } from './publicity';
import { reachActions } from './reach';
import { rosterActions } from './roster';
import { signInActions } from './sign-in';
import { signInFunctionPage } from './sign-in-page';
import { trainingActions } from './training';

const actions = {
  ...fileActions,
  ...publicityActions,
  ...inboxActions,
  ...reachActions,
  ...consentActions,
  ...trainingActions,
  ...signInActions,
  ...rosterActions,
  ...coverageActions,
  /**
   * 定时发送 — sends the items and publishes the sessions whose time has come. Only the runtime
   * calls it (CloudBase timer trigger, the embedded scheduler): no person may.
   */
  tick: action({
    input: z.object({}),
    roles: 'system',
    run: (_input, ctx): Promise<TickResult> => runTick(ctx),
  }),
};

export const outreachFunction: CloudFunction<typeof actions> = {
  ...cloudFunction('outreach', actions),
  // What the platform's timer runs (CloudBase timer trigger, the embedded scheduler).
  scheduled: (ctx) => runTick(ctx),
  // `/p/<itemId>`: a poster; `/t/<code>`: a sign-in code opened outside WeChat (CloudBase).
  pages: [posterFunctionPage, signInFunctionPage],
};

export type { TickResult } from './dispatch';
export type { ItemSummary, ItemView, QuickFigures } from './publicity';
export type { InboxEntry } from './inbox';
export type { PendingRow } from './reach';
export type { Subscription } from './consent';
export type { SessionView } from './training';
export type { SignedIn } from './sign-in';
export type { AddresseePage, AddresseeRow } from './roster';
export type { CoverageResult } from './coverage';
export type { UploadedFile, FileLink } from './files';
