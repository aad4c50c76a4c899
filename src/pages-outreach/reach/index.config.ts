export default definePageConfig({ navigationBarTitleText: '触达情况' });
