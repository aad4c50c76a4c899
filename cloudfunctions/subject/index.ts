import { cloudbaseMain } from '../kit/cloudbase-main';
import { subjectFunction } from './actions';

/** The CloudBase entry of the subject function (handler `index.main`). */
export const main = cloudbaseMain(subjectFunction);
