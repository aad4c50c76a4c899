import type { RuntimeConfig } from '../../cloudfunctions/kit/action';
import { ed25519Signer } from '../../cloudfunctions/kit/signer';
import type { Store } from '../../cloudfunctions/kit/store/port';
import type { LookupCtx } from '../../cloudfunctions/verify/actions';
import { testSigningKey } from './runtime';

/** What `lookupCertificate` needs, for a test: an anonymous scanner unless told otherwise. */
export function lookupCtx(
  store: Store,
  now: () => Date,
  extra: Partial<LookupCtx> = {},
): LookupCtx {
  const config: RuntimeConfig = {
    publicBaseUrl: 'https://hgz.example.cn',
    identitySecret: 'test-identity-secret',
    signingKey: testSigningKey,
  };
  return { store, now, config, signer: ed25519Signer(config.signingKey), ...extra };
}
