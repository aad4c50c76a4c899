export default definePageConfig({ navigationBarTitleText: '登记主体' });
