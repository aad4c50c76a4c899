import { backPage } from '../../../src/pages/login/back';

describe('the page login returns to', () => {
  it('is the app page asked for, encoded or not', () => {
    const session = '/pages-outreach/session/index?code=trn_0123456789abcdef01234567.AbCd_-';
    expect(backPage(session)).toBe(session);
    expect(backPage(encodeURIComponent(session))).toBe(session);
    expect(backPage('/pages/index/index')).toBe('/pages/index/index');
  });

  it('is home for nothing, other sites and odd paths', () => {
    for (const raw of [
      undefined,
      '',
      'https://evil.example/pages/index/index',
      '//evil.example/x',
      '/pages/../x/index',
      '/pages-outreach/session/index?code=<script>',
      '%E0%A4%A',
    ]) {
      expect(backPage(raw)).toBe('/pages/index/index');
    }
  });
});
