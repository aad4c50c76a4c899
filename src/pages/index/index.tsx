/**
 * 首页 — who I am and the big buttons for what I can do.
 *
 * Element ids (for end-to-end tests):
 * - `me-name`: greeting with the nickname; `me-roles`: role labels
 * - `subject-name`: the selected (else first) subject's name, when there is one;
 *   `home-subject-<id>`: chips to choose among several subjects
 * - `quick-issue`: 按上次开具 with what the subject issued last ("青菜 5 斤 ×12 件"), shown when
 *   it has issued before → /pages/issue/index?quick=1&subjectId=… (one more tap issues)
 * - `go-register`: 登记主体 (shown when the user has no subject)
 * - `go-issue`, `go-certificates`, `go-tests` (检测记录): shown when the user has a subject
 * - `go-paper` (纸质合格证): a button when the subject has allocated paper forms, else a link to the
 *   page that explains where to get them
 * - `go-paper-office` (纸质合格证（街道）): supervisors and admins
 * - `go-market` (市场查验: 扫码收证、无证抽检): buyers who operate a 收购商 subject
 * - `go-verify`: 扫码核验 (weapp: scans; H5: opens the verify page with its input box)
 * - `switch-user`: H5 only, back to the demo login page
 * - `load-error`, `retry`, `go-login`: when loading failed
 * H5 without a token redirects to /#/pages/login/index.
 */
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import { codeFromScan } from '@/domain/certificate';
import { subjectStatuses, subjectTypes } from '@/domain/subject';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { pickSubject, selectSubject } from '@/services/selection';
import { hasIdentity, signOut, usesDevLogin } from '@/services/transport';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { issueSummary } from '@/ui/summary';
import './index.css';

function toLogin() {
  Taro.reLaunch({ url: '/pages/login/index' });
}

async function scanToVerify() {
  if (process.env.TARO_ENV !== 'weapp') {
    Taro.navigateTo({ url: '/pages/verify/index' });
    return;
  }
  try {
    const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
    const code = codeFromScan(result) ?? result;
    Taro.navigateTo({ url: `/pages/verify/index?code=${encodeURIComponent(code)}` });
  } catch {
    // Cancelled by the user: nothing to do.
  }
}

