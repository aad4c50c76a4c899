import { cloudbaseMain } from '../kit/cloudbase-main';
import { directoryFunction } from './actions';

/** The CloudBase entry of the directory function (handler `index.main`). */
export const main = cloudbaseMain(directoryFunction);
