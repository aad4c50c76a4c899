import { cloudbaseMain } from '../kit/cloudbase-main';
import { supervisionFunction } from './actions';

/** The CloudBase entry of the supervision function (handler `index.main`). */
export const main = cloudbaseMain(supervisionFunction);
