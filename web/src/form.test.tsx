import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request } from './api';
import { useForm } from './form';
import { graphql } from './gql';
import { Field, FormErrors } from './ui';

const CreateGroup = graphql(`
  mutation TestCreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      group {
        id
        name
      }
    }
  }
`);

type Created = { createGroup: { group: { id: string; name: string } } };

function GroupForm({
  submit,
  onSuccess,
}: {
  submit: (values: { name: string; description: string }) => Promise<Created>;
  onSuccess: (result: Created) => void;
}) {
  const form = useForm({
    initial: { name: '', description: '' },
    submit,
    onSuccess: (result: Created) => {
      form.reset();
      onSuccess(result);
    },
  });
  return (
    <form onSubmit={form.onSubmit} aria-label="New group">
      <FormErrors error={form.error} fields={['name', 'description']} />
      <Field label="Name" name="name" error={form.error}>
        {(a) => <input {...a} {...form.bind('name')} />}
      </Field>
      <Field label="Description" name="description" error={form.error}>
        {(a) => <input {...a} {...form.bind('description')} />}
      </Field>
      <button type="submit" disabled={form.pending}>
        {form.pending ? 'Creating…' : 'Create'}
      </button>
    </form>
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('useForm', () => {
  it("shows the server's errors at the inputs at fault and keeps what was typed", async () => {
    const fetch = vi.fn(
      async (_url: string, _init: RequestInit) =>
        new Response(
          JSON.stringify({
            data: null,
            errors: [
              { message: 'a group named "Ops" exists already', extensions: { code: 'CONFLICT', field: 'name' } },
              { message: 'the instance is read-only', extensions: { code: 'FORBIDDEN' } },
            ],
          }),
        ),
    );
    vi.stubGlobal('fetch', fetch);
    const onSuccess = vi.fn();
    const user = userEvent.setup();
    render(
      <GroupForm submit={(values) => request(CreateGroup, { input: { instanceId: 'i1', ...values } })} onSuccess={onSuccess} />,
    );
    await user.type(screen.getByLabelText('Name'), 'Ops');
    await user.type(screen.getByLabelText('Description'), 'on call');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    const name = screen.getByLabelText('Name');
    expect(await screen.findByText('a group named "Ops" exists already')).toHaveAttribute('role', 'alert');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('a group named "Ops" exists already');
    expect(name).toHaveValue('Ops');
    expect(screen.getByLabelText('Description')).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByText('the instance is read-only').closest('[role=alert]')).toHaveClass('alert-error');
    expect(JSON.parse(String(fetch.mock.calls[0]![1].body)).variables).toEqual({
      input: { instanceId: 'i1', name: 'Ops', description: 'on call' },
    });
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it('disables submit while busy, then hands over the result', async () => {
    let answer: (value: Created) => void = () => {};
    const submit = vi.fn(() => new Promise<Created>((resolve) => (answer = resolve)));
    const onSuccess = vi.fn();
    const user = userEvent.setup();
    render(<GroupForm submit={submit} onSuccess={onSuccess} />);
    await user.type(screen.getByLabelText('Name'), 'Ops');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    const busy = screen.getByRole('button', { name: 'Creating…' });
    expect(busy).toBeDisabled();
    expect(submit).toHaveBeenCalledWith({ name: 'Ops', description: '' });
    await user.click(busy);
    expect(submit).toHaveBeenCalledTimes(1);

    answer({ createGroup: { group: { id: 'g1', name: 'Ops' } } });
    expect(await screen.findByRole('button', { name: 'Create' })).toBeEnabled();
    expect(onSuccess).toHaveBeenCalledWith({ createGroup: { group: { id: 'g1', name: 'Ops' } } });
    expect(screen.getByLabelText('Name')).toHaveValue('');
  });

  it('clears the last error when submitted again', async () => {
    const submit = vi
      .fn<(values: { name: string; description: string }) => Promise<Created>>()
      .mockRejectedValueOnce(new ApiError([{ message: 'name is required', code: 'BAD_USER_INPUT', field: 'name' }]))
      .mockResolvedValueOnce({ createGroup: { group: { id: 'g1', name: 'Ops' } } });
    const onSuccess = vi.fn();
    const user = userEvent.setup();
    render(<GroupForm submit={submit} onSuccess={onSuccess} />);
    const form = screen.getByRole('form', { name: 'New group' });
    await user.click(within(form).getByRole('button', { name: 'Create' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('name is required');
    await user.type(screen.getByLabelText('Name'), 'Ops');
    await user.click(within(form).getByRole('button', { name: 'Create' }));
    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a thrown error that is not from the API by its message', async () => {
    const user = userEvent.setup();
    render(<GroupForm submit={() => Promise.reject(new Error('Sign-in failed.'))} onSuccess={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Sign-in failed\.$/);
  });
});
