import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A child process whose output is kept for failure messages. */
export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = net.createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/**
 * Runs `node <args>` in `cwd` with only the given environment (plus PATH and HOST); `as` runs it
 * as another user (when this process may).
 */
export function runNode(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  as?: { uid: number; gid: number },
): Proc {
  const child = spawn(process.execPath, args, {
    cwd,
    ...as,
    // Only what the runtime reads, so the developer's own environment cannot leak into the test.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d.toString()));
  child.stderr!.on('data', (d) => (text += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

export async function waitHealthy(base: string, proc: Proc, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${proc.output()}`);
}

export async function stop(proc: Proc): Promise<number | null> {
  if (proc.child.exitCode !== null) return proc.child.exitCode;
  proc.child.kill('SIGTERM');
  return proc.exited;
}
