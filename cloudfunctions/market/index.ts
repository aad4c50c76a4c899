import { cloudbaseMain } from '../kit/cloudbase-main';
import { marketFunction } from './actions';

/** The CloudBase entry of the market function (handler `index.main`). */
export const main = cloudbaseMain(marketFunction);
