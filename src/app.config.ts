export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/verify/index',
    'pages/login/index',
    'pages/register/index',
    'pages/issue/index',
    'pages/certificates/index',
    'pages/certificate/index',
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1b5e20',
    navigationBarTitleText: '合格证通',
    navigationBarTextStyle: 'white',
  },
});
