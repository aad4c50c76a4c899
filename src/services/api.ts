import type { OwnCertificate } from '../../cloudfunctions/certificate/actions';
import type { OwnSubject } from '../../cloudfunctions/subject/actions';
import type { Me } from '../../cloudfunctions/user/actions';
import type { VerifyResult } from '../../cloudfunctions/verify/actions';
import type { IssueCertificateInput } from '../domain/certificate';
import type { SubjectRegistration } from '../domain/subject';
import { call } from './transport';

export { ApiError, asApiError } from './api-error';
export type { OwnCertificate, OwnSubject, Me, VerifyResult };

/** The cloud functions' actions, typed from their declarations. */
export const api = {
  subject: {
    register: (input: SubjectRegistration) => call<OwnSubject>('subject', 'register', input),
    mine: () => call<OwnSubject[]>('subject', 'mine', {}),
  },
  certificate: {
    /** Idempotent on input.requestId: a retry returns the certificate issued the first time. */
    issue: (input: IssueCertificateInput) => call<OwnCertificate[]>('certificate', 'issue', input),
    mine: (input: { subjectId?: string } = {}) =>
      call<OwnCertificate[]>('certificate', 'mine', input),
    get: (code: string) => call<OwnCertificate>('certificate', 'get', { code }),
  },
  verify: {
    lookup: (code: string) => call<VerifyResult>('verify', 'lookup', { code }),
  },
  user: {
    me: () => call<Me>('user', 'me', {}),
  },
};
