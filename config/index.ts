import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/**
 * Taro build configuration for both targets: `weapp` (the real product) and `h5` (the same app
 * in a browser, served by the embedded runtime at `/`).
 *
 * Build-time settings come from the environment:
 * - CLOUD_ENV: the CloudBase environment id the mini-program calls (weapp);
 * - API_BASE: where the weapp calls the embedded runtime over HTTP when CLOUD_ENV is not set
 *   (for WeChat DevTools against a local server);
 * - SIGNING_PUBLIC_KEY: the district's Ed25519 public key (raw 32 bytes, base64url; print it with
 *   `node config/scripts/public-key.mjs`), so the verify page checks label signatures offline
 *   from the very first scan. Without it the app fetches the key (`verify.publicKey`) when it
 *   has signal and keeps it for later.
 */
export default defineConfig(async (merge) => {
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'hegezheng-tong',
    date: '2026-11-29',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      CLOUD_ENV: JSON.stringify(process.env.CLOUD_ENV ?? ''),
      API_BASE: JSON.stringify(process.env.API_BASE ?? 'http://127.0.0.1:8080'),
      SIGNING_PUBLIC_KEY: JSON.stringify(process.env.SIGNING_PUBLIC_KEY?.trim() ?? ''),
    },
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      optimizeMainPackage: { enable: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  if (process.env.NODE_ENV === 'development') {
    return merge({}, base, { mini: {}, h5: {} });
  }
  return merge({}, base, { mini: {}, h5: { enableExtract: true } });
});
