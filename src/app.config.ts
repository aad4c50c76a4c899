export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/verify/index',
    'pages/login/index',
    'pages/register/index',
    'pages/issue/index',
    'pages/certificates/index',
    'pages/certificate/index',
    'pages/tests/index',
    'pages/paper/index',
  ],
  // Street-office and market pages: subpackages, so producers never download them.
  subPackages: [
    {
      root: 'pages-staff',
      pages: [
        'paper/index',
        // 名录 and staff invitations.
        'directory/index',
        'subject/index',
        'import/index',
        'duplicates/index',
        'dormant/index',
        'invite/index',
        'staff/index',
        'join/index',
        // Supervision: work list, patrols, sampling, key supervision, rectification, stations.
        'work/index',
        'patrol/index',
        'sample/index',
        'key/index',
        'rectify/index',
        'stations/index',
      ],
    },
    // A producer's rectification case: reached from a home notice, rarely needed.
    { root: 'pages-producer', pages: ['rectify/index'] },
    // 宣传与培训: the inbox and items (opened by subscribe messages), publishing and reach for
    // offices; training sessions, sign-in (opened by the session QR code) and coverage.
    {
      root: 'pages-outreach',
      pages: [
        'inbox/index',
        'item/index',
        'publish/index',
        'reach/index',
        'sessions/index',
        'session/index',
        'trained/index',
      ],
    },
    // 统计报表: the bureau's and street offices' dashboard, summaries, assessment, compliance.
    {
      root: 'pages-report',
      pages: [
        'dashboard/index',
        'drill/index',
        'summaries/index',
        'assessment/index',
        'compliance/index',
      ],
    },
    {
      root: 'pages-market',
      pages: ['index/index', 'accept/index', 'no-cert/index', 'entries/index', 'sample/index'],
    },
  ],
  // The verify page may attach a coarse position to a scan, only when the scanner ticks it.
  requiredPrivateInfos: ['getFuzzyLocation'],
  permission: {
    'scope.userFuzzyLocation': { desc: '附上大致位置，帮助发现被复制的合格证标签' },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1b5e20',
    navigationBarTitleText: '合格证通',
    navigationBarTextStyle: 'white',
  },
});
