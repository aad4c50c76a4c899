/**
 * 培训详情与签到 — a session's time, place, link and materials. An attendee signs in with the
 * session's code: from the link they opened by scanning its QR code, by scanning it here (weapp)
 * or by typing it; outside the window, or with the code of another session, the server's
 * message is shown. The organiser sees the sign-in QR code while sign-in is open, who enrolled
 * and who attended, and everyone the session addresses (searchable); anyone of them can be marked
 * present by hand, with a reason.
 * Route: /pages-outreach/session/index?id=<sessionId> (inbox, list, subscribe messages), or
 * ?code=<code> (the local runtime's `/t/<code>` redirect), or ?q=<URL-encoded `/t/<code>` link>
 * (WeChat's scan of the QR code).
 *
 * Element ids (for end-to-end tests):
 * - `session-title`, `session-time`, `session-place`, `session-online`, `session-audience`,
 *   `session-material-<i>`; `session-hidden` when the details are not for the caller
 * - attendee: `signin-done` (已签到); else `signin-submit` (with the code from the link, or the
 *   typed `signin-code`), `signin-scan` (weapp), `signin-window`; errors in `signin-error`;
 *   `enroll` (报名), `enroll-done`
 * - organiser: `session-counts`; `session-qr` (the QR of `session-url`, while sign-in is open),
 *   `session-code`; `session-qr-later` before; `attendee-<i>` with `attendee-<i>-mark`; the
 *   addressees: `roster-total`, `roster-search`, `roster-<i>` with `roster-<i>-mark`,
 *   `roster-more`, `roster-empty`, `roster-error`; under the picked row `mark-reason`,
 *   `mark-submit`, `mark-error`
 * - `signin-login` (H5 without a session: sign in first, then back here); `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import CertQrcode from '@/components/CertQrcode';
import { chinaDateTimeText, parseSignInCode } from '@/domain/outreach';
import { useRemote } from '@/hooks/useRemote';
import {
  api,
  ApiError,
  asApiError,
  type AddresseePage,
  type AttendeeRow,
  type SessionDetail,
  type SignInCode,
} from '@/services/api';
import { openPdf } from '@/services/files';
import { hasIdentity } from '@/services/transport';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import {
  addresseeText,
  chinaTimeOf,
  isOrganiser,
  rosterReloadRequests,
  sessionIdFromParams,
  signInCodeFromParams,
  windowState,
  withRosterPage,
  type RosterList,
} from '../model';
import '../outreach.css';

/** Rows per roster page, and the most one request may ask (the server's cap). */
const rosterPageSize = 30;
const rosterMaxLimit = 100;

/** Opens a link: H5 in a new tab; weapp cannot open outside pages, so the link is copied. */
function openLink(url: string) {
  if (process.env.TARO_ENV === 'h5') {
    window.open(url, '_blank', 'noopener');
    return;
  }
  void Taro.setClipboardData({ data: url }).then(() =>
    Taro.showToast({ title: '链接已复制，请在浏览器中打开', icon: 'none' }),
  );
}

/** An uploaded material (a PDF, or a picture) in the mini-program's viewer; a link as a link. */
function openMaterial(url: string, uploaded: boolean) {
  if (!uploaded || process.env.TARO_ENV === 'h5') {
    openLink(url);
    return;
  }
  void openPdf(url).catch(() => Taro.previewImage({ urls: [url] }));
}

function timeText(s: { startsAt: string; endsAt: string }): string {
  const start = chinaDateTimeText(s.startsAt);
  const end = chinaDateTimeText(s.endsAt);
  return start.slice(0, 10) === end.slice(0, 10)
    ? `${start} – ${end.slice(11)}`
    : `${start} – ${end}`;
}

