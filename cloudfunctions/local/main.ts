/**
 * The embedded runtime's entry (`npm start` runs its bundle, dist/server/main.js): one process with
 * a SQLite file, the cloud functions, the verify page and the H5 app. Loading this module starts
 * the server; it is an entry point, not a library.
 *
 * Environment: PORT (8080), HOST (127.0.0.1), DATA_DIR (./data), PUBLIC_BASE_URL, NODE_ENV,
 * IDENTITY_SECRET, ADMIN_OPENIDS, DEV_LOGIN_REMOTE=1, STATIC_DIR (./dist/h5), TRUST_PROXY=1 (behind a reverse proxy on
 * this machine: rate limits and scan logs take the client from X-Forwarded-For), TICK_SECONDS
 * (scheduled work such as outreach's scheduled sends: every 60 s by default, 0 = off).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError, runtimeConfigFromEnv } from '../kit/config';
import { fileUrlKeyFrom, openLocalFileStore } from '../kit/files/local';
import { openSqliteStore } from '../kit/store/sqlite';
import { generateSigningKey } from '../kit/signer';
import { functions } from '../registry';
import { startScheduler } from './scheduler';
import { seedDemoData } from './seed';
import { createLocalServer } from './server';

/** The file in DATA_DIR naming the process that serves it (see writeRunningMarker). */
const runningMarkerName = 'server.json';

interface Secrets {
  identitySecret: string;
  /** Ed25519 private key for label signatures (added to older secrets files on first start). */
  signingKey: string;
  createdAt: string;
}

/**
 * The identity secret this data dir was created with. It must outlive restarts: fingerprints of
 * ID numbers already stored were made with it, and a new one would let duplicates through.
 */
function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  const fresh: Secrets = {
    identitySecret: randomBytes(32).toString('hex'),
    signingKey: generateSigningKey(),
    createdAt: new Date().toISOString(),
  };
  try {
    // 'wx' creates only if absent, so two processes starting at once cannot both write one.
    writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  if (typeof parsed.identitySecret !== 'string' || parsed.identitySecret.length < 32) {
    throw new ConfigError(`${file} 已损坏：缺少 identitySecret（请从备份恢复，不要删除重建）`);
  }
  if (typeof parsed.signingKey !== 'string') {
    const upgraded: Secrets = {
      identitySecret: parsed.identitySecret,
      signingKey: generateSigningKey(),
      createdAt: parsed.createdAt ?? '',
    };
    writeFileSync(file, `${JSON.stringify(upgraded, null, 2)}\n`, { mode: 0o600 });
    return upgraded;
  }
  return {
    identitySecret: parsed.identitySecret,
    signingKey: parsed.signingKey,
    createdAt: parsed.createdAt ?? '',
  };
}

/**
 * DATA_DIR/server.json: which process serves this data dir, so `npm run restore` can refuse to
 * swap the database under it. A killed server leaves it behind: its pid is then gone, or after a
 * reboot another process's (runningServer in data.ts tells them apart).
 */
function writeRunningMarker(dataDir: string, host: string, port: number): string {
  const file = path.join(dataDir, runningMarkerName);
  // Written once listening: `npm run restore` takes a refused connection there as a stale marker.
  const marker = { pid: process.pid, host, port, startedAt: new Date().toISOString() };
  try {
    writeFileSync(file, `${JSON.stringify(marker)}\n`);
  } catch (error) {
    // A read-only data dir still serves verification; only the restore guard goes without.
    console.warn(
      `无法写入 ${file}（${(error as Error).message}）：npm run restore 将无法判断服务是否在运行`,
    );
  }
  return file;
}

function removeRunningMarker(file: string): void {
  try {
    // Only our own: a second server on the same dir may have written it since.
    const marker = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    if (marker.pid === process.pid) unlinkSync(file);
  } catch {
    // Gone already; nothing to tidy.
  }
}

