import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('instances');
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
      setFlash(t('created', { name: result.createInstance.instance.name }));
      list.reload();
    },
  });

  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">
        <Trans t={t} i18nKey="lead" components={{ em: <em /> }} />
      </p>
      <Flash message={flash} />
      <ListView
        query={list}
        error={remove.error}
        page={list.data?.instances}
        total={list.total}
        noun={t('noun')}
        controls={controls}
        empty={t('empty')}
        replaceRow={(instance) =>
          editing === instance.id && (
            <EditInstanceRow
              instance={instance}
              onDone={(saved) => {
                setEditing(undefined);
                if (saved) {
                  setFlash(t('saved'));
                  list.reload();
                }
              }}
            />
          )
        }
        columns={[
          { header: t('columns.name'), cell: (instance) => instance.name },
          {
            header: t('columns.description'),
            cell: (instance) => (
              <>
                {instance.description || '—'}
                {instance.secondFactor === 'EMAIL_CODE' && <span className="muted"> · {t('emailCode')}</span>}
              </>
            ),
          },
          { header: t('columns.created'), cell: (instance) => formatTime(instance.createdAt) },
          {
            header: t('columns.operations'),
            actions: true,
            cell: (instance) => (
              <>
                <Link className="button primary" to={`/instances/${instance.id}/overview`}>
                  {t('actions.manage')}
                </Link>
                <button type="button" onClick={() => setEditing(instance.id)}>
                  {t('actions.edit')}
                </button>
                <ConfirmButton
                  label={t('actions.delete')}
                  question={t('actions.deleteQuestion', { name: instance.name })}
                  onConfirm={async () => {
                    if (await remove.run({ id: instance.id })) {
                      setFlash(t('actions.deleted', { name: instance.name }));
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
        <h2 id="new-instance">{t('create.title')}</h2>
        <FormErrors error={create.error} fields={['name', 'description']} />
        <Field label={t('fields.name')} name="name" error={create.error}>
          {(a) => <input {...a} required {...create.bind('name')} />}
        </Field>
        <Field label={t('fields.description')} name="description" error={create.error}>
          {(a) => <input {...a} {...create.bind('description')} />}
        </Field>
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? t('create.pending') : t('create.submit')}
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
  const { t } = useTranslation('instances');
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
          <Field label={t('fields.name')} name="name" error={update.error}>
            {(a) => <input {...a} required {...update.bind('name')} />}
          </Field>
          <Field label={t('fields.description')} name="description" error={update.error}>
            {(a) => <input {...a} {...update.bind('description')} />}
          </Field>
          <Field label={t('edit.secondFactor')} name="secondFactor" error={update.error}>
            {(a) => (
              <select {...a} {...update.bind('secondFactor')}>
                <option value="NONE">{t('edit.none')}</option>
                <option value="EMAIL_CODE">{t('edit.emailCode')}</option>
              </select>
            )}
          </Field>
          <button type="submit" className="primary" disabled={update.pending}>
            {t('edit.save')}
          </button>
          <button type="button" onClick={() => onDone(false)}>
            {t('edit.cancel')}
          </button>
        </form>
      </td>
    </tr>
  );
}
