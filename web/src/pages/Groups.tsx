import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { request, useMutation } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import { estimated, ListView, useListControls, usePagedQuery } from '../list';
import { SubjectPicker } from '../pickers';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, Loading, useFlash } from '../ui';

const GroupsQuery = graphql(`
  query Groups($instanceId: ID!, $after: String, $search: String) {
    instance(id: $instanceId) {
      id
      groups(first: 20, after: $after, search: $search) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          description
          members(first: 1) {
            totalCountEstimate {
              count
              exact
            }
          }
        }
      }
    }
  }
`);

const GroupsCount = graphql(`
  query GroupsCount($instanceId: ID!, $search: String) {
    instance(id: $instanceId) {
      groups(first: 1, search: $search) {
        totalCount
      }
    }
  }
`);

const CreateGroup = graphql(`
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      group {
        id
        name
      }
    }
  }
`);

export function Groups({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('groups');
  const controls = useListControls({});
  const { search } = controls.applied;
  const list = usePagedQuery(
    { page: GroupsQuery, count: GroupsCount, total: (d) => d.instance.groups.totalCount },
    { instanceId, search: search || null },
    controls.after,
  );
  const [flash, setFlash] = useFlash();
  const create = useForm({
    initial: { name: '', description: '' },
    submit: (values) => request(CreateGroup, { input: { instanceId, ...values } }),
    onSuccess: (r) => {
      create.reset();
      setFlash(t('created', { name: r.createGroup.group.name }));
      list.reload();
    },
  });
  return (
    <section>
      <h1>{t('title')}</h1>
      <Flash message={flash} />
      <ListView
        query={list}
        page={list.data?.instance.groups}
        total={list.total}
        noun={t('noun')}
        controls={controls}
        search={{ id: 'group-search', label: t('search') }}
        empty={search ? t('empty.noMatch') : t('empty.none')}
        columns={[
          { header: t('columns.name'), cell: (g) => <Link to={g.id}>{g.name}</Link> },
          { header: t('columns.description'), cell: (g) => g.description || '—' },
          { header: t('columns.members'), cell: (g) => estimated(g.members.totalCountEstimate) },
        ]}
      />
      <form className="card" onSubmit={create.onSubmit} aria-labelledby="new-group">
        <h2 id="new-group">{t('create.title')}</h2>
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

const GroupQuery = graphql(`
  query Group($instanceId: ID!, $id: ID!, $after: String) {
    instance(id: $instanceId) {
      id
      group(id: $id) {
        id
        name
        description
        members(first: 20, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            username
            displayName
          }
        }
      }
    }
  }
`);

const GroupMembersCount = graphql(`
  query GroupMembersCount($instanceId: ID!, $id: ID!) {
    instance(id: $instanceId) {
      group(id: $id) {
        members(first: 1) {
          totalCount
        }
      }
    }
  }
`);

const UpdateGroup = graphql(`
  mutation UpdateGroup($input: UpdateGroupInput!) {
    updateGroup(input: $input) {
      group {
        id
      }
    }
  }
`);

const DeleteGroup = graphql(`
  mutation DeleteGroup($input: ObjectRefInput!) {
    deleteGroup(input: $input) {
      deletedId
    }
  }
`);

const AddMembers = graphql(`
  mutation AddGroupMembers($input: MembersInput!) {
    addGroupMembers(input: $input) {
      group {
        id
      }
    }
  }
`);

const RemoveMembers = graphql(`
  mutation RemoveGroupMembers($input: MembersInput!) {
    removeGroupMembers(input: $input) {
      group {
        id
      }
    }
  }
`);

export function GroupDetail({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('groups');
  const { groupId = '' } = useParams();
  const controls = useListControls({});
  const group = usePagedQuery(
    { page: GroupQuery, count: GroupMembersCount, total: (d) => d.instance.group.members.totalCount },
    { instanceId, id: groupId },
    controls.after,
  );
  const remove = useMutation(DeleteGroup);
  const add = useMutation(AddMembers);
  const removeMember = useMutation(RemoveMembers);
  const navigate = useNavigate();
  const [flash, setFlash] = useFlash();
  const g = group.data?.instance.group;
  if (group.loading && !g) return <Loading />;
  if (!g) return <ErrorBanner error={group.error} onRetry={group.reload} />;
  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/groups`}>{t('title')}</Link> › {g.name}
      </p>
      <div className="title-row">
        <h1>{g.name}</h1>
        <ConfirmButton
          label={t('detail.delete')}
          question={t('detail.deleteQuestion', { name: g.name })}
          onConfirm={async () => {
            if (await remove.run({ input: { instanceId, id: g.id } })) navigate(`/instances/${instanceId}/groups`);
          }}
        />
      </div>
      <Flash message={flash} />
      <ErrorBanner error={remove.error} />
      <div className="columns">
        <GroupForm
          key={g.id}
          instanceId={instanceId}
          group={g}
          onSaved={() => {
            setFlash(t('detail.saved'));
            group.reload();
          }}
        />
        <div className="card">
          <h2>{t('members.title')}</h2>
          <ListView
            error={add.error ?? removeMember.error}
            page={g.members}
            total={group.total}
            noun={t('members.noun')}
            controls={controls}
            empty={t('members.empty')}
            listClassName="rows"
            item={(m) => (
              <li>
                <Link to={`/instances/${instanceId}/users/${m.id}`}>{m.username}</Link>{' '}
                <span className="muted">{m.displayName}</span>
                <button
                  type="button"
                  className="link"
                  aria-label={t('members.removeName', { name: m.username })}
                  onClick={async () => {
                    if (await removeMember.run({ input: { instanceId, id: g.id, userIds: [m.id] } })) group.reload();
                  }}
                >
                  {t('members.remove')}
                </button>
              </li>
            )}
          />
          <h3>{t('members.addTitle')}</h3>
          <SubjectPicker
            instanceId={instanceId}
            kind="USER"
            actionLabel={t('members.add')}
            disabled={add.pending}
            onPick={async (p) => {
              if (await add.run({ input: { instanceId, id: g.id, userIds: [p.id] } })) {
                setFlash(t('members.added', { name: p.name }));
                group.reload();
              }
            }}
          />
        </div>
      </div>
    </section>
  );
}

function GroupForm(props: {
  instanceId: string;
  group: { id: string; name: string; description: string };
  onSaved: () => void;
}) {
  const { instanceId, group } = props;
  const { t } = useTranslation('groups');
  const update = useForm({
    initial: { name: group.name, description: group.description },
    submit: (values) => request(UpdateGroup, { input: { instanceId, id: group.id, ...values } }),
    onSuccess: props.onSaved,
  });
  return (
    <form className="card" onSubmit={update.onSubmit}>
      <h2>{t('details.title')}</h2>
      <FormErrors error={update.error} fields={['name', 'description']} />
      <Field label={t('fields.name')} name="name" error={update.error}>
        {(a) => <input {...a} required {...update.bind('name')} />}
      </Field>
      <Field label={t('fields.description')} name="description" error={update.error}>
        {(a) => <input {...a} {...update.bind('description')} />}
      </Field>
      <button type="submit" className="primary" disabled={update.pending}>
        {t('details.save')}
      </button>
    </form>
  );
}