function portFrom(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT 不正确：${raw}（应为 0–65535 的整数）`);
  }
  return port;
}

/**
 * TICK_SECONDS: seconds between runs of the functions' scheduled work (scheduled sends, summary
 * drafts); default 60, 0 = off. Off by default under NODE_ENV=test: a test asks for it.
 */
function tickSecondsFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.TICK_SECONDS?.trim();
  if (!raw) return env.NODE_ENV === 'test' ? 0 : 60;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
    throw new ConfigError(
      `TICK_SECONDS 不正确：${raw}（应为 0–86400 的整数，0 表示不运行定时任务）`,
    );
  }
  return seconds;
}

async function start(env: NodeJS.ProcessEnv): Promise<void> {
  const port = portFrom(env.PORT);
  const host = env.HOST?.trim() || '127.0.0.1';
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR?.trim() || 'data');
  const staticDir = path.resolve(env.STATIC_DIR?.trim() || path.join('dist', 'h5'));
  mkdirSync(dataDir, { recursive: true });

  // In production the secrets must come from the environment (runtimeConfigFromEnv says so).
  const kept = production ? null : loadOrCreateSecrets(dataDir);
  const config = runtimeConfigFromEnv(env, {
    port,
    identitySecret: kept?.identitySecret ?? null,
    signingKey: kept?.signingKey ?? null,
  });
  if (production && !env.PUBLIC_BASE_URL) {
    console.warn(`PUBLIC_BASE_URL 未设置：二维码将指向 ${config.publicBaseUrl}，手机扫码无法打开`);
  }

  const dbFile = path.join(dataDir, 'hegezheng.db');
  const store = openSqliteStore({ file: dbFile });
  if (production) {
    console.log('生产模式：不写入演示数据，演示登录已关闭');
  } else {
    const seed = await seedDemoData(store, {
      now: () => new Date(),
      identitySecret: config.identitySecret,
      signingKey: config.signingKey,
    });
    if (seed.seeded) console.log(`已写入演示数据（${seed.certificateCodes.length} 张合格证）`);
  }

  const files = openLocalFileStore({
    dir: path.join(dataDir, 'files'),
    baseUrl: config.publicBaseUrl,
    urlKey: fileUrlKeyFrom(config.identitySecret),
  });
  const server = createLocalServer({
    store,
    config,
    staticDir,
    allowRemoteDevLogin: env.DEV_LOGIN_REMOTE === '1',
    trustProxy: env.TRUST_PROXY === '1',
    production,
    files,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`合格证通 running at http://${shownHost}:${address.port}`);
  console.log(`数据目录 ${dataDir}；二维码地址 ${config.publicBaseUrl}/c/…`);
  const marker = writeRunningMarker(dataDir, address.address, address.port);
  // CloudBase runs the functions' timers; here an in-process scheduler does.
  const tickSeconds = tickSecondsFrom(env);
  const scheduler =
    tickSeconds > 0
      ? startScheduler(
          Object.values(functions),
          { store, config, files },
          {
            intervalMs: tickSeconds * 1000,
            logError: (m, c) => console.error(m, c),
          },
        )
      : null;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1);
    }
    stopping = true;
    scheduler?.stop();
    console.log(`收到 ${signal}，正在停止…`);
    const timer = setTimeout(() => process.exit(1), 5000);
    timer.unref();
    server.close(() => {
      store
        .close()
        .then(() => {
          removeRunningMarker(marker);
          process.exit(0);
        })
        .catch((error: unknown) => {
          console.error('关闭数据库失败', error);
          process.exit(1);
        });
    });
    // Idle keep-alive connections would hold close() open; in-flight requests still finish.
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

start(process.env).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`无法启动：${error.message}`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`无法启动：端口已被占用（${(error as Error).message}），请用 PORT=… 换一个端口`);
  } else {
    console.error('无法启动', error);
  }
  process.exit(1);
});
