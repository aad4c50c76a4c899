export default definePageConfig({ navigationBarTitleText: '疑似重复（一人多身份）' });
