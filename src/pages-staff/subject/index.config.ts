export default definePageConfig({ navigationBarTitleText: '主体详情' });
