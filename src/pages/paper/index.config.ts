export default definePageConfig({ navigationBarTitleText: '纸质合格证' });
