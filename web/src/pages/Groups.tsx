import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import { SubjectPicker } from '../pickers';
import { ConfirmButton, Empty, ErrorBanner, Field, Flash, FormErrors, Loading, Pager, useFlash, usePager } from '../ui';

const GroupsQuery = graphql(`
  query Groups($instanceId: ID!, $after: String, $search: String) {
    instance(id: $instanceId) {
      id
      groups(first: 20, after: $after, search: $search) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          description
          members(first: 1) {
            totalCount
          }
        }
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
  const pager = usePager();
  const [search, setSearch] = useState('');
  const list = useQuery(GroupsQuery, { instanceId, after: pager.after, search: search || null });
  const create = useMutation(CreateGroup);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [flash, setFlash] = useFlash();
  const groups = list.data?.instance.groups;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create.run({ input: { instanceId, name, description } });
    if (r) {
      setName('');
      setDescription('');
      setFlash(`Created ${r.createGroup.group.name}.`);
      list.reload();
    }
  }
  return (
    <section>
      <h1>Groups</h1>
      <Flash message={flash} />
      <div className="toolbar">
        <label htmlFor="group-search">Search</label>
        <input
          id="group-search"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            pager.reset();
          }}
        />
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !groups && <Loading />}
      {groups && groups.nodes.length === 0 && <Empty>{search ? 'No group matches.' : 'No groups yet.'}</Empty>}
      {groups && groups.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Members</th>
            </tr>
          </thead>
          <tbody>
            {groups.nodes.map((g) => (
              <tr key={g.id}>
                <td data-label="Name">
                  <Link to={g.id}>{g.name}</Link>
                </td>
                <td data-label="Description">{g.description || '—'}</td>
                <td data-label="Members">{g.members.totalCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {groups && <Pager pager={pager} pageInfo={groups.pageInfo} totalCount={groups.totalCount} noun="groups" />}
      <form className="card" onSubmit={submit} aria-labelledby="new-group">
        <h2 id="new-group">Create a group</h2>
        <FormErrors error={create.error} fields={['name', 'description']} />
        <Field label="Name" name="name" error={create.error}>
          {(a) => <input {...a} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description" name="description" error={create.error}>
          {(a) => <input {...a} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create group'}
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
          totalCount
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
  const { groupId = '' } = useParams();
  const pager = usePager();
  const group = useQuery(GroupQuery, { instanceId, id: groupId, after: pager.after });
  const update = useMutation(UpdateGroup);
  const remove = useMutation(DeleteGroup);
  const add = useMutation(AddMembers);
  const removeMember = useMutation(RemoveMembers);
  const navigate = useNavigate();
  const [flash, setFlash] = useFlash();
  const [edit, setEdit] = useState<{ name: string; description: string }>();
  const g = group.data?.instance.group;
  if (group.loading && !g) return <Loading />;
  if (!g) return <ErrorBanner error={group.error} onRetry={group.reload} />;
  const values = edit ?? { name: g.name, description: g.description };
  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/groups`}>Groups</Link> › {g.name}
      </p>
      <div className="title-row">
        <h1>{g.name}</h1>
        <ConfirmButton
          label="Delete"
          question={`Delete the group ${g.name}? Its grants go with it.`}
          onConfirm={async () => {
            if (await remove.run({ input: { instanceId, id: g.id } })) navigate(`/instances/${instanceId}/groups`);
          }}
        />
      </div>
      <Flash message={flash} />
      <ErrorBanner error={remove.error ?? add.error ?? removeMember.error} />
      <div className="columns">
        <form
          className="card"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await update.run({ input: { instanceId, id: g.id, ...values } })) {
              setEdit(undefined);
              setFlash('Saved.');
              group.reload();
            }
          }}
        >
          <h2>Details</h2>
          <FormErrors error={update.error} fields={['name', 'description']} />
          <Field label="Name" name="name" error={update.error}>
            {(a) => <input {...a} required value={values.name} onChange={(e) => setEdit({ ...values, name: e.target.value })} />}
          </Field>
          <Field label="Description" name="description" error={update.error}>
            {(a) => (
              <input {...a} value={values.description} onChange={(e) => setEdit({ ...values, description: e.target.value })} />
            )}
          </Field>
          <button type="submit" className="primary" disabled={update.pending}>
            Save
          </button>
        </form>
        <div className="card">
          <h2>Members</h2>
          {g.members.nodes.length === 0 ? (
            <Empty>No members yet.</Empty>
          ) : (
            <ul className="rows">
              {g.members.nodes.map((m) => (
                <li key={m.id}>
                  <Link to={`/instances/${instanceId}/users/${m.id}`}>{m.username}</Link>{' '}
                  <span className="muted">{m.displayName}</span>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove ${m.username}`}
                    onClick={async () => {
                      if (await removeMember.run({ input: { instanceId, id: g.id, userIds: [m.id] } })) group.reload();
                    }}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <Pager pager={pager} pageInfo={g.members.pageInfo} totalCount={g.members.totalCount} noun="members" />
          <h3>Add members</h3>
          <SubjectPicker
            instanceId={instanceId}
            kind="USER"
            actionLabel="Add"
            disabled={add.pending}
            onPick={async (p) => {
              if (await add.run({ input: { instanceId, id: g.id, userIds: [p.id] } })) {
                setFlash(`Added ${p.name}.`);
                group.reload();
              }
            }}
          />
        </div>
      </div>
    </section>
  );
}
