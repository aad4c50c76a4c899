import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { userFunction, type Me } from '../../../cloudfunctions/user/actions';
import { smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
beforeEach(() => {
  rt = testRuntime();
});
afterEach(() => rt.close());

describe('user.me', () => {
  it('knows a new WeChat identity as unknown with no roles, then as a producer once registered', async () => {
    expect(await rt.ok<Me>(userFunction, 'me', {}, 'wx-9')).toMatchObject({
      known: false,
      roles: [],
    });
    await rt.ok(subjectFunction, 'register', smallholder(), 'wx-9');
    expect(await rt.ok<Me>(userFunction, 'me', {}, 'wx-9')).toMatchObject({
      known: true,
      roles: ['producer'],
      roleLabels: ['生产主体'],
    });
  });

  it('needs a signed-in caller', async () => {
    expect(await rt.call(userFunction, 'me', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});
