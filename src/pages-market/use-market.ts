import { useRemote } from '@/hooks/useRemote';
import { api, type OwnSubject } from '@/services/api';
import { chosenMarketId } from './memory';
import { marketsOf, pickMarket } from './model';

export interface MarketChoice {
  /** Every subject the user operates as a 收购商/市场开办者. */
  markets: OwnSubject[];
  /** The one in use: the route's, else the one chosen last, else the first; none without any. */
  market: OwnSubject | undefined;
}

/** The market a page works for, with `then` loading what the page needs of it. */
export function useMarket<T>(
  routeMarketId: string | undefined,
  then: (market: OwnSubject) => Promise<T>,
  deps: readonly unknown[] = [],
) {
  return useRemote(async (): Promise<MarketChoice & { data: T | null }> => {
    const markets = marketsOf(await api.subject.mine());
    const market = pickMarket(markets, routeMarketId, chosenMarketId());
    const data = market ? await then(market) : null;
    return { markets, market, data };
  }, [routeMarketId, ...deps]);
}

/** `/pages-market/<page>/index?marketSubjectId=…` plus more parameters. */
export function marketUrl(
  page: 'index' | 'accept' | 'no-cert' | 'entries' | 'sample',
  marketSubjectId: string,
  more: Record<string, string> = {},
): string {
  const query = Object.entries({ marketSubjectId, ...more })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `/pages-market/${page}/index?${query}`;
}