function Details({ s }: { s: SessionDetail }) {
  return (
    <View className="card">
      <Text id="session-title" className="or-title">
        {s.title}
      </Text>
      <Text id="session-time" className="or-paragraph">
        时间：{timeText(s)}
      </Text>
      <Text id="session-place" className="or-paragraph">
        地点：{s.place ?? '线上培训'}
      </Text>
      {s.onlineUrl ? (
        <Text id="session-online" className="or-link" onClick={() => openLink(s.onlineUrl!)}>
          线上链接：{s.onlineUrl}
        </Text>
      ) : null}
      <Text id="session-audience" className="or-entry__meta">
        培训对象：{s.audienceLabel}
        {s.productCategoryLabel ? `（${s.productCategoryLabel}）` : ''} · {s.divisionText}
        {s.status === 'scheduled' ? ` · 将于 ${chinaDateTimeText(s.publishAt)} 发布` : ''}
      </Text>
      {s.materials.map((m, i) => (
        <Text
          key={i}
          id={`session-material-${i}`}
          className="or-link"
          onClick={() => (m.url ? openMaterial(m.url, Boolean(m.fileId)) : undefined)}
        >
          {m.fileId ? '📄' : '▶'} {m.title}
        </Text>
      ))}
    </View>
  );
}

/** The attendee's part: 报名, and signing in with the session's code. */
function Attend({
  sessionId,
  detail,
  linkCode,
  onChanged,
}: {
  sessionId: string | null;
  detail: SessionDetail | null;
  linkCode: string | null;
  onChanged: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');
  const [signedAt, setSignedAt] = useState<string | null>(null);
  const [enrolled, setEnrolled] = useState(false);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const attendedAt = signedAt ?? detail?.me?.attendedAt ?? null;

  async function signIn(code: string) {
    if (busyRef.current) return;
    if (!parseSignInCode(code)) {
      setError('签到码不正确，请扫描培训现场的签到二维码');
      return;
    }
    busyRef.current = true;
    setBusy(true);
    setError('');
    try {
      const done = await api.outreach.signIn({ code, ...(sessionId ? { sessionId } : {}) });
      setSignedAt(done.attendedAt);
      onChanged();
    } catch (e) {
      const err = asApiError(e);
      setError(err.fields?.code?.[0] ?? err.message);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      await signIn(result);
    } catch {
      // Cancelled: nothing to do.
    }
  }

  async function enroll() {
    if (!sessionId || busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError('');
    try {
      await api.outreach.enroll(sessionId);
      setEnrolled(true);
      onChanged();
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  if (attendedAt) {
    return (
      <Text id="signin-done" className="or-done">
        ✔ 已签到（{chinaDateTimeText(attendedAt)}）
      </Text>
    );
  }
  const state = detail ? windowState(detail, new Date()) : null;
  const canEnroll =
    detail && detail.status === 'published' && state !== 'closed' && !detail.me?.enrolledAt;
  return (
    <View className="card">
      <Text className="or-heading">签到</Text>
      {detail ? (
        <Text id="signin-window" className="or-entry__meta">
          {state === 'before'
            ? `签到将于 ${chinaDateTimeText(detail.signInOpensAt)} 开始`
            : state === 'closed'
              ? '本场培训已结束，签到已关闭'
              : `签到进行中，${chinaTimeOf(detail.signInClosesAt)} 截止`}
        </Text>
      ) : null}
      {linkCode ? (
        <View>
          <Text className="or-paragraph">已读取签到二维码，点下面的按钮签到。</Text>
          <BigButton id="signin-submit" disabled={busy} onClick={() => void signIn(linkCode)}>
            {busy ? '正在签到…' : '签到'}
          </BigButton>
        </View>
      ) : (
        <View>
          {process.env.TARO_ENV === 'weapp' ? (
            <BigButton id="signin-scan" disabled={busy} onClick={scan}>
              扫码签到
            </BigButton>
          ) : null}
          <Field name="signin-code" label="或输入签到码" hint="签到码在培训现场的签到二维码下方">
            <TextInput
              id="signin-code"
              value={typed}
              maxlength={300}
              placeholder="trn_…"
              onChange={(v) => {
                setTyped(v);
                setError('');
              }}
            />
          </Field>
          <BigButton
            id="signin-submit"
            kind={process.env.TARO_ENV === 'weapp' ? 'secondary' : 'primary'}
            disabled={busy}
            onClick={() => void signIn(typed.trim())}
          >
            {busy ? '正在签到…' : '签到'}
          </BigButton>
        </View>
      )}
      {error ? (
        <Text id="signin-error" className="field-error">
          {error}
        </Text>
      ) : null}
      {enrolled || detail?.me?.enrolledAt ? (
        <Text id="enroll-done" className="or-entry__meta">
          您已报名这场培训
        </Text>
      ) : canEnroll ? (
        <BigButton id="enroll" kind="secondary" disabled={busy} onClick={enroll}>
          报名参加
        </BigButton>
      ) : null}
    </View>
  );
}

/** Whom the organiser is about to mark present, and which list they were picked from. */
interface Picked {
  userId: string;
  name: string;
  from: 'attendees' | 'roster';
}

/** The reason and the button under the picked row. */
function MarkForm({
  picked,
  reason,
  busy,
  error,
  onReason,
  onSubmit,
}: {
  picked: Picked;
  reason: string;
  busy: boolean;
  error: string;
  onReason: (v: string) => void;
  onSubmit: () => void;
}) {
  return (
    <View className="or-mark">
      <Field name="mark-reason" label={`登记 ${picked.name} 出席的原因`}>
        <TextInput
          id="mark-reason"
          value={reason}
          maxlength={200}
          placeholder="如：手机没电，已在纸质签到表签字"
          onChange={onReason}
        />
      </Field>
      <BigButton id="mark-submit" disabled={busy} onClick={onSubmit}>
        {busy ? '正在登记…' : '登记出席'}
      </BigButton>
      {error ? (
        <Text id="mark-error" className="field-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/**
 * 培训对象名单: everyone the session addresses (a street may have hundreds), found by name, so
 * the organiser can mark someone from the paper list who never enrolled.
 */
function Roster({
  sessionId,
  canMark,
  version,
  picked,
  onPick,
  form,
}: {
  sessionId: string;
  canMark: boolean;
  /** Bumped after a marking: the list is read again. */
  version: number;
  picked: Picked | null;
  onPick: (p: Picked) => void;
  form: ReactNode;
}) {
  const [query, setQuery] = useState('');
  const [roster, setRoster] = useState<RosterList<AddresseePage> | null>(null);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  // Refs, not state: a second tap before the re-render must see the first one in flight.
  const generation = useRef(0);
  const inFlight = useRef(false);
  const shown = useRef({ query: '', count: 0 });
  const list = roster?.page ?? null;

  useEffect(() => {
    if (roster) shown.current = { query: roster.query, count: roster.page.rows.length };
  }, [roster]);

  useEffect(() => {
    const seq = ++generation.current;
    const q = query.trim();
    // After a marking the same search is read again as far as it was shown; a new one from its top.
    const count = shown.current.query === q ? shown.current.count : 0;
    // Typing: wait for a pause before asking.
    const timer = setTimeout(
      () => {
        void (async () => {
          try {
            for (const r of rosterReloadRequests(count, rosterPageSize, rosterMaxLimit)) {
              const page = await api.outreach.sessionAddressees({ sessionId, query: q, ...r });
              if (seq !== generation.current) return;
              setRoster((l) => withRosterPage(l, seq, q, page));
              setError('');
              if (page.rows.length < r.limit) break;
            }
          } catch (e) {
            if (seq === generation.current) setError(asApiError(e).message);
          }
        })();
      },
      query ? 300 : 0,
    );
    return () => clearTimeout(timer);
  }, [sessionId, query, version]);

  async function more() {
    if (!roster || inFlight.current) return;
    inFlight.current = true;
    setLoadingMore(true);
    const { seq, query: q } = roster;
    try {
      const next = await api.outreach.sessionAddressees({
        sessionId,
        query: q,
        offset: roster.page.rows.length,
        limit: rosterPageSize,
      });
      // A new search (or a reload) since answers for itself: this page is dropped.
      if (seq === generation.current) setRoster((l) => withRosterPage(l, seq, q, next));
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      inFlight.current = false;
      setLoadingMore(false);
    }
  }

  return (
    <View className="card">
      <Text id="roster-total" className="or-heading">
        培训对象{list ? ` ${list.total} 人 · 已签到 ${list.attended} 人` : ''}
      </Text>
      <Field
        name="roster-search"
        label="查找参训人员"
        hint="按昵称、主体名称或联系人查找；没有报名的人也可以登记出席"
      >
        <TextInput
          id="roster-search"
          value={query}
          maxlength={40}
          placeholder="如：王大爷、李记"
          onChange={setQuery}
        />
      </Field>
      {list?.rows.map((r, i) => (
        <View key={r.userId} id={`roster-${i}`} className="or-entry or-row">
          <Text className="or-paragraph">{addresseeText(r)}</Text>
          <Text className="or-entry__meta">
            {r.attendedAt
              ? `已签到（${r.method === 'manual' ? '手工登记' : '扫码签到'} ${chinaDateTimeText(r.attendedAt)}）`
              : r.enrolledAt
                ? '已报名，未签到'
                : '未报名'}
          </Text>
          {!r.attendedAt && canMark ? (
            <Text
              id={`roster-${i}-mark`}
              className="or-link"
              onClick={() =>
                onPick({ userId: r.userId, name: r.nickname || '参训人员', from: 'roster' })
              }
            >
              手工登记出席
            </Text>
          ) : null}
          {picked?.from === 'roster' && picked.userId === r.userId ? form : null}
        </View>
      ))}
      {list && list.rows.length === 0 ? (
        <Text id="roster-empty" className="or-paragraph">
          {query.trim() ? `没有找到“${query.trim()}”` : '这场培训没有培训对象'}
        </Text>
      ) : null}
      {list && list.matched > list.rows.length ? (
        <BigButton id="roster-more" kind="secondary" disabled={loadingMore} onClick={more}>
          {loadingMore ? '正在加载…' : `显示更多（还有 ${list.matched - list.rows.length} 人）`}
        </BigButton>
      ) : null}
      {error ? (
        <Text id="roster-error" className="field-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/** The organiser's part: the QR code, the attendee list and marking attendance by hand. */
function Organise({
  detail,
  code,
  rows,
  onChanged,
}: {
  detail: SessionDetail;
  code: SignInCode;
  rows: AttendeeRow[];
  onChanged: () => void;
}) {
  const [marking, setMarking] = useState<Picked | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const state = windowState(detail, new Date());

  function pick(p: Picked) {
    setMarking(p);
    setError('');
  }

  async function mark() {
    if (!marking || busy) return;
    setBusy(true);
    setError('');
    try {
      await api.outreach.markAttendance({
        sessionId: detail.sessionId,
        userId: marking.userId,
        reason: reason.trim(),
      });
      setMarking(null);
      setReason('');
      setVersion((v) => v + 1);
      onChanged();
    } catch (e) {
      const err = asApiError(e);
      setError(err.fields?.reason?.[0] ?? err.message);
    } finally {
      setBusy(false);
    }
  }

  const form = marking ? (
    <MarkForm
      picked={marking}
      reason={reason}
      busy={busy}
      error={error}
      onReason={setReason}
      onSubmit={mark}
    />
  ) : null;
  return (
    <View>
      <View className="card">
        <Text className="or-heading">签到二维码</Text>
        {state === 'open' ? (
          <View>
            <Text className="or-entry__meta">
              请参训人员用微信或手机相机扫码签到，{chinaTimeOf(code.closesAt)} 截止。
            </Text>
            <View id="session-qr" className="or-qr">
              <CertQrcode text={code.url} size={240} />
            </View>
            <Text id="session-url" className="or-small">
              {code.url}
            </Text>
            <Text className="or-small">签到码：</Text>
            <Text id="session-code" className="or-small">
              {code.code}
            </Text>
          </View>
        ) : state === 'before' ? (
          <Text id="session-qr-later" className="or-paragraph">
            签到二维码将于 {chinaDateTimeText(code.opensAt)} 起在这里显示。
          </Text>
        ) : (
          <Text id="session-qr-closed" className="or-paragraph">
            培训已结束，签到已关闭。
          </Text>
        )}
      </View>
      <View className="card">
        <Text id="session-counts" className="or-heading">
          报名 {rows.filter((r) => r.enrolledAt).length} 人 · 已签到{' '}
          {rows.filter((r) => r.attendedAt).length} 人
        </Text>
        {rows.length === 0 ? <Text className="or-paragraph">还没有人报名或签到</Text> : null}
        {rows.map((r, i) => (
          <View key={r.userId} id={`attendee-${i}`} className="or-entry or-row">
            <Text className="or-paragraph">
              {r.nickname || '参训人员'} · {r.divisionName}
            </Text>
            <Text className="or-entry__meta">
              {r.attendedAt
                ? `${r.method === 'manual' ? '手工登记' : '扫码签到'} ${chinaDateTimeText(r.attendedAt)}${r.reason ? `（${r.reason}）` : ''}`
                : '已报名，未签到'}
            </Text>
            {!r.attendedAt && state !== 'before' ? (
              <Text
                id={`attendee-${i}-mark`}
                className="or-link"
                onClick={() =>
                  pick({ userId: r.userId, name: r.nickname || '参训人员', from: 'attendees' })
                }
              >
                手工登记出席
              </Text>
            ) : null}
            {marking?.from === 'attendees' && marking.userId === r.userId ? form : null}
          </View>
        ))}
      </View>
      <Roster
        sessionId={detail.sessionId}
        canMark={state !== 'before'}
        version={version}
        picked={marking}
        onPick={pick}
        form={form}
      />
    </View>
  );
}

/** Missing or refused details: the page still lets a walk-in attendee sign in with the code. */
function hidden(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN');
}

export default function Session() {
  const params = useRouter().params;
  const linkCode = signInCodeFromParams(params);
  const sessionId = sessionIdFromParams(params);
  const signedIn = hasIdentity();
  const { state, reload } = useRemote(async () => {
    if (!signedIn || !sessionId) return null;
    const me = await api.user.me();
    const detail = await api.outreach.session(sessionId).catch((e: unknown) => {
      if (hidden(e)) return null;
      throw e;
    });
    let organise: { code: SignInCode; rows: AttendeeRow[] } | null = null;
    if (detail && isOrganiser(me.roles)) {
      try {
        const [code, attendees] = await Promise.all([
          api.outreach.signInCode(sessionId),
          api.outreach.attendees(sessionId),
        ]);
        organise = { code, rows: attendees.rows };
      } catch (e) {
        // A session of another office (the bureau's, seen by a street): shown, not organised.
        if (!hidden(e)) throw e;
      }
    }
    return { me, detail, organise };
  }, [signedIn, sessionId]);

  if (!sessionId) {
    return (
      <View className="page outreach-session">
        <Text id="signin-error" className="notice notice__text">
          这个链接里没有有效的培训或签到码，请重新扫描培训现场的签到二维码。
        </Text>
      </View>
    );
  }
  if (!signedIn) {
    const back = `/pages-outreach/session/index?${linkCode ? `code=${linkCode}` : `id=${sessionId}`}`;
    return (
      <View className="page outreach-session">
        <Text className="page-title">培训签到</Text>
        <Text className="or-paragraph">请先登录，登录后回到这里签到。</Text>
        <BigButton
          id="signin-login"
          onClick={() =>
            Taro.reLaunch({ url: `/pages/login/index?back=${encodeURIComponent(back)}` })
          }
        >
          去登录
        </BigButton>
      </View>
    );
  }
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const data = state.data;
  const detail = data?.detail ?? null;
  const organise = data?.organise ?? null;
  return (
    <View className="page outreach-session">
      {detail ? (
        <Details s={detail} />
      ) : (
        <Text id="session-hidden" className="or-entry__meta">
          这场培训的详情只对培训对象显示；持签到码仍可签到。
        </Text>
      )}
      {organise && detail ? (
        <Organise detail={detail} code={organise.code} rows={organise.rows} onChanged={reload} />
      ) : (
        <Attend sessionId={sessionId} detail={detail} linkCode={linkCode} onChanged={reload} />
      )}
    </View>
  );
}
