import { cloudbaseMain } from '../kit/cloudbase-main';
import { verifyFunction } from './actions';

/** The CloudBase entry of the verify function (handler `index.main`). */
export const main = cloudbaseMain(verifyFunction);
