import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { divisionName, lianyunDivisions } from '@/domain/division';
import type { FieldErrors } from '@/domain/errors';
import { subjectStatuses, subjectTypes } from '@/domain/subject';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt } from '@/ui/field-errors';
import { ErrorNotice, Loading } from '@/ui/Notice';

/** The subject a form is about: from the list, or passed in by the page that opened it. */
export interface ChosenSubject {
  _id: string;
  name: string;
}

/**
 * 选择主体 — the division's subjects, found by part of the name as it is typed. Once one is chosen
 * only its name shows, with 换一个 to choose again. Ids: input `<prefix>-subject-q`, chips
 * `<prefix>-subject-<id>`, `<prefix>-subject-none`; `<prefix>-subject-chosen`,
 * `<prefix>-subject-change`.
 */
export function SubjectPicker({
  prefix,
  chosen,
  onChoose,
}: {
  prefix: string;
  chosen: ChosenSubject | null;
  onChoose: (s: ChosenSubject | null) => void;
}) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  // Searched a moment after the typing stops, not at every character.
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  const { state, reload } = useRemote(
    () => (chosen ? Promise.resolve([]) : api.subject.division(query ? { q: query } : {})),
    [query, chosen === null],
  );

  if (chosen) {
    return (
      <View className="sv-chosen">
        <Text id={`${prefix}-subject-chosen`} className="sv-chosen__name">
          {chosen.name}
        </Text>
        <View
          id={`${prefix}-subject-change`}
          className="sv-link-button"
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => onChoose(null)}
        >
          <Text>换一个</Text>
        </View>
      </View>
    );
  }
  return (
    <View>
      <TextInput
        id={`${prefix}-subject-q`}
        value={q}
        onChange={setQ}
        placeholder="输入主体名称查找"
        maxlength={40}
      />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <Text id={`${prefix}-subject-none`} className="sv-none muted">
          {query ? `没有名称含“${query}”的主体` : '辖区内还没有登记的主体'}
        </Text>
      ) : null}
      {state.status === 'ok' ? (
        <ChipGroup wide>
          {state.data.map((s) => (
            <Chip
              key={s._id}
              id={`${prefix}-subject-${s._id}`}
              selected={false}
              onClick={() => onChoose({ _id: s._id, name: s.name })}
            >
              {s.name} · {subjectTypes[s.type]} · {divisionName(lianyunDivisions, s.divisionCode)}
              {s.status === 'registered' || s.status === 'approved'
                ? ''
                : ` · ${subjectStatuses[s.status]}`}
            </Chip>
          ))}
        </ChipGroup>
      ) : null}
    </View>
  );
}

/** The form's 主体 field (`field-subjectId`): the picker with the errors under it. */
export function SubjectField({
  label,
  errors,
  ...picker
}: {
  prefix: string;
  label: string;
  errors: FieldErrors;
  chosen: ChosenSubject | null;
  onChoose: (s: ChosenSubject | null) => void;
}) {
  return (
    <Field name="subjectId" label={label} errors={errorsAt(errors, 'subjectId')}>
      <SubjectPicker {...picker} />
    </Field>
  );
}
