/** 总结正文 — the street office's own words, added to the drafted figures before submitting. */
import { Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { narrativeSchema, type Narrative } from '@/domain/report';
import { asApiError } from '@/services/api';
import { reportApi, type SummaryDocView } from '@/services/report-api';
import { BigButton } from '@/ui/Button';
import { Field } from '@/ui/Field';
import { errorsAt, fieldErrorsFromIssues } from '@/ui/field-errors';
import { FormMessage } from '@/ui/Notice';

const parts: { key: keyof Narrative; label: string; placeholder: string }[] = [
  { key: 'experience', label: '工作经验和做法', placeholder: '本期推行合格证的主要做法和成效' },
  { key: 'problems', label: '存在的问题', placeholder: '推行中遇到的困难和问题' },
  { key: 'suggestions', label: '下一步打算和建议', placeholder: '下一步工作打算，对区局的建议' },
];

/**
 * The narrative form of a draft (ids `sum-<part>` and `sum-submit`); calls onSubmitted with the
 * submitted document.
 */
export function NarrativeForm({
  id,
  onSubmitted,
}: {
  id: string;
  onSubmitted: (doc: SummaryDocView) => void;
}) {
  const [text, setText] = useState<Narrative>({ experience: '', problems: '', suggestions: '' });
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (busy) return;
    const parsed = narrativeSchema.safeParse(text);
    if (!parsed.success) {
      setFields(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setFields({});
    setMessage('');
    setBusy(true);
    try {
      onSubmitted(await reportApi.submitSummary(id, parsed.data));
    } catch (e) {
      const error = asApiError(e);
      setFields(error.fields ?? {});
      setMessage(error.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View>
      {parts.map((p) => (
        <Field
          key={p.key}
          name={`sum-${p.key}`}
          label={p.label}
          errors={errorsAt(fields, `narrative.${p.key}`, p.key)}
        >
          <Textarea
            id={`sum-${p.key}`}
            className="rp-textarea"
            value={text[p.key]}
            maxlength={3000}
            autoHeight
            placeholder={p.placeholder}
            placeholderClass="ui-placeholder"
            onInput={(e) => setText((t) => ({ ...t, [p.key]: e.detail.value }))}
          />
        </Field>
      ))}
      <FormMessage messages={message ? [message] : []} />
      <BigButton id="sum-submit" disabled={busy} onClick={submit}>
        {busy ? '正在报送…' : '报送总结'}
      </BigButton>
    </View>
  );
}

/** A submitted summary's narrative, read back. */
export function NarrativeView({ doc }: { doc: SummaryDocView }) {
  return (
    <View id={`sum-narrative-${doc.divisionCode}`}>
      {parts.map((p) => (
        <View key={p.key}>
          <Text className="rp-item__title">{p.label}</Text>
          <Text className="rp-item__line">{doc.narrative[p.key] || '（未填写）'}</Text>
        </View>
      ))}
    </View>
  );
}
