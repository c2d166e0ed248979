// Small building blocks shared by the pages: fields that show the API's error for their input,
// loading/empty/error states, a confirmation step before destructive actions.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from './api';

export function Field(props: {
  label: string;
  /** The API's name for this input (`extensions.field`), e.g. `name` or `params.accountId`. */
  name: string;
  error?: ApiError;
  hint?: ReactNode;
  children: (attrs: {
    id: string;
    name: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const id = useId();
  const message = props.error?.fieldMessage(props.name);
  const describedBy = [message ? `${id}-error` : '', props.hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={message ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        name: props.name,
        'aria-invalid': Boolean(message),
        'aria-describedby': describedBy || undefined,
      })}
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
      {message && (
        <small id={`${id}-error`} className="field-error" role="alert">
          {message}
        </small>
      )}
    </div>
  );
}

/** Errors of a form that no field of it claims. */
export function FormErrors({ error, fields }: { error?: ApiError; fields: string[] }) {
  if (!error) return null;
  const messages = error.otherMessages(fields);
  if (!messages.length) return null;
  return (
    <div className="alert alert-error" role="alert">
      {messages.map((m, i) => (
        <p key={i}>{m}</p>
      ))}
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error?: ApiError; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('tryAgain')}
        </button>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t('loading')}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/**
 * A button that asks before it acts: the first press shows what will happen with Confirm and
 * Cancel (focus moves to Cancel, Escape cancels).
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<unknown>;
  disabled?: boolean;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        className={props.danger === false ? '' : 'danger'}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span
      className="confirm"
      role="group"
      aria-label={props.question}
      onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}
    >
      <span className="confirm-question">{props.question}</span>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {busy ? t('working') : (props.confirmLabel ?? t('confirmDefault', { action: props.label.toLowerCase() }))}
      </button>
      <button type="button" ref={cancelRef} onClick={() => setAsking(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}

/**
 * A modal question before an action that cannot be undone: what will happen (`children`), the
 * action and Cancel. Focus starts on Cancel and stays inside the dialog (Tab wraps around);
 * Escape or Cancel closes it. The action's error is shown in it, and it stays open then.
 * Whoever opened it takes focus back when it closes (`onClose`).
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error?: ApiError;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="overlay">
      <div
        ref={dialogRef}
        className="card dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !props.pending) {
            e.stopPropagation();
            props.onClose();
          } else if (e.key === 'Tab') {
            const focusable = Array.from(
              dialogRef.current?.querySelectorAll<HTMLElement>('button:not(:disabled), a[href], input, select, textarea') ?? [],
            );
            const first = focusable[0];
            const last = focusable[focusable.length - 1];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <h2 id={`${id}-title`}>{props.title}</h2>
        <div id={`${id}-body`}>{props.children}</div>
        <ErrorBanner error={props.error} />
        <div className="buttons">
          <button type="button" className="danger" disabled={props.pending} onClick={props.onConfirm}>
            {props.pending ? props.pendingLabel : props.confirmLabel}
          </button>
          <button type="button" ref={cancelRef} disabled={props.pending} onClick={props.onClose}>
            {t('cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}

export { formatTime } from './i18n';

/**
 * Copies `text`; where the browser has no clipboard for this page (plain HTTP) or refuses, the
 * field is selected for copying by hand. Says which it was.
 */
export async function copy(text: string, field: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.focus();
    field?.select();
    return false;
  }
}

/** A notice that disappears after a while; for "Saved." and the like. */
export function useFlash(): [string | undefined, (message: string) => void] {
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(undefined), 4000);
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage];
}

export function Flash({ message }: { message?: string }) {
  return (
    <p className="flash" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}
