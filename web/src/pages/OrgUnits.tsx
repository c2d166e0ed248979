// The org-unit tree, one level at a time: open a unit to see its sub-units and members.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import { SubjectPicker } from '../pickers';
import { ConfirmButton, Empty, ErrorBanner, Field, Flash, FormErrors, Loading, Pager, useFlash, usePager } from '../ui';

const UnitsQuery = graphql(`
  query OrgUnits($instanceId: ID!, $parentId: ID, $after: String) {
    instance(id: $instanceId) {
      id
      orgUnits(parentId: $parentId, first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          children(first: 1) {
            totalCount
          }
          members(first: 1) {
            totalCount
          }
        }
      }
    }
  }
`);

const UnitMembersQuery = graphql(`
  query OrgUnitMembers($instanceId: ID!, $id: ID!, $after: String) {
    instance(id: $instanceId) {
      id
      orgUnit(id: $id) {
        id
        members(first: 20, after: $after, includeSubUnits: false) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            username
          }
        }
      }
    }
  }
`);

const CreateUnit = graphql(`
  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
      orgUnit {
        id
        name
      }
    }
  }
`);

const RenameUnit = graphql(`
  mutation RenameOrgUnit($input: RenameOrgUnitInput!) {
    renameOrgUnit(input: $input) {
      orgUnit {
        id
      }
    }
  }
`);

const DeleteUnit = graphql(`
  mutation DeleteOrgUnit($input: ObjectRefInput!) {
    deleteOrgUnit(input: $input) {
      deletedId
    }
  }
`);

const AddUnitMembers = graphql(`
  mutation AddOrgUnitMembers($input: MembersInput!) {
    addOrgUnitMembers(input: $input) {
      orgUnit {
        id
      }
    }
  }
`);

const RemoveUnitMembers = graphql(`
  mutation RemoveOrgUnitMembers($input: MembersInput!) {
    removeOrgUnitMembers(input: $input) {
      orgUnit {
        id
      }
    }
  }
`);

export function OrgUnits({ instanceId }: { instanceId: string }) {
  const [path, setPath] = useState<{ id: string; name: string }[]>([]);
  const parent = path[path.length - 1];
  const pager = usePager();
  const units = useQuery(UnitsQuery, { instanceId, parentId: parent?.id ?? null, after: pager.after });
  const create = useMutation(CreateUnit);
  const rename = useMutation(RenameUnit);
  const remove = useMutation(DeleteUnit);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string }>();
  const [flash, setFlash] = useFlash();
  const list = units.data?.instance.orgUnits;
  function go(next: { id: string; name: string }[]) {
    setPath(next);
    pager.reset();
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create.run({ input: { instanceId, name, parentId: parent?.id ?? null } });
    if (r) {
      setName('');
      setFlash(`Created ${r.createOrgUnit.orgUnit.name}.`);
      units.reload();
    }
  }
  return (
    <section>
      <h1>Org units</h1>
      <nav className="crumbs" aria-label="Org unit path">
        <button type="button" className="link" onClick={() => go([])}>
          Top level
        </button>
        {path.map((p, i) => (
          <span key={p.id}>
            {' › '}
            <button type="button" className="link" onClick={() => go(path.slice(0, i + 1))}>
              {p.name}
            </button>
          </span>
        ))}
      </nav>
      <Flash message={flash} />
      <ErrorBanner error={units.error ?? remove.error} onRetry={units.reload} />
      {units.loading && !list && <Loading />}
      {list && list.nodes.length === 0 && <Empty>{parent ? `${parent.name} has no sub-units.` : 'No org units yet.'}</Empty>}
      {list && list.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Sub-units</th>
              <th scope="col">Members (with sub-units)</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {list.nodes.map((u) => (
              <tr key={u.id}>
                <td data-label="Name">
                  {renaming?.id === u.id ? (
                    <form
                      className="inline-form"
                      onSubmit={async (e) => {
                        e.preventDefault();
                        if (await rename.run({ input: { instanceId, id: u.id, name: renaming.name } })) {
                          setRenaming(undefined);
                          units.reload();
                        }
                      }}
                    >
                      <Field label="New name" name="name" error={rename.error}>
                        {(a) => (
                          <input {...a} autoFocus value={renaming.name} onChange={(e) => setRenaming({ id: u.id, name: e.target.value })} />
                        )}
                      </Field>
                      <button type="submit" className="primary">
                        Save
                      </button>
                      <button type="button" onClick={() => setRenaming(undefined)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="link" onClick={() => go([...path, { id: u.id, name: u.name }])}>
                      {u.name}
                    </button>
                  )}
                </td>
                <td data-label="Sub-units">{u.children.totalCount}</td>
                <td data-label="Members">{u.members.totalCount}</td>
                <td className="actions">
                  <button type="button" onClick={() => setRenaming({ id: u.id, name: u.name })}>
                    Rename
                  </button>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete ${u.name}?`}
                    onConfirm={async () => {
                      if (await remove.run({ input: { instanceId, id: u.id } })) units.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager pager={pager} pageInfo={list.pageInfo} totalCount={list.totalCount} noun="org units" />}
      <form className="card" onSubmit={submit}>
        <h2>{parent ? `Add a sub-unit to ${parent.name}` : 'Add a top-level org unit'}</h2>
        <FormErrors error={create.error} fields={['name', 'parentId']} />
        <Field label="Name" name="name" error={create.error}>
          {(a) => <input {...a} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={create.pending}>
          Add org unit
        </button>
      </form>
      {parent && <UnitMembers key={parent.id} instanceId={instanceId} unit={parent} onChanged={units.reload} />}
    </section>
  );
}

function UnitMembers({ instanceId, unit, onChanged }: { instanceId: string; unit: { id: string; name: string }; onChanged: () => void }) {
  const pager = usePager();
  const members = useQuery(UnitMembersQuery, { instanceId, id: unit.id, after: pager.after });
  const add = useMutation(AddUnitMembers);
  const remove = useMutation(RemoveUnitMembers);
  const list = members.data?.instance.orgUnit.members;
  return (
    <div className="card">
      <h2>Members of {unit.name}</h2>
      <ErrorBanner error={members.error ?? add.error ?? remove.error} onRetry={members.reload} />
      {!list && members.loading && <Loading />}
      {list && list.nodes.length === 0 && <Empty>No direct members.</Empty>}
      {list && list.nodes.length > 0 && (
        <ul className="rows">
          {list.nodes.map((m) => (
            <li key={m.id}>
              <Link to={`/instances/${instanceId}/users/${m.id}`}>{m.username}</Link>
              <button
                type="button"
                className="link"
                aria-label={`Remove ${m.username}`}
                onClick={async () => {
                  if (await remove.run({ input: { instanceId, id: unit.id, userIds: [m.id] } })) {
                    members.reload();
                    onChanged();
                  }
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {list && <Pager pager={pager} pageInfo={list.pageInfo} totalCount={list.totalCount} noun="members" />}
      <h3>Add members</h3>
      <SubjectPicker
        instanceId={instanceId}
        kind="USER"
        actionLabel="Add"
        onPick={async (p) => {
          if (await add.run({ input: { instanceId, id: unit.id, userIds: [p.id] } })) {
            members.reload();
            onChanged();
          }
        }}
      />
    </div>
  );
}
