import { cloudbaseMain } from '../kit/cloudbase-main';
import { printFunction } from './actions';

/** The CloudBase entry of the print function (handler `index.main`). */
export const main = cloudbaseMain(printFunction);
