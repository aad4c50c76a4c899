export default definePageConfig({
  navigationBarTitleText: '合规查询与证明',
  // The native QR component exists in the mini-program only; H5 draws an <img> instead.
  ...(process.env.TARO_ENV === 'weapp'
    ? { usingComponents: { 'cert-qrcode': '../../components/cert-qrcode/cert-qrcode' } }
    : {}),
});
