// The state of a form: its values, its submission (busy while it runs) and the error it ended
// with, for Field and FormErrors to show next to the inputs at fault.
import { useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from './api';

/** The keys of `V` whose values are text (or a union of string literals). */
type TextKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V];

export function useForm<V extends object, R>(options: {
  initial: V;
  /** Sends the values, e.g. `(values) => request(CreateGroup, { input: values })`. */
  submit: (values: V) => Promise<R>;
  /** After a submission that did not throw. */
  onSuccess?: (result: R, values: V) => void;
}) {
  const [values, setValues] = useState(options.initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  function set<K extends keyof V>(key: K, value: V[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }
  return {
    values,
    /** True while the submission runs: the submit button is disabled meanwhile. */
    pending,
    /** Why the last submission failed (cleared when the next one starts). */
    error,
    set,
    /** `value` and `onChange` for an input, select or textarea of a text value. */
    bind<K extends TextKeys<V>>(key: K) {
      return {
        value: values[key] as string,
        onChange: (e: { target: { value: string } }) => set(key, e.target.value as V[K]),
      };
    },
    /** Back to the initial values, without an error. */
    reset() {
      setValues(options.initial);
      setError(undefined);
    },
    /** The form's `onSubmit`. */
    async onSubmit(event?: FormEvent) {
      event?.preventDefault();
      setPending(true);
      setError(undefined);
      let result: R;
      try {
        result = await options.submit(values);
      } catch (e) {
        setError(toApiError(e));
        return;
      } finally {
        setPending(false);
      }
      options.onSuccess?.(result, values);
    },
  };
}
