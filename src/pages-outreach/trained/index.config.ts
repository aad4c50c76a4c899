export default definePageConfig({ navigationBarTitleText: '培训覆盖' });
