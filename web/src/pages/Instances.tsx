import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import type { SecondFactor } from '../gql/graphql';
import {
  ConfirmButton,
  Empty,
  ErrorBanner,
  Field,
  Flash,
  FormErrors,
  Loading,
  Pager,
  formatTime,
  useFlash,
  usePager,
} from '../ui';

const InstancesQuery = graphql(`
  query Instances($after: String) {
    instances(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        description
        secondFactor
        createdAt
      }
    }
  }
`);

const CreateInstance = graphql(`
  mutation CreateInstance($input: CreateInstanceInput!) {
    createInstance(input: $input) {
      instance {
        id
        name
      }
    }
  }
`);

const UpdateInstance = graphql(`
  mutation UpdateInstance($input: UpdateInstanceInput!) {
    updateInstance(input: $input) {
      instance {
        id
        name
        description
        secondFactor
      }
    }
  }
`);

const DeleteInstance = graphql(`
  mutation DeleteInstance($id: ID!) {
    deleteInstance(input: { id: $id }) {
      deletedId
    }
  }
`);

export function Instances() {
  const pager = usePager();
  const list = useQuery(InstancesQuery, { after: pager.after });
  const create = useMutation(CreateInstance);
  const remove = useMutation(DeleteInstance);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [editing, setEditing] = useState<string>();
  const [flash, setFlash] = useFlash();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await create.run({ input: { name, description } });
    if (result) {
      setName('');
      setDescription('');
      setFlash(`Created the instance ${result.createInstance.instance.name}.`);
      list.reload();
    }
  }

  const instances = list.data?.instances;
  return (
    <section>
      <h1>Instances</h1>
      <p className="lead">
        Each instance is one company's directory and applications. Choose <em>Manage</em> to
        work inside one.
      </p>
      <Flash message={flash} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <ErrorBanner error={remove.error} />
      {list.loading && !instances && <Loading />}
      {instances && instances.nodes.length === 0 && (
        <Empty>No instances yet. Create the first one below.</Empty>
      )}
      {instances && instances.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Created</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {instances.nodes.map((instance) =>
              editing === instance.id ? (
                <EditInstanceRow
                  key={instance.id}
                  instance={instance}
                  onDone={(saved) => {
                    setEditing(undefined);
                    if (saved) {
                      setFlash('Saved.');
                      list.reload();
                    }
                  }}
                />
              ) : (
                <tr key={instance.id}>
                  <td data-label="Name">{instance.name}</td>
                  <td data-label="Description">
                    {instance.description || '—'}
                    {instance.secondFactor === 'EMAIL_CODE' && (
                      <span className="muted"> · emailed sign-in code</span>
                    )}
                  </td>
                  <td data-label="Created">{formatTime(instance.createdAt)}</td>
                  <td className="actions">
                    <Link className="button primary" to={`/instances/${instance.id}/users`}>
                      Manage
                    </Link>
                    <button type="button" onClick={() => setEditing(instance.id)}>
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      question={`Delete ${instance.name} with all its users and applications?`}
                      onConfirm={async () => {
                        if (await remove.run({ id: instance.id })) {
                          setFlash(`Deleted ${instance.name}.`);
                          list.reload();
                        }
                      }}
                    />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {instances && (
        <Pager pager={pager} pageInfo={instances.pageInfo} totalCount={instances.totalCount} noun="instances" />
      )}

      <form className="card" onSubmit={submit} aria-labelledby="new-instance">
        <h2 id="new-instance">Create an instance</h2>
        <FormErrors error={create.error} fields={['name', 'description']} />
        <Field label="Name" name="name" error={create.error}>
          {(a) => <input {...a} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description" name="description" error={create.error}>
          {(a) => (
            <input {...a} value={description} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create instance'}
        </button>
      </form>
    </section>
  );
}

function EditInstanceRow({
  instance,
  onDone,
}: {
  instance: { id: string; name: string; description: string; secondFactor: SecondFactor };
  onDone: (saved: boolean) => void;
}) {
  const update = useMutation(UpdateInstance);
  const [name, setName] = useState(instance.name);
  const [description, setDescription] = useState(instance.description);
  const [secondFactor, setSecondFactor] = useState<SecondFactor>(instance.secondFactor);
  return (
    <tr>
      <td colSpan={4}>
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await update.run({ input: { id: instance.id, name, description, secondFactor } }))
              onDone(true);
          }}
        >
          <FormErrors error={update.error} fields={['name', 'description', 'secondFactor']} />
          <Field label="Name" name="name" error={update.error}>
            {(a) => <input {...a} required value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Description" name="description" error={update.error}>
            {(a) => (
              <input {...a} value={description} onChange={(e) => setDescription(e.target.value)} />
            )}
          </Field>
          <Field label="At sign-in, after the password" name="secondFactor" error={update.error}>
            {(a) => (
              <select
                {...a}
                value={secondFactor}
                onChange={(e) => setSecondFactor(e.target.value as SecondFactor)}
              >
                <option value="NONE">Nothing more</option>
                <option value="EMAIL_CODE">A code sent by email (counts as MFA)</option>
              </select>
            )}
          </Field>
          <button type="submit" className="primary" disabled={update.pending}>
            Save
          </button>
          <button type="button" onClick={() => onDone(false)}>
            Cancel
          </button>
        </form>
      </td>
    </tr>
  );
}
