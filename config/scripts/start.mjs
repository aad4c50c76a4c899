/**
 * `npm start`: builds what is missing (the H5 app once, the server bundle every time, in well
 * under a second) and runs the embedded runtime in this same process, so Ctrl-C and SIGTERM reach
 * the server directly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServer, rootDir } from './build-functions.mjs';

const h5Index = path.join(rootDir, 'dist', 'h5', 'index.html');
if (!existsSync(h5Index)) {
  console.log('未找到网页版构建（dist/h5/index.html），正在构建：npx taro build --type h5');
  const result = spawnSync('npx', ['taro', 'build', '--type', 'h5'], {
    cwd: rootDir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    // The runtime still serves the API and the verify page; `/` explains how to build the app.
    console.warn('网页版构建失败，先启动服务（扫码核验和接口可用）；修复后运行 npm run build:h5');
  }
}

await buildServer();
// Relative paths (DATA_DIR=./data, dist/h5) are read from the project root, wherever npm ran us.
process.chdir(rootDir);
await import(pathToFileURL(path.join(rootDir, 'dist', 'server', 'main.js')).href);
