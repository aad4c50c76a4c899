export default definePageConfig({ navigationBarTitleText: '在册不运行' });
