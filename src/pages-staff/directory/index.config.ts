export default definePageConfig({ navigationBarTitleText: '主体名录' });