export default function Home() {
  const signedIn = hasIdentity();
  const { state, reload } = useRemote(async () => {
    if (!signedIn) return null;
    const [me, subjects] = await Promise.all([api.user.me(), api.subject.mine()]);
    const subject = pickSubject(subjects);
    // Without defaults the home page still works: the quick button is simply not offered.
    // Nor without paper ranges: then only the small link to the paper page is shown.
    const [defaults, ranges] = subject
      ? await Promise.all([
          api.certificate.defaults(subject._id).catch(() => null),
          api.paper.ranges({ subjectId: subject._id }).catch(() => null),
        ])
      : [null, null];
    return { me, subjects, subject, defaults, ranges };
  }, [signedIn]);

  const staleToken = state.status === 'error' && state.error.code === 'UNAUTHENTICATED';
  useEffect(() => {
    if (!signedIn || (staleToken && usesDevLogin)) {
      signOut();
      toLogin();
    }
  }, [signedIn, staleToken]);

  if (state.status === 'error') {
    return (
      <View className="page home">
        <ErrorNotice error={state.error} onRetry={reload} />
      </View>
    );
  }
  if (state.status === 'loading' || state.data === null) {
    return (
      <View className="page home">
        <Loading />
      </View>
    );
  }

  const { me, subjects, subject, defaults, ranges } = state.data;
  const freeForms = (ranges ?? []).reduce((sum, r) => sum + r.free, 0);
  const office = me.roles.includes('supervisor') || me.roles.includes('admin');
  const market = me.roles.includes('buyer') ? subjects.find((s) => s.type === 'buyer') : undefined;
  return (
    <View className="page home">
      <View className="home__hello card">
        <Text id="me-name" className="home__name">
          您好，{me.nickname || '新用户'}
        </Text>
        <Text id="me-roles" className="home__roles muted">
          {me.roleLabels.length ? me.roleLabels.join('、') : '尚未登记主体'}
        </Text>
        {subject ? (
          <View className="home__subject">
            <Text id="subject-name" className="home__subject-name">
              {subject.name}
            </Text>
            <Text className="muted">
              {subjectTypes[subject.type]} · {subjectStatuses[subject.status]}
              {subjects.length > 1 ? ` · 共 ${subjects.length} 个主体` : ''}
            </Text>
            {subjects.length > 1 ? (
              <ChipGroup wide>
                {subjects.map((s) => (
                  <Chip
                    key={s._id}
                    id={`home-subject-${s._id}`}
                    selected={s._id === subject._id}
                    onClick={() => {
                      if (s._id === subject._id) return;
                      selectSubject(s._id);
                      reload();
                    }}
                  >
                    {s.name}
                  </Chip>
                ))}
              </ChipGroup>
            ) : null}
          </View>
        ) : null}
      </View>

      {market ? (
        <BigButton
          id="go-market"
          className="home__big"
          onClick={() =>
            Taro.navigateTo({
              // The subject chosen here if it is a market; else the market page's own choice.
              url:
                subject?.type === 'buyer'
                  ? `/pages-market/index/index?marketSubjectId=${encodeURIComponent(subject._id)}`
                  : '/pages-market/index/index',
            })
          }
        >
          市场查验（扫码收证）
        </BigButton>
      ) : null}
      {subject ? (
        <View>
          {defaults ? (
            <View
              id="quick-issue"
              className="home__quick"
              hoverClass="home__quick--pressed"
              ariaRole="button"
              onClick={() =>
                Taro.navigateTo({
                  url: `/pages/issue/index?quick=1&subjectId=${encodeURIComponent(subject._id)}`,
                })
              }
            >
              <Text className="home__quick-title">按上次开具</Text>
              <Text id="quick-summary" className="home__quick-summary">
                {issueSummary(defaults)}
              </Text>
            </View>
          ) : null}
          <BigButton
            id="go-issue"
            kind={defaults ? 'secondary' : 'primary'}
            className="home__big"
            onClick={() =>
              Taro.navigateTo({
                url: `/pages/issue/index?subjectId=${encodeURIComponent(subject._id)}`,
              })
            }
          >
            {defaults ? '开具合格证（逐项填写）' : '开具合格证'}
          </BigButton>
          <BigButton
            id="go-certificates"
            kind="secondary"
            className="home__big"
            onClick={() => Taro.navigateTo({ url: '/pages/certificates/index' })}
          >
            我的合格证
          </BigButton>
          <BigButton
            id="go-tests"
            kind="secondary"
            className="home__big home__big--small"
            onClick={() =>
              Taro.navigateTo({
                url: `/pages/tests/index?subjectId=${encodeURIComponent(subject._id)}`,
              })
            }
          >
            检测记录
          </BigButton>
          {ranges && ranges.length > 0 ? (
            <BigButton
              id="go-paper"
              kind="secondary"
              className="home__big home__big--small"
              onClick={() => Taro.navigateTo({ url: '/pages/paper/index' })}
            >
              登记纸质合格证{freeForms > 0 ? `（剩 ${freeForms} 份）` : ''}
            </BigButton>
          ) : null}
        </View>
      ) : (
        <View>
          <Text className="home__lead">开具合格证前，请先登记您的生产主体（只需一次）。</Text>
          <BigButton
            id="go-register"
            className="home__big"
            onClick={() => Taro.navigateTo({ url: '/pages/register/index' })}
          >
            登记主体
          </BigButton>
        </View>
      )}
      {office ? (
        <BigButton
          id="go-paper-office"
          kind="secondary"
          className="home__big"
          onClick={() => Taro.navigateTo({ url: '/pages-staff/paper/index' })}
        >
          分配纸质合格证
        </BigButton>
      ) : null}
      <BigButton id="go-verify" kind="secondary" className="home__big" onClick={scanToVerify}>
        扫码核验
      </BigButton>
      {subject ? (
        <Text
          id="go-register-more"
          className="home__link"
          onClick={() => Taro.navigateTo({ url: '/pages/register/index' })}
        >
          登记另一个主体
        </Text>
      ) : null}
      {subject && !(ranges && ranges.length > 0) ? (
        <Text
          id="go-paper"
          className="home__link"
          onClick={() => Taro.navigateTo({ url: '/pages/paper/index' })}
        >
          纸质合格证
        </Text>
      ) : null}
      {usesDevLogin ? (
        <Text
          id="switch-user"
          className="home__link"
          onClick={() => {
            signOut();
            toLogin();
          }}
        >
          切换演示用户
        </Text>
      ) : null}
    </View>
  );
}
