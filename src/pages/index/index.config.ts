export default definePageConfig({ navigationBarTitleText: '合格证通' });
