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
 * - `go-directory` (主体名录): staff who read the directory; `go-staff` (人员与邀请): supervisors
 *   and admins
 * - `subject-status`: the subject's status (已登记待审核 / 已审核 / …)
 * - `review-note` when the subject was returned for changes or rejected: `review-note-text` (the
 *   supervisor's reason), `review-resubmitted` once edited, `edit-subject` (修改登记信息 →
 *   /pages/register/index?edit=<id>) while it may still be edited
 * - `go-market` (市场查验: 扫码收证、无证抽检): buyers who operate a 收购商 subject
 * - `go-work` (监管工作台: 巡查、抽检、重点监管、整改、监管站): coordinators, supervisors, enforcement, admins
 * - `home-rectify` (整改通知): a producer with a rectification case not yet signed off →
 *   /pages-producer/rectify/index?caseId=…
 * - `go-report` (统计看板): supervisors and admins → /pages-report/dashboard/index;
 *   `go-compliance` (合规查询): coordinators, supervisors, enforcement, admins
 * - `home-summary-due` (书面总结待报送): a street supervisor whose street's summary draft awaits
 *   its narrative — the latest due period's, or an older one left unsubmitted (oldest first) →
 *   /pages-report/summaries/index?period=…
 * - `go-inbox` (通知, with the unread / to-acknowledge count): every signed-in user →
 *   /pages-outreach/inbox/index; `go-publish` (宣传): supervisors and admins
 * - `go-training` (培训: sessions addressed to me, or an office's own): every signed-in user;
 *   `go-coverage` (培训覆盖): supervisors and admins
 * - `go-verify`: 扫码核验 (weapp: scans; H5: opens the verify page with its input box)
 * - `switch-user`: H5 only, back to the demo login page
 * - `load-error`, `retry`, `go-login`: when loading failed
 * H5 without a token redirects to /#/pages/login/index.
 */
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import { codeFromScan } from '@/domain/certificate';
import { hasAnyRole } from '@/domain/role';
import { subjectStatuses, subjectTypes } from '@/domain/subject';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { reportApi } from '@/services/report-api';
import { pickSubject, selectSubject } from '@/services/selection';
import { hasIdentity, signOut, usesDevLogin } from '@/services/transport';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { issueSummary } from '@/ui/summary';
import { reviewNotice } from './review-note';
import { summaryNotice } from './summary-notice';
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
    // 整改通知: a producer's own cases not yet signed off (a staff producer also gets division's).
    const casesLoad = me.roles.includes('producer')
      ? api.supervision.rectifications({}).catch(() => [])
      : Promise.resolve([]);
    const inboxLoad = api.outreach.inbox().catch(() => null);
    // 书面总结: the street's drafts of the latest period or older, waiting for the narrative.
    const summariesLoad = me.roles.includes('supervisor')
      ? reportApi.summaries().catch(() => null)
      : Promise.resolve(null);
    // Without defaults the home page still works: the quick button is simply not offered.
    // Nor without paper ranges: then only the small link to the paper page is shown.
    const [defaults, ranges] = subject
      ? await Promise.all([
          api.certificate.defaults(subject._id).catch(() => null),
          api.paper.ranges({ subjectId: subject._id }).catch(() => null),
        ])
      : [null, null];
    const openCases = (await casesLoad).filter(
      (c) => c.status !== 'closed' && subjects.some((s) => s._id === c.subjectId),
    );
    // Without the inbox the home page still works: the 通知 button simply shows no count.
    const inbox = await inboxLoad;
    const summaries = await summariesLoad;
    const summaryDue = summaryNotice(me, summaries);
    return { me, subjects, subject, defaults, ranges, openCases, inbox, summaryDue };
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

  const { me, subjects, subject, defaults, ranges, openCases, inbox, summaryDue } = state.data;
  const fieldStaff = hasAnyRole(me.roles, ['coordinator', 'supervisor', 'enforcement', 'admin']);
  const rectifyCase = openCases.find((c) => c.status === 'open') ?? openCases[0];
  const freeForms = (ranges ?? []).reduce((sum, r) => sum + r.free, 0);
  const office = me.roles.includes('supervisor') || me.roles.includes('admin');
  const directoryReader = office || hasAnyRole(me.roles, ['coordinator', 'enforcement']);
  const notice = subject ? reviewNotice(subject) : null;
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
              {subjectTypes[subject.type]} ·{' '}
              <Text id="subject-status">{subjectStatuses[subject.status]}</Text>
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

      {rectifyCase ? (
        <View
          id="home-rectify"
          className={`card home__rectify${rectifyCase.status === 'submitted' ? ' home__rectify--sent' : ''}`}
          hoverClass="home__quick--pressed"
          ariaRole="button"
          onClick={() =>
            Taro.navigateTo({
              url: `/pages-producer/rectify/index?caseId=${encodeURIComponent(rectifyCase._id)}`,
            })
          }
        >
          <Text className="home__rectify-title">
            {rectifyCase.status === 'submitted' ? '整改已提交，等待核查' : '整改通知'}
          </Text>
          <Text className="home__rectify-text">
            {rectifyCase.status === 'submitted'
              ? `${rectifyCase.subjectName}：监管员核查后销号`
              : rectifyCase.overdue
                ? `${rectifyCase.subjectName}：已超过期限 ${rectifyCase.daysOverdue} 天，请尽快整改`
                : `${rectifyCase.subjectName}：请在 ${rectifyCase.deadline} 前完成整改`}
          </Text>
          <Text className="home__rectify-go">
            {rectifyCase.status === 'submitted' ? '查看 ›' : '查看原因并提交整改 ›'}
          </Text>
        </View>
      ) : null}
      {subject && notice ? (
        <View id="review-note" className="card home__review">
          <Text className="home__review-title">
            {notice.kind === 'rejected' ? '登记未通过审核' : '街道请您修改登记信息'}
          </Text>
          {notice.note ? (
            <Text id="review-note-text" className="home__review-text">
              审核意见：{notice.note}
            </Text>
          ) : null}
          {notice.kind === 'changes' && notice.resubmitted ? (
            <Text id="review-resubmitted" className="muted">
              已修改并重新提交，等待街道审核。
            </Text>
          ) : null}
          {notice.kind === 'changes' ? (
            <BigButton
              id="edit-subject"
              kind={notice.resubmitted ? 'secondary' : 'primary'}
              onClick={() =>
                Taro.navigateTo({
                  url: `/pages/register/index?edit=${encodeURIComponent(subject._id)}`,
                })
              }
            >
              修改登记信息
            </BigButton>
          ) : (
            <Text className="muted">如有疑问，请联系所在街道。</Text>
          )}
        </View>
      ) : null}
      {summaryDue ? (
        <View
          id="home-summary-due"
          className="card home__rectify"
          hoverClass="home__quick--pressed"
          ariaRole="button"
          onClick={() => Taro.navigateTo({ url: summaryDue.url })}
        >
          <Text className="home__rectify-title">书面总结待报送</Text>
          <Text className="home__rectify-text">{summaryDue.text}</Text>
          <Text className="home__rectify-go">填写并报送 ›</Text>
        </View>
      ) : null}
      {fieldStaff ? (
        <BigButton
          id="go-work"
          className="home__big"
          onClick={() => Taro.navigateTo({ url: '/pages-staff/work/index' })}
        >
          监管工作台
        </BigButton>
      ) : null}
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
      {office ? (
        <BigButton
          id="go-report"
          kind="secondary"
          className="home__big"
          onClick={() => Taro.navigateTo({ url: '/pages-report/dashboard/index' })}
        >
          统计看板与书面总结
        </BigButton>
      ) : null}
      {directoryReader ? (
        <BigButton
          id="go-compliance"
          kind="secondary"
          className="home__big home__big--small"
          onClick={() => Taro.navigateTo({ url: '/pages-report/compliance/index' })}
        >
          合规查询
        </BigButton>
      ) : null}
      {directoryReader ? (
        <BigButton
          id="go-directory"
          kind="secondary"
          className="home__big"
          onClick={() => Taro.navigateTo({ url: '/pages-staff/directory/index' })}
        >
          主体名录
        </BigButton>
      ) : null}
      {office ? (
        <BigButton
          id="go-staff"
          kind="secondary"
          className="home__big home__big--small"
          onClick={() => Taro.navigateTo({ url: '/pages-staff/staff/index' })}
        >
          人员与邀请
        </BigButton>
      ) : null}
      <BigButton
        id="go-inbox"
        kind={inbox && (inbox.unread || inbox.toAcknowledge) ? 'primary' : 'secondary'}
        className="home__big"
        onClick={() => Taro.navigateTo({ url: '/pages-outreach/inbox/index' })}
      >
        通知
        {inbox && inbox.toAcknowledge
          ? `（${inbox.toAcknowledge} 条待确认）`
          : inbox && inbox.unread
            ? `（${inbox.unread} 条未读）`
            : ''}
      </BigButton>
      {office ? (
        <BigButton
          id="go-publish"
          kind="secondary"
          className="home__big home__big--small"
          onClick={() => Taro.navigateTo({ url: '/pages-outreach/publish/index' })}
        >
          宣传
        </BigButton>
      ) : null}
      <BigButton
        id="go-training"
        kind="secondary"
        className="home__big home__big--small"
        onClick={() => Taro.navigateTo({ url: '/pages-outreach/sessions/index' })}
      >
        培训
      </BigButton>
      {office ? (
        <BigButton
          id="go-coverage"
          kind="secondary"
          className="home__big home__big--small"
          onClick={() => Taro.navigateTo({ url: '/pages-outreach/trained/index' })}
        >
          培训覆盖
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
