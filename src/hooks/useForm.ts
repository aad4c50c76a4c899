import { useRef, useState } from 'react';
import { defaultErrorMessages, type FieldErrors } from '../domain/errors';
import { asApiError } from '../services/api';
import { errorsAt, errorsElsewhere } from '../ui/field-errors';
import { scrollToFirstError } from '../ui/scroll';

/** What a form's pure check gives: the input to send, or the errors by field path. */
export type Checked<T> = { ok: true; input: T } | { ok: false; fields: FieldErrors };

/**
 * The fields a form shows, in page order: a name (its wrapper is `field-<name>`, and it shows the
 * errors at that path), or a name with the error paths it shows.
 */
export type ShownFields = readonly (string | readonly [name: string, paths: readonly string[]])[];

/**
 * A form's errors: under their fields (`err`), forgotten as a field is edited (`clear`), or
 * shown all at once (`showErrors`: the first field with one scrolled into view, those no field
 * shows as the message under the button).
 */
export function useFieldErrors(shown: ShownFields) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);

  const fields = shown.map((f) => (typeof f === 'string' ? ([f, [f]] as const) : f));
  const pathsOf = (name: string) => fields.find(([n]) => n === name)?.[1] ?? [name];

  function clear(...names: string[]) {
    const paths = names.flatMap(pathsOf);
    setErrors((prev) => {
      const next = { ...prev };
      for (const p of Object.keys(next)) {
        if (paths.some((k) => p === k || p.startsWith(`${k}.`))) delete next[p];
      }
      return next;
    });
  }

  function showErrors(found: FieldErrors, summary: string) {
    setErrors(found);
    setMessage([
      summary,
      ...errorsElsewhere(
        found,
        fields.flatMap(([, paths]) => paths),
      ),
    ]);
    scrollToFirstError(
      fields.filter(([, paths]) => errorsAt(found, ...paths).length > 0).map(([name]) => name),
    );
  }

  return {
    errors,
    setErrors,
    message,
    setMessage,
    /** The messages of these fields (a name not in the list is a path) and anything under them. */
    err: (...names: string[]) => errorsAt(errors, ...names.flatMap(pathsOf)),
    clear,
    showErrors,
  };
}

/**
 * A form's state and its one way to submit: editing clears the errors; a failed check or the
 * server's field errors land under their fields, the rest under the button; a second tap while
 * sending does nothing.
 */
export function useForm<F>(initial: F | (() => F), shown: ShownFields) {
  const [form, setForm] = useState<F>(initial);
  const { errors, setErrors, message, setMessage, err, showErrors } = useFieldErrors(shown);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  function update(next: (f: F) => F) {
    setForm(next);
    setErrors({});
    setMessage([]);
  }

  /** Checks, then sends (once at a time). */
  async function submit<I>(check: () => Checked<I>, send: (input: I) => Promise<void>) {
    if (busyRef.current) return;
    const checked = check();
    if (!checked.ok) {
      showErrors(checked.fields, defaultErrorMessages.INVALID_INPUT);
      return;
    }
    busyRef.current = true;
    setBusy(true);
    try {
      await send(checked.input);
    } catch (e) {
      const error = asApiError(e);
      if (error.fields) showErrors(error.fields, error.message);
      else setMessage([error.message]);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  return { form, update, errors, setErrors, message, setMessage, busy, err, submit };
}
