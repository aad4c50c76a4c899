export default definePageConfig({ navigationBarTitleText: '市场查验' });
