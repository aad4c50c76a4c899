import { cloudbaseMain } from '../kit/cloudbase-main';
import { userFunction } from './actions';

/** The CloudBase entry of the user function (handler `index.main`). */
export const main = cloudbaseMain(userFunction);
