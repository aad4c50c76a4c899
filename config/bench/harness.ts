/** One figure of `npm run bench`: a measurement and, where it has one, its same-process baseline. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** A budget: the most `value` may be (the runner marks a figure over it). */
  limit?: number;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A real SQLite store in `dir` with one registered smallholder, and a `call` as its operator. */
export async function benchWorld(dir: string, publicBaseUrl: string) {
  const { join } = await import('node:path');
  const { invoke } = await import('../../cloudfunctions/kit/invoke');
  const { generateSigningKey } = await import('../../cloudfunctions/kit/signer');
  const { openSqliteStore } = await import('../../cloudfunctions/kit/store/sqlite');
  const { subjectFunction } = await import('../../cloudfunctions/subject/actions');
  const { idCardCheckChar } = await import('../../src/domain/identity');
  type Fn = Parameters<typeof invoke>[0];
  const store = openSqliteStore({ file: join(dir, 'bench.db') });
  const config = {
    publicBaseUrl,
    identitySecret: 'bench-secret',
    signingKey: generateSigningKey(),
  };
  const call = (fn: Fn, action: string, input: unknown) =>
    invoke(fn, { action, input }, { store, callerId: 'bench-user', config });
  const id = '32070319580312123';
  const reg = await call(subjectFunction, 'register', {
    type: 'smallholder',
    name: '王建国',
    identityKind: 'id_card',
    identityNumber: id + idCardCheckChar(id),
    contactName: '王建国',
    phone: '13812345678',
    address: '连云区墟沟街道东山村',
    divisionCode: '320703001',
    products: ['青菜'],
  });
  if (!reg.ok) throw new Error(JSON.stringify(reg.error));
  return { store, config, call, subjectId: (reg.data as { _id: string })._id };
}
