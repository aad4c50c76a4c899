export default definePageConfig({ navigationBarTitleText: '开具合格证' });
