/**
 * The session's part of the world: read narrowly (only its divisions' subjects or staff), it
 * addresses exactly whom the whole world would, for every audience and choice of divisions.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionAddressees } from '../../../cloudfunctions/outreach/dispatch';
import {
  divisionsReached,
  loadSessionWorld,
  loadWorld,
} from '../../../cloudfunctions/outreach/world';
import { openSqliteStore } from '../../../cloudfunctions/kit/store/sqlite';
import { districtCode, isWithinDivision, lianyunDivisions } from '../../../src/domain/division';
import {
  selectSessionAudience,
  trainingAudienceCodes,
  type TrainingSession,
} from '../../../src/domain/outreach';
import { productCategoryCodes } from '../../../src/domain/product-category';
import { roleCodes, type User } from '../../../src/domain/role';
import { subjectStatusCodes, subjectTypes, type Subject } from '../../../src/domain/subject';

const codes = lianyunDivisions.map((d) => d.code);
const streets = codes.filter((c) => c !== districtCode);
const xugou = '320703001';
const liandao = '320703003';

const subjectArb = fc.record({
  ownerId: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', ''),
  divisionCode: fc.constantFrom(...streets.slice(0, 4)),
  status: fc.constantFrom(...subjectStatusCodes),
  type: fc.constantFrom(...(Object.keys(subjectTypes) as Subject['type'][])),
  products: fc.subarray(['青菜', '苹果', '鸡蛋', '茶叶', '大米'], { minLength: 1 }),
});
const userArb = fc.record({
  roles: fc.subarray(roleCodes, { minLength: 1, maxLength: 2 }),
  divisionCode: fc.option(fc.constantFrom(districtCode, ...streets.slice(0, 4), '999999999'), {
    nil: null,
  }),
});
const sessionArb = fc.record({
  audience: fc.constantFrom(...trainingAudienceCodes),
  productCategory: fc.option(fc.constantFrom(...productCategoryCodes), { nil: null }),
  divisionCodes: fc.option(fc.subarray([districtCode, ...streets.slice(0, 5)]), { nil: null }),
});

describe('divisionsReached', () => {
  it('is null (no narrowing) when the district as a whole is addressed', () => {
    expect(divisionsReached(null)).toBeNull();
    expect(divisionsReached([xugou, districtCode])).toBeNull();
  });
  it('is the streets themselves when streets are addressed', () => {
    expect(divisionsReached([liandao, xugou])?.sort()).toEqual([xugou, liandao]);
    expect(divisionsReached([])).toEqual([]);
  });
});

describe("a session's world", () => {
  it('addresses exactly whom the whole world would, and reads only its divisions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(subjectArb, { maxLength: 12 }),
        fc.array(userArb, { maxLength: 10 }),
        sessionArb,
        async (subjects, users, session) => {
          const dir = mkdtempSync(join(tmpdir(), 'hgz-session-world-'));
          const store = openSqliteStore({ file: join(dir, 'test.db') });
          try {
            const subjectDocs = store.collection<Subject>('subjects');
            for (const [i, s] of subjects.entries()) {
              await subjectDocs.insert({ _id: `s${i}`, name: `主体${i}`, ...s } as Subject);
            }
            const userDocs = store.collection<User>('users');
            for (const [i, u] of users.entries()) {
              await userDocs.insert({ _id: `staff${i}`, nickname: `人${i}`, ...u } as User);
            }
            const ctx = { store };
            const whole = selectSessionAudience(session, await loadWorld(ctx));
            const { world, addressed } = await sessionAddressees(ctx, session);
            expect(addressed).toEqual(whole);

            const narrow = await loadSessionWorld(
              ctx,
              session as Pick<TrainingSession, 'audience' | 'divisionCodes'>,
            );
            // Addressing the whole district reads everything; a street reads only its own.
            const covered = (code: string) =>
              divisionsReached(session.divisionCodes) === null ||
              session.divisionCodes!.some((c) => isWithinDivision(lianyunDivisions, code, c));
            expect(world.subjects.length).toBe(narrow.subjects.length);
            for (const s of narrow.subjects) expect(covered(s.divisionCode)).toBe(true);
            for (const u of narrow.users)
              expect(covered(u.divisionCode ?? districtCode)).toBe(true);
            if (session.audience === 'producers') expect(narrow.users).toEqual([]);
            else expect(narrow.subjects).toEqual([]);
          } finally {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
