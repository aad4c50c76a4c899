/**
 * `npm run backup|restore|export|import` (config/scripts/data.mjs runs this module's bundle).
 *
 *   backup [file]                      online backup of DATA_DIR's database (server may run)
 *   restore <file>                     puts a backup in place (server stopped); keeps the old one
 *   export [file] [--from cloudbase]   every collection as JSON
 *   import <file> [--to cloudbase] [--merge]   into an empty store (--merge: resume one)
 *
 * DATA_DIR (./data, from the project root) as for `npm start`; file names from the working
 * directory; CloudBase from TCB_ENV_ID, TCB_SECRET_ID, TCB_SECRET_KEY.
 */
import path from 'node:path';
import { StoreUnavailableError } from '../kit/store/port';
import { ImportRefusedError } from '../kit/store/transfer';
import {
  backupDatabase,
  checkDatabaseFile,
  databaseFileOf,
  DataCommandError,
  defaultBackupFile,
  exportData,
  fileStamp,
  importData,
  restoreDatabase,
  type Target,
} from './data';

const usage = `用法：
  npm run backup [-- <文件>]
  npm run restore -- <备份文件>
  npm run export [-- <文件>] [--from cloudbase]
  npm run import -- <文件> [--to cloudbase] [--merge]`;

/** What an export does not carry, and a move needs. */
const secretsNote =
  '注意：导出文件含个人信息，请妥善保管；它不含密钥（DATA_DIR/secrets.json 或 IDENTITY_SECRET、' +
  'SIGNING_KEY）。迁移时请带上同一对密钥，否则已印标签的签名和身份证号查重都会失效。';

function targetOf(flag: string | undefined, dataDir: string): Target {
  if (flag === undefined || flag === 'sqlite')
    return { kind: 'sqlite', file: databaseFileOf(dataDir) };
  if (flag === 'cloudbase') return { kind: 'cloudbase' };
  throw new DataCommandError(`不认识的数据位置：${flag}（可用：sqlite、cloudbase）\n${usage}`);
}

const counted = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join('，') || '（无数据）';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--merge') flags.set('merge', '1');
    else if (a === '--from' || a === '--to') flags.set(a.slice(2), rest[++i] ?? '');
    else if (a.startsWith('--')) throw new DataCommandError(`不认识的选项：${a}\n${usage}`);
    else args.push(a);
  }
  // As for `npm start`: relative to the project root (data.mjs says where it is).
  const dataDir = path.resolve(
    process.env.HGZ_ROOT_DIR ?? '.',
    process.env.DATA_DIR?.trim() || 'data',
  );
  const now = new Date();
  switch (command) {
    case 'backup': {
      const file = path.resolve(args[0] ?? defaultBackupFile(dataDir, now));
      const { bytes } = await backupDatabase(databaseFileOf(dataDir), file);
      const { certificates } = checkDatabaseFile(file);
      console.log(
        `已备份到 ${file}（${(bytes / 1024).toFixed(0)} KB，${certificates} 张合格证，完整性检查通过）`,
      );
      return;
    }
    case 'restore': {
      if (!args[0]) throw new DataCommandError(`请指定备份文件\n${usage}`);
      const file = path.resolve(args[0]);
      const { replacedTo, certificates } = await restoreDatabase(dataDir, file, now);
      console.log(`已从 ${file} 恢复（${certificates} 张合格证，完整性检查通过）`);
      if (replacedTo) console.log(`原数据库已保留在 ${replacedTo}`);
      return;
    }
    case 'export': {
      const from = targetOf(flags.get('from'), dataDir);
      const file = path.resolve(
        args[0] ?? path.join(dataDir, 'exports', `hegezheng-${fileStamp(now)}.json`),
      );
      const counts = await exportData(from, file, now);
      console.log(`已导出到 ${file}：${counted(counts)}`);
      console.log(secretsNote);
      return;
    }
    case 'import': {
      if (!args[0]) throw new DataCommandError(`请指定导出文件\n${usage}`);
      const into = targetOf(flags.get('to'), dataDir);
      const written = await importData(into, path.resolve(args[0]), { merge: flags.has('merge') });
      console.log(
        `已导入${into.kind === 'cloudbase' ? '到 CloudBase' : `到 ${databaseFileOf(dataDir)}`}：${counted(written)}`,
      );
      console.log(secretsNote);
      return;
    }
    default:
      throw new DataCommandError(usage);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof DataCommandError || error instanceof ImportRefusedError) {
    console.error(error.message);
  } else if (error instanceof StoreUnavailableError) {
    console.error(`数据库不可用：${error.message}`);
  } else {
    console.error('出错了', error);
  }
  process.exit(1);
});
