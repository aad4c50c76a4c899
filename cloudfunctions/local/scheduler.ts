/**
 * The embedded runtime's stand-in for CloudBase timer triggers: every function's `scheduled` work
 * (report: the summary drafts on their due dates; outreach: sends that have fallen due) runs
 * shortly after start and then every `intervalMs`. A run never overlaps the previous one; each
 * function's work is idempotent, so running more often than CloudBase does is harmless.
 */
import type { CloudFunction } from '../kit/action';
import { runScheduled, type SystemDeps } from '../kit/system';

export interface Scheduler {
  /** Runs every function's scheduled work now (waits for a run already going). */
  runNow(): Promise<Record<string, unknown>>;
  stop(): void;
}

/** Once a minute: fine enough for a scheduled send, cheap when nothing is due. */
export const defaultSchedulerIntervalMs = 60_000;

export function startScheduler(
  fns: readonly CloudFunction[],
  deps: SystemDeps,
  options: {
    intervalMs?: number;
    firstRunMs?: number;
    logError?: (message: string, cause: unknown) => void;
  } = {},
): Scheduler {
  const scheduled = fns.filter((f) => f.scheduled);
  let running: Promise<Record<string, unknown>> | null = null;
  const runNow = (): Promise<Record<string, unknown>> => {
    running ??= runScheduled(scheduled, deps, options.logError).finally(() => {
      running = null;
    });
    return running;
  };
  const tick = () => {
    runNow().catch((error: unknown) => options.logError?.('scheduler run failed', error));
  };
  const first = setTimeout(tick, options.firstRunMs ?? 5_000);
  const every = setInterval(tick, options.intervalMs ?? defaultSchedulerIntervalMs);
  first.unref();
  every.unref();
  return {
    runNow,
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
