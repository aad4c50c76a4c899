import Taro from '@tarojs/taro';

const MARKET_KEY = 'hgz.market';
const DETAILS_KEY = 'hgz.market.details';

function read(key: string): unknown {
  try {
    return Taro.getStorageSync(key);
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value);
  } catch {
    // Storage full or unavailable: the first market and blank fields are used, which is fine.
  }
}

/** The market an operator of several chose last. */
export function chosenMarketId(): string {
  const stored = read(MARKET_KEY);
  return typeof stored === 'string' ? stored : '';
}

export function chooseMarket(id: string): void {
  write(MARKET_KEY, id);
}

/** 摊位 and 收货人 of the last arrival: the same person at the same stall records most of them. */
export interface ArrivalDetails {
  stall: string;
  buyerName: string;
}

export function lastDetails(): ArrivalDetails {
  const stored = read(DETAILS_KEY) as Partial<ArrivalDetails> | undefined;
  return {
    stall: typeof stored?.stall === 'string' ? stored.stall : '',
    buyerName: typeof stored?.buyerName === 'string' ? stored.buyerName : '',
  };
}

export function rememberDetails(d: ArrivalDetails): void {
  write(DETAILS_KEY, { stall: d.stall.trim(), buyerName: d.buyerName.trim() });
}
