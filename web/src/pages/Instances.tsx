import { useState } from 'react';
import { Link } from 'react-router';
import { request, useMutation } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { InstancesQuery as InstancesData } from '../gql/graphql';
import { ListView, useListControls, usePagedQuery } from '../list';
import { ConfirmButton, Field, Flash, FormErrors, formatTime, useFlash } from '../ui';

const InstancesQuery = graphql(`
  query Instances($after: String) {
    instances(first: 20, after: $after) {
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

const InstancesCount = graphql(`
  query InstancesCount {
    instances(first: 1) {
      totalCount
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
  const controls = useListControls({});
  const list = usePagedQuery(
    { page: InstancesQuery, count: InstancesCount, total: (d) => d.instances.totalCount },
    {},
    controls.after,
  );
  const remove = useMutation(DeleteInstance);
  const [editing, setEditing] = useState<string>();
  const [flash, setFlash] = useFlash();
  const create = useForm({
    initial: { name: '', description: '' },
    submit: (input) => request(CreateInstance, { input }),
    onSuccess: (result) => {
      create.reset();
      setFlash(`Created the instance ${result.createInstance.instance.name}.`);
      list.reload();
    },
  });

  return (
    <section>
      <h1>Instances</h1>
      <p className="lead">
        Each instance is one company's directory and applications. Choose <em>Manage</em> to
        work inside one.
      </p>
      <Flash message={flash} />
      <ListView
        query={list}
        error={remove.error}
        page={list.data?.instances}
        total={list.total}
        noun="instances"
        controls={controls}
        empty="No instances yet. Create the first one below."
        replaceRow={(instance) =>
          editing === instance.id && (
            <EditInstanceRow
              instance={instance}
              onDone={(saved) => {
                setEditing(undefined);
                if (saved) {
                  setFlash('Saved.');
                  list.reload();
                }
              }}
            />
          )
        }
        columns={[
          { header: 'Name', cell: (instance) => instance.name },
          {
            header: 'Description',
            cell: (instance) => (
              <>
                {instance.description || '—'}
                {instance.secondFactor === 'EMAIL_CODE' && <span className="muted"> · emailed sign-in code</span>}
              </>
            ),
          },
          { header: 'Created', cell: (instance) => formatTime(instance.createdAt) },
          {
            header: 'Operations',
            actions: true,
            cell: (instance) => (
              <>
                <Link className="button primary" to={`/instances/${instance.id}/overview`}>
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
              </>
            ),
          },
        ]}
      />

      <form className="card" onSubmit={create.onSubmit} aria-labelledby="new-instance">
        <h2 id="new-instance">Create an instance</h2>
        <FormErrors error={create.error} fields={['name', 'description']} />
        <Field label="Name" name="name" error={create.error}>
          {(a) => <input {...a} required {...create.bind('name')} />}
        </Field>
        <Field label="Description" name="description" error={create.error}>
          {(a) => <input {...a} {...create.bind('description')} />}
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
  instance: InstancesData['instances']['nodes'][number];
  onDone: (saved: boolean) => void;
}) {
  const update = useForm({
    initial: { name: instance.name, description: instance.description, secondFactor: instance.secondFactor },
    submit: (values) => request(UpdateInstance, { input: { id: instance.id, ...values } }),
    onSuccess: () => onDone(true),
  });
  return (
    <tr>
      <td colSpan={4}>
        <form className="inline-form" onSubmit={update.onSubmit}>
          <FormErrors error={update.error} fields={['name', 'description', 'secondFactor']} />
          <Field label="Name" name="name" error={update.error}>
            {(a) => <input {...a} required {...update.bind('name')} />}
          </Field>
          <Field label="Description" name="description" error={update.error}>
            {(a) => <input {...a} {...update.bind('description')} />}
          </Field>
          <Field label="At sign-in, after the password" name="secondFactor" error={update.error}>
            {(a) => (
              <select {...a} {...update.bind('secondFactor')}>
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
