import { certificateFunction } from './certificate/actions';
import { directoryFunction } from './directory/actions';
import type { CloudFunction } from './kit/action';
import { marketFunction } from './market/actions';
import { outreachFunction } from './outreach/actions';
import { paperFunction } from './paper/actions';
import { printFunction } from './print/actions';
import { reportFunction } from './report/actions';
import { subjectFunction } from './subject/actions';
import { supervisionFunction } from './supervision/actions';
import { userFunction } from './user/actions';
import { verifyFunction } from './verify/actions';

/** Every cloud function, by the name it is deployed and called under. */
export const functions: Record<string, CloudFunction> = {
  subject: subjectFunction,
  certificate: certificateFunction,
  verify: verifyFunction,
  user: userFunction,
  paper: paperFunction,
  print: printFunction,
  market: marketFunction,
  supervision: supervisionFunction,
  directory: directoryFunction,
  report: reportFunction,
  outreach: outreachFunction,
};
