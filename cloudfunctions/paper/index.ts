import { cloudbaseMain } from '../kit/cloudbase-main';
import { paperFunction } from './actions';

/** The CloudBase entry of the paper-forms function (handler `index.main`). */
export const main = cloudbaseMain(paperFunction);
