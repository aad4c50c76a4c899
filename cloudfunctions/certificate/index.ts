import { cloudbaseMain } from '../kit/cloudbase-main';
import { certificateFunction } from './actions';

/** The CloudBase entry of the certificate function (handler `index.main`). */
export const main = cloudbaseMain(certificateFunction);
