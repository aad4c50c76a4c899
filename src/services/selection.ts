import Taro from '@tarojs/taro';

const SUBJECT_KEY = 'hgz.subject';

/** The subject a producer with several last chose (home and issue page agree on it). */
export function selectedSubjectId(): string {
  try {
    const stored: unknown = Taro.getStorageSync(SUBJECT_KEY);
    return typeof stored === 'string' ? stored : '';
  } catch {
    return '';
  }
}

export function selectSubject(subjectId: string): void {
  try {
    Taro.setStorageSync(SUBJECT_KEY, subjectId);
  } catch {
    // Storage full or unavailable: the first subject is used instead, which is fine.
  }
}

/** The chosen subject among `subjects`, else the first. */
export function pickSubject<T extends { _id: string }>(subjects: readonly T[]): T | undefined {
  const id = selectedSubjectId();
  return subjects.find((s) => s._id === id) ?? subjects[0];
}
