export default definePageConfig({ navigationBarTitleText: '检测记录' });
