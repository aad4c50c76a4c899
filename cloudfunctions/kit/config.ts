import type { RuntimeConfig } from './action';
import { retentionPolicy } from '../../src/domain/retention';
import { dormancyPolicy } from '../../src/domain/directory';
import { ed25519Signer } from './signer';

/** What the runtime knows before reading the environment. */
export interface RuntimeConfigDefaults {
  /** The port the embedded server listens on: the default base URL points at it. */
  port?: number;
  /** The secret the embedded runtime keeps in its data dir; unused when IDENTITY_SECRET is set. */
  identitySecret?: string | null;
  /** The signing key the embedded runtime keeps in its data dir; unused when SIGNING_KEY is set. */
  signingKey?: string | null;
  /** Force production rules (CloudBase is production whatever NODE_ENV says). */
  production?: boolean;
}

/** A configuration the process must not start with; the message says what to set. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// A shorter key would make the HMAC of an 18-digit ID number guessable offline.
const minProductionSecretLength = 32;

function publicBaseUrlFrom(raw: string | undefined, port: number | undefined): string {
  const value = raw?.trim();
  if (!value) {
    if (port === undefined) {
      throw new ConfigError(
        'PUBLIC_BASE_URL 未设置：二维码里的核验地址需要它（例如 https://hgz.example.cn）',
      );
    }
    return `http://127.0.0.1:${port}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL 不是有效的网址：${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_BASE_URL 须以 http:// 或 https:// 开头：${value}`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`PUBLIC_BASE_URL 不能带查询参数或 #：${value}`);
  }
  // verifyUrl appends `/c/<code>`; a trailing slash would double it.
  return value.replace(/\/+$/, '');
}

// WeChat openids are 28 characters of base64url; the local runtime's dev ids are similar.
const openidPattern = /^[A-Za-z0-9_-]{1,128}$/;

/** ADMIN_OPENIDS: comma-separated openids made district admin (the first admin comes from here). */
function bootstrapAdminsFrom(raw: string | undefined): string[] {
  const ids = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = ids.find((id) => !openidPattern.test(id));
  if (bad !== undefined) {
    throw new ConfigError(
      `ADMIN_OPENIDS 里有不像 openid 的值：${bad}（多个 openid 用英文逗号分隔）`,
    );
  }
  return [...new Set(ids)];
}

/**
 * The runtime configuration from environment variables:
 * - PUBLIC_BASE_URL: base of the URLs in QR codes; defaults to `http://127.0.0.1:<port>`;
 * - IDENTITY_SECRET: key of ID-number fingerprints; required in production (NODE_ENV=production),
 *   otherwise the embedded runtime supplies the one it keeps in its data dir;
 * - ADMIN_OPENIDS: comma-separated openids granted 'admin' on their next call.
 */
export function runtimeConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: RuntimeConfigDefaults = {},
): RuntimeConfig {
  const production = defaults.production ?? env.NODE_ENV === 'production';
  const publicBaseUrl = publicBaseUrlFrom(env.PUBLIC_BASE_URL, defaults.port);
  const fromEnv = env.IDENTITY_SECRET?.trim();
  if (production) {
    if (!fromEnv) {
      throw new ConfigError(
        'IDENTITY_SECRET 未设置：生产环境必须用环境变量提供身份证号指纹密钥' +
          `（至少 ${minProductionSecretLength} 个字符，例如 openssl rand -hex 32 的输出），` +
          '且此后不能更换，否则无法识别重复登记',
      );
    }
    if (fromEnv.length < minProductionSecretLength) {
      throw new ConfigError(
        `IDENTITY_SECRET 太短：生产环境至少需要 ${minProductionSecretLength} 个字符`,
      );
    }
  }
  const identitySecret = fromEnv || defaults.identitySecret;
  if (!identitySecret) {
    throw new ConfigError('IDENTITY_SECRET 未设置，本地运行时也没有提供密钥');
  }
  const signingKey = env.SIGNING_KEY?.trim() || (production ? null : defaults.signingKey);
  if (!signingKey) {
    throw new ConfigError(
      'SIGNING_KEY 未设置：防伪签名需要区里的 Ed25519 私钥（PKCS#8 DER 的 base64url），生成方法：' +
        "openssl genpkey -algorithm ed25519 -outform DER | base64 -w0 | tr '+/' '-_' | tr -d '='",
    );
  }
  try {
    ed25519Signer(signingKey);
  } catch {
    throw new ConfigError('SIGNING_KEY 不是有效的 Ed25519 私钥（PKCS#8 DER 的 base64url）');
  }
  let retentionDays: number | undefined;
  if (env.RETENTION_DAYS?.trim()) {
    try {
      retentionDays = retentionPolicy(Number(env.RETENTION_DAYS)).days;
    } catch (error) {
      throw new ConfigError(`RETENTION_DAYS 不正确：${(error as Error).message}`);
    }
  }
  const traceUrlTemplate = env.TRACE_URL_TEMPLATE?.trim();
  if (traceUrlTemplate && !/^https?:\/\/[^\s]+\{code\}/.test(traceUrlTemplate)) {
    throw new ConfigError('TRACE_URL_TEMPLATE 应为 http(s) 地址，并含 {code}（追溯码的位置）');
  }
  const bootstrapAdmins = bootstrapAdminsFrom(env.ADMIN_OPENIDS);
  let dormantAfterDays: number | undefined;
  if (env.DORMANT_AFTER_DAYS?.trim()) {
    try {
      dormantAfterDays = dormancyPolicy(Number(env.DORMANT_AFTER_DAYS)).afterDays;
    } catch (error) {
      throw new ConfigError(`DORMANT_AFTER_DAYS 不正确：${(error as Error).message}`);
    }
  }
  return {
    publicBaseUrl,
    identitySecret,
    signingKey,
    ...(bootstrapAdmins.length > 0 ? { bootstrapAdmins } : {}),
    ...(retentionDays ? { retentionDays } : {}),
    ...(traceUrlTemplate ? { traceUrlTemplate } : {}),
    ...(dormantAfterDays ? { dormantAfterDays } : {}),
  };
}
