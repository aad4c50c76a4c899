export default definePageConfig({ navigationBarTitleText: '考核与排名' });
