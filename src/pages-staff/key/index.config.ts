export default definePageConfig({ navigationBarTitleText: '重点监管' });
