export default definePageConfig({ navigationBarTitleText: '我的合格证' });
