// The org-unit tree, one level at a time: open a unit to see its sub-units and members.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { request, useMutation } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import { estimated, ListView, useListControls, usePagedQuery } from '../list';
import { SubjectPicker } from '../pickers';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, useFlash } from '../ui';

const UnitsQuery = graphql(`
  query OrgUnits($instanceId: ID!, $parentId: ID, $after: String) {
    instance(id: $instanceId) {
      id
      orgUnits(parentId: $parentId, first: 50, after: $after) {
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

const UnitMembersQuery = graphql(`
  query OrgUnitMembers($instanceId: ID!, $id: ID!, $after: String) {
    instance(id: $instanceId) {
      id
      orgUnit(id: $id) {
        id
        members(first: 20, after: $after, includeSubUnits: false) {
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

const UnitsCount = graphql(`
  query OrgUnitsCount($instanceId: ID!, $parentId: ID) {
    instance(id: $instanceId) {
      orgUnits(parentId: $parentId, first: 1) {
        totalCount
      }
    }
  }
`);

const UnitMembersCount = graphql(`
  query OrgUnitMembersCount($instanceId: ID!, $id: ID!) {
    instance(id: $instanceId) {
      orgUnit(id: $id) {
        members(first: 1, includeSubUnits: false) {
          totalCount
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

const MoveUnit = graphql(`
  mutation MoveOrgUnit($input: MoveOrgUnitInput!) {
    moveOrgUnit(input: $input) {
      orgUnit {
        id
        name
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

type Unit = { id: string; name: string };

export function OrgUnits({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('orgunits');
  const controls = useListControls({ path: [] as Unit[] });
  const { path } = controls.filters;
  const go = (next: Unit[]) => controls.setFilter('path', next);
  const parent = path[path.length - 1];
  const units = usePagedQuery(
    { page: UnitsQuery, count: UnitsCount, total: (d) => d.instance.orgUnits.totalCount },
    { instanceId, parentId: parent?.id ?? null },
    controls.after,
  );
  const remove = useMutation(DeleteUnit);
  const [renaming, setRenaming] = useState<string>();
  const [moving, setMoving] = useState<Unit>();
  const [flash, setFlash] = useFlash();
  return (
    <section>
      <h1>{t('title')}</h1>
      <nav className="crumbs" aria-label={t('path')}>
        <button type="button" className="link" onClick={() => go([])}>
          {t('topLevel')}
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
      <ListView
        query={units}
        error={remove.error}
        page={units.data?.instance.orgUnits}
        total={units.total}
        noun={t('noun')}
        controls={controls}
        empty={parent ? t('empty.noSubUnits', { name: parent.name }) : t('empty.none')}
        columns={[
          {
            header: t('columns.name'),
            cell: (u) =>
              renaming === u.id ? (
                <RenameForm
                  instanceId={instanceId}
                  unit={u}
                  onDone={(renamed) => {
                    setRenaming(undefined);
                    if (renamed) units.reload();
                  }}
                />
              ) : (
                <button type="button" className="link" onClick={() => go([...path, { id: u.id, name: u.name }])}>
                  {u.name}
                </button>
              ),
          },
          { header: t('columns.subUnits'), cell: (u) => u.children.totalCount },
          {
            header: t('columns.membersWithSubUnits'),
            label: t('columns.members'),
            cell: (u) => estimated(u.members.totalCountEstimate),
          },
          {
            header: t('columns.operations'),
            actions: true,
            cell: (u) => (
              <>
                <button type="button" onClick={() => setRenaming(u.id)}>
                  {t('rename.action')}
                </button>
                <button type="button" onClick={() => setMoving({ id: u.id, name: u.name })}>
                  {t('move.action')}
                </button>
                <ConfirmButton
                  label={t('delete.action')}
                  question={t('delete.question', { name: u.name })}
                  onConfirm={async () => {
                    if (await remove.run({ input: { instanceId, id: u.id } })) units.reload();
                  }}
                />
              </>
            ),
          },
        ]}
      />
      {moving && (
        <MoveForm
          key={moving.id}
          instanceId={instanceId}
          unit={moving}
          onDone={(movedUnder) => {
            setMoving(undefined);
            if (movedUnder !== undefined) {
              setFlash(
                movedUnder
                  ? t('move.movedUnder', { name: moving.name, parent: movedUnder })
                  : t('move.movedToTop', { name: moving.name }),
              );
              units.reload();
            }
          }}
        />
      )}
      <CreateUnitForm
        instanceId={instanceId}
        parent={parent}
        onCreated={(name) => {
          setFlash(t('created', { name }));
          units.reload();
        }}
      />
      {parent && <UnitMembers key={parent.id} instanceId={instanceId} unit={parent} onChanged={units.reload} />}
    </section>
  );
}

function CreateUnitForm(props: { instanceId: string; parent?: Unit; onCreated: (name: string) => void }) {
  const { instanceId, parent } = props;
  const { t } = useTranslation('orgunits');
  const create = useForm({
    initial: { name: '' },
    submit: ({ name }) => request(CreateUnit, { input: { instanceId, name, parentId: parent?.id ?? null } }),
    onSuccess: (r) => {
      create.reset();
      props.onCreated(r.createOrgUnit.orgUnit.name);
    },
  });
  return (
    <form className="card" onSubmit={create.onSubmit}>
      <h2>{parent ? t('create.subUnitTitle', { name: parent.name }) : t('create.topLevelTitle')}</h2>
      <FormErrors error={create.error} fields={['name', 'parentId']} />
      <Field label={t('fields.name')} name="name" error={create.error}>
        {(a) => <input {...a} required {...create.bind('name')} />}
      </Field>
      <button type="submit" className="primary" disabled={create.pending}>
        {t('create.submit')}
      </button>
    </form>
  );
}

function RenameForm(props: { instanceId: string; unit: Unit; onDone: (renamed: boolean) => void }) {
  const { instanceId, unit, onDone } = props;
  const { t } = useTranslation('orgunits');
  const rename = useForm({
    initial: { name: unit.name },
    submit: ({ name }) => request(RenameUnit, { input: { instanceId, id: unit.id, name } }),
    onSuccess: () => onDone(true),
  });
  return (
    <form className="inline-form" onSubmit={rename.onSubmit}>
      <Field label={t('rename.newName')} name="name" error={rename.error}>
        {(a) => <input {...a} autoFocus {...rename.bind('name')} />}
      </Field>
      <button type="submit" className="primary" disabled={rename.pending}>
        {t('rename.save')}
      </button>
      <button type="button" onClick={() => onDone(false)}>
        {t('cancel')}
      </button>
    </form>
  );
}

/** Moves a unit, with its sub-units and members, under another unit or to the top level. */
function MoveForm(props: { instanceId: string; unit: Unit; onDone: (movedUnder?: string | null) => void }) {
  const { instanceId, unit, onDone } = props;
  const { t } = useTranslation('orgunits');
  const move = useMutation(MoveUnit);
  const to = async (parent: Unit | null) => {
    if (await move.run({ input: { instanceId, id: unit.id, parentId: parent?.id ?? null } })) {
      onDone(parent?.name ?? null);
    }
  };
  return (
    <div className="card" role="group" aria-labelledby="move-unit">
      <h2 id="move-unit">{t('move.title', { name: unit.name })}</h2>
      <p className="muted">{t('move.help')}</p>
      <ErrorBanner error={move.error} />
      <SubjectPicker
        instanceId={instanceId}
        kind="ORG_UNIT"
        actionLabel={t('move.under')}
        disabled={move.pending}
        onPick={(p) => to({ id: p.id, name: p.name })}
      />
      <p className="actions">
        <button type="button" disabled={move.pending} onClick={() => to(null)}>
          {t('move.toTop')}
        </button>
        <button type="button" onClick={() => onDone(undefined)}>
          {t('cancel')}
        </button>
      </p>
    </div>
  );
}

function UnitMembers({ instanceId, unit, onChanged }: { instanceId: string; unit: Unit; onChanged: () => void }) {
  const { t } = useTranslation('orgunits');
  const controls = useListControls({});
  const members = usePagedQuery(
    { page: UnitMembersQuery, count: UnitMembersCount, total: (d) => d.instance.orgUnit.members.totalCount },
    { instanceId, id: unit.id },
    controls.after,
  );
  const add = useMutation(AddUnitMembers);
  const remove = useMutation(RemoveUnitMembers);
  return (
    <div className="card">
      <h2>{t('members.title', { name: unit.name })}</h2>
      <ListView
        query={members}
        error={add.error ?? remove.error}
        page={members.data?.instance.orgUnit.members}
        total={members.total}
        noun={t('members.noun')}
        controls={controls}
        empty={t('members.empty')}
        listClassName="rows"
        item={(m) => (
          <li>
            <Link to={`/instances/${instanceId}/users/${m.id}`}>{m.username}</Link>
            <button
              type="button"
              className="link"
              aria-label={t('members.removeName', { name: m.username })}
              onClick={async () => {
                if (await remove.run({ input: { instanceId, id: unit.id, userIds: [m.id] } })) {
                  members.reload();
                  onChanged();
                }
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
