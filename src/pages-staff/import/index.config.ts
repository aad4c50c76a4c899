export default definePageConfig({ navigationBarTitleText: '从名册导入' });
