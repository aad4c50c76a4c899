// Babel for the Taro build only (tests use ts-jest, cloud functions esbuild).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
