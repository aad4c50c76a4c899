import { cloudbaseMain } from '../kit/cloudbase-main';
import { reportFunction } from './actions';

/** CloudBase entry point of the report function. */
export const main = cloudbaseMain(reportFunction);
