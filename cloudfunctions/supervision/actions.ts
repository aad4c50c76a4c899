/**
 * 监管 — the supervision function: patrols, sampling, key supervision, rectification, the
 * supervisor's work list, and stations with their stars. Each concern lives in its own file;
 * this is the table the runtime dispatches on.
 */
import { cloudFunction } from '../kit/action';
import { keySupervisionActions } from './key-supervision';
import { patrolActions } from './patrols';
import { photoActions } from './photos';
import { rectificationActions } from './rectifications';
import { sampleActions } from './samples';
import { stationActions } from './stations';
import { workListActions } from './work-list';

export const supervisionFunction = cloudFunction('supervision', {
  ...photoActions,
  ...patrolActions,
  ...sampleActions,
  ...rectificationActions,
  ...keySupervisionActions,
  ...workListActions,
  ...stationActions,
});

export type { PatrolView } from './patrols';
export type { PhotoLink, UploadedPhoto } from './photos';
export type { SampleOutcome } from './samples';
export type { RectificationDetail, RectificationView } from './rectifications';
export type { KeyListItem, KeyPlacement } from './key-supervision';
export type { SamplingDueItem, WorkList, WorkListSection } from './work-list';
export type { StationsResult, StationView } from './stations';
