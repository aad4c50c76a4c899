export default definePageConfig({ navigationBarTitleText: '无证到货' });
