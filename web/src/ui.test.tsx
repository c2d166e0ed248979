import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { ConfirmButton, ConfirmDialog, Field, FormErrors } from './ui';

const error = new ApiError([
  { message: 'Alibaba Cloud account ID must be exactly 16 digits', code: 'BAD_USER_INPUT', field: 'params.accountId' },
  { message: 'the instance is gone', code: 'NOT_FOUND' },
]);

describe('Field', () => {
  it('shows the error the API names for its input, and only that one', () => {
    render(
      <>
        <Field label="Account ID" name="params.accountId" error={error}>
          {(a) => <input {...a} />}
        </Field>
        <Field label="Name" name="name" error={error}>
          {(a) => <input {...a} />}
        </Field>
      </>,
    );
    const input = screen.getByLabelText('Account ID');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Alibaba Cloud account ID must be exactly 16 digits');
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('leaves errors no field claims to the form', () => {
    render(<FormErrors error={error} fields={['params.accountId']} />);
    expect(screen.getByRole('alert')).toHaveTextContent('the instance is gone');
    expect(screen.getByRole('alert')).not.toHaveTextContent('16 digits');
  });
});

describe('ConfirmButton', () => {
  it('acts only after confirmation', async () => {
    const onConfirm = vi.fn();
    const user = userEvent.setup();
    render(<ConfirmButton label="Delete" question="Delete Acme?" onConfirm={onConfirm} />);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByRole('group', { name: 'Delete Acme?' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('is cancelled with Escape, and focus starts on Cancel', async () => {
    const onConfirm = vi.fn();
    const user = userEvent.setup();
    render(<ConfirmButton label="Revoke" question="Revoke it?" onConfirm={onConfirm} />);
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
    expect(onConfirm).not.toHaveBeenCalled();
  });
});

describe('ConfirmDialog', () => {
  function dialog(props: { onConfirm?: () => void; onClose?: () => void; error?: ApiError } = {}) {
    return (
      <ConfirmDialog
        title="Reset it?"
        confirmLabel="Reset"
        pendingLabel="Resetting…"
        pending={false}
        error={props.error}
        onConfirm={props.onConfirm ?? vi.fn()}
        onClose={props.onClose ?? vi.fn()}
      >
        <p>It cannot be undone.</p>
      </ConfirmDialog>
    );
  }

  it('says what will happen, starts on Cancel, keeps focus inside and closes with Escape', async () => {
    const onClose = vi.fn();
    const onConfirm = vi.fn();
    const user = userEvent.setup();
    render(dialog({ onClose, onConfirm }));
    const shown = screen.getByRole('alertdialog', { name: 'Reset it?' });
    expect(shown).toHaveAttribute('aria-modal', 'true');
    expect(shown).toHaveAccessibleDescription('It cannot be undone.');
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(cancel).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Reset' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(cancel).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("shows the action's error in itself", () => {
    render(dialog({ error }));
    expect(screen.getByRole('alertdialog')).toContainElement(screen.getByRole('alert'));
    expect(screen.getByRole('alert')).toHaveTextContent('the instance is gone');
  });
});
