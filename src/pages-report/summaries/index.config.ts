export default definePageConfig({ navigationBarTitleText: '书面总结' });
