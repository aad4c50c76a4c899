/**
 * 市场查验 — a market's gate: today's figures and the three things done there, 凭证入市 (scan and
 * accept the certificate), 无证抽检 (record goods without one and test them) and the records.
 * Route: /pages-market/index/index[?marketSubjectId=…] (a subpackage: only markets download it).
 *
 * Element ids (for end-to-end tests):
 * - `market-name`, `market-area`; chips `market-<subjectId>` when the user operates several;
 *   `market-inactive` when the market may not record arrivals; `market-none` (no 收购商 subject)
 *   with `market-register`
 * - today's figures (`market-today`): `fig-arrivals` (到货批次), `fig-with-cert` (凭证入市),
 *   `fig-without-cert` (无证抽检), `fig-failed` (不合格退场), `fig-rate` (凭证率, "50.0%" or "—"),
 *   `fig-computed-at` (计算于 14:05); `fig-pending` (待抽检 N, a link to the tasks) when any
 * - `market-scan` (扫码收证: weapp scans at once), `market-no-cert` (无证到货),
 *   `market-entries` (查验记录)
 * - `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { chinaDate } from '@/domain/certificate';
import { divisionName, lianyunDivisions } from '@/domain/division';
import { canIssue, subjectStatuses } from '@/domain/subject';
import { api } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chooseMarket } from '../memory';
import { chinaClock } from '../model';
import { marketUrl, useMarket } from '../use-market';
import '../market.css';

function Figure({ id, value, label }: { id: string; value: number | string; label: string }) {
  return (
    <View className="mk-figure">
      <Text id={id} className="mk-figure__value">
        {value}
      </Text>
      <Text className="mk-figure__label">{label}</Text>
    </View>
  );
}

export default function MarketHome() {
  const params = useRouter().params;
  const today = chinaDate(new Date());
  const { state, reload } = useMarket(
    params.marketSubjectId,
    (m) => api.market.acceptanceRate({ marketSubjectId: m._id, from: today, to: today }),
    [today],
  );

  if (state.status === 'loading') {
    return (
      <View className="page market">
        <Loading />
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View className="page market">
        <ErrorNotice error={state.error} onRetry={reload} />
      </View>
    );
  }
  const { markets, market, data: rate } = state.data;
  if (!market || !rate) {
    return (
      <View id="market-none" className="page market notice">
        <Text className="notice__text">
          还没有登记为“收购商”的主体。登记您的收购点或市场后，就可以扫码收证、无证抽检。
        </Text>
        <BigButton
          id="market-register"
          onClick={() => Taro.navigateTo({ url: '/pages/register/index' })}
        >
          登记主体
        </BigButton>
      </View>
    );
  }

  const id = market._id;
  const pending = rate.withoutCertificate - rate.sampled;
  return (
    <View className="page market">
      <View className="card mk-head">
        <Text id="market-name" className="mk-head__name">
          {market.name}
        </Text>
        <Text id="market-area" className="muted mk-head__area">
          {divisionName(lianyunDivisions, market.divisionCode) ?? ''} · 今天 {today}
        </Text>
        {markets.length > 1 ? (
          <ChipGroup wide>
            {markets.map((m) => (
              <Chip
                key={m._id}
                id={`market-${m._id}`}
                selected={m._id === id}
                onClick={() => {
                  if (m._id === id) return;
                  chooseMarket(m._id);
                  Taro.redirectTo({ url: marketUrl('index', m._id) });
                }}
              >
                {m.name}
              </Chip>
            ))}
          </ChipGroup>
        ) : null}
      </View>

      {canIssue(market.status) ? null : (
        <Text id="market-inactive" className="mk-alert mk-alert--fail">
          市场状态为“{subjectStatuses[market.status]}”，暂不能登记入市查验；请联系街道监管人员。
        </Text>
      )}

      <View id="market-today" className="card mk-today">
        <Text className="mk-today__title">今日到货</Text>
        <View className="mk-figures">
          <Figure id="fig-arrivals" value={rate.arrivals} label="到货（批）" />
          <Figure id="fig-with-cert" value={rate.withCertificate} label="凭证入市" />
          <Figure id="fig-without-cert" value={rate.withoutCertificate} label="无证抽检" />
          <Figure id="fig-failed" value={rate.failed} label="不合格退场" />
        </View>
        <View className="mk-rate">
          <Text className="mk-rate__label">凭证率</Text>
          <Text id="fig-rate" className="mk-rate__value">
            {rate.rateText}
          </Text>
        </View>
        <Text id="fig-computed-at" className="muted mk-today__at">
          计算于 {chinaClock(rate.computedAt)}
        </Text>
        {pending > 0 ? (
          <View
            id="fig-pending"
            className="mk-alert mk-alert--pending mk-today__pending"
            hoverClass="ui-button--pressed"
            ariaRole="button"
            onClick={() =>
              Taro.navigateTo({ url: marketUrl('entries', id, { status: 'pending' }) })
            }
          >
            <Text>待抽检 {pending} 批，点此去抽检 ›</Text>
          </View>
        ) : null}
      </View>

      <BigButton
        id="market-scan"
        className="mk-big mk-big--scan"
        onClick={() => Taro.navigateTo({ url: marketUrl('accept', id, { scan: '1' }) })}
      >
        扫码收证
      </BigButton>
      <BigButton
        id="market-no-cert"
        kind="secondary"
        className="mk-big"
        onClick={() => Taro.navigateTo({ url: marketUrl('no-cert', id) })}
      >
        无证到货
      </BigButton>
      <BigButton
        id="market-entries"
        kind="secondary"
        className="mk-big"
        onClick={() => Taro.navigateTo({ url: marketUrl('entries', id) })}
      >
        查验记录
      </BigButton>
    </View>
  );
}
