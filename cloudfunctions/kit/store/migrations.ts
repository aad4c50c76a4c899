/**
 * Schema migrations for the SQLite adapter, applied in order by `openSqliteStore`.
 *
 * A migration, once released, never changes: a database that already recorded it will not run it
 * again, so a correction is a new migration with the next version. That is also why migration 1
 * spells out its tables instead of deriving them from `collectionNames` — adding a collection to the
 * port must come with a new migration here (a test checks that every collection has its table).
 */

export interface Migration {
  /** Strictly increasing, starting at 1. */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}

/** One table per collection: the whole document as JSON, `_id` included, keyed by `_id`. */
const documentTable = (name: string): string =>
  `CREATE TABLE ${name} (_id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL CHECK (json_valid(doc)));`;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'collections',
    up: [
      ...['users', 'sessions', 'subjects', 'certificates', 'requests', 'counters', 'audit'].map(
        documentTable,
      ),
      // Expression indexes match only when the query spells the same expression, so the adapter
      // writes `json_extract(doc, '$.field')` with the path inline, exactly as here.
      `CREATE INDEX subjects_owner_id ON subjects (json_extract(doc, '$.ownerId'));`,
      `CREATE INDEX certificates_subject_id ON certificates (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX certificates_issued_at ON certificates (json_extract(doc, '$.issuedAt'));`,
      `CREATE INDEX sessions_user_id ON sessions (json_extract(doc, '$.userId'));`,
      `CREATE INDEX audit_entity_id ON audit (json_extract(doc, '$.entityId'));`,
    ].join('\n'),
  },
  {
    version: 2,
    name: 'certificates-done-right',
    up: [
      ...['subjectDefaults', 'testRecords', 'scans', 'formRanges', 'paperSerials', 'files'].map(
        documentTable,
      ),
      `CREATE INDEX test_records_subject_id ON testRecords (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX scans_code ON scans (json_extract(doc, '$.code'));`,
      `CREATE INDEX form_ranges_subject_id ON formRanges (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX paper_serials_subject_id ON paperSerials (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX certificates_status ON certificates (json_extract(doc, '$.status'));`,
    ].join('\n'),
  },
  {
    version: 3,
    name: 'supervision',
    up: [
      ...[
        'invitations',
        'marketEntries',
        'samples',
        'patrols',
        'keySupervision',
        'rectifications',
        'stations',
      ].map(documentTable),
      `CREATE INDEX market_entries_market ON marketEntries (json_extract(doc, '$.marketSubjectId'));`,
      `CREATE INDEX market_entries_code ON marketEntries (json_extract(doc, '$.certificateCode'));`,
      `CREATE INDEX samples_subject_id ON samples (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX samples_division ON samples (json_extract(doc, '$.divisionCode'));`,
      `CREATE INDEX patrols_subject_id ON patrols (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX patrols_division ON patrols (json_extract(doc, '$.divisionCode'));`,
      `CREATE INDEX rectifications_subject_id ON rectifications (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX rectifications_division ON rectifications (json_extract(doc, '$.divisionCode'));`,
      `CREATE INDEX subjects_division ON subjects (json_extract(doc, '$.divisionCode'));`,
      `CREATE INDEX subjects_fingerprint ON subjects (json_extract(doc, '$.identityFingerprint'));`,
      `CREATE INDEX scans_at ON scans (json_extract(doc, '$.at'));`,
    ].join('\n'),
  },
  {
    version: 4,
    name: 'directory',
    up: [
      ...['importBatches', 'subjectMerges', 'dormancyChecks'].map(documentTable),
      `CREATE INDEX market_entries_subject_id ON marketEntries (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX samples_market_subject ON samples (json_extract(doc, '$.marketSubjectId'));`,
    ].join('\n'),
  },
  {
    version: 5,
    name: 'report',
    up: [
      ...['summaries', 'statements'].map(documentTable),
      `CREATE INDEX summaries_period ON summaries (json_extract(doc, '$.period'));`,
      `CREATE INDEX statements_subject_id ON statements (json_extract(doc, '$.subjectId'));`,
      `CREATE INDEX market_entries_division ON marketEntries (json_extract(doc, '$.divisionCode'));`,
      `CREATE INDEX key_supervision_division ON keySupervision (json_extract(doc, '$.divisionCode'));`,
    ].join('\n'),
  },
  {
    version: 6,
    name: 'outreach',
    up: [
      ...[
        'outreachItems',
        'deliveries',
        'consents',
        'pushes',
        'outbox',
        'trainingSessions',
        'trainingAttendance',
      ].map(documentTable),
      `CREATE INDEX outreach_items_status ON outreachItems (json_extract(doc, '$.status'));`,
      `CREATE INDEX deliveries_item_id ON deliveries (json_extract(doc, '$.itemId'));`,
      `CREATE INDEX deliveries_user_id ON deliveries (json_extract(doc, '$.userId'));`,
      `CREATE INDEX consents_user_id ON consents (json_extract(doc, '$.userId'));`,
      `CREATE INDEX pushes_item_id ON pushes (json_extract(doc, '$.itemId'));`,
      `CREATE INDEX outbox_user_id ON outbox (json_extract(doc, '$.userId'));`,
      `CREATE INDEX training_sessions_status ON trainingSessions (json_extract(doc, '$.status'));`,
      `CREATE INDEX training_attendance_session ON trainingAttendance (json_extract(doc, '$.sessionId'));`,
      `CREATE INDEX training_attendance_user ON trainingAttendance (json_extract(doc, '$.userId'));`,
      `CREATE INDEX subjects_status ON subjects (json_extract(doc, '$.status'));`,
    ].join('\n'),
  },
  {
    version: 7,
    name: 'scans-by-label',
    up: [
      // A label's recent scans (copy detection, on every verification) are read by code, label
      // and time: one index finds exactly that label's scans, where `scans_code` led through every
      // scan of every label of the certificate (10,000 of them for a large per-package one).
      // Lookups by code alone use the same index's first column, so scans_code goes.
      `CREATE INDEX scans_code_label_at ON scans (json_extract(doc, '$.code'), json_extract(doc, '$.label'), json_extract(doc, '$.at'));`,
      `DROP INDEX scans_code;`,
    ].join('\n'),
  },
];
