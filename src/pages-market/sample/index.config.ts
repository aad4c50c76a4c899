export default definePageConfig({ navigationBarTitleText: '无证抽检' });
