// Choosing a user, group or org unit of an instance by typing part of its name.
import { useId, useState } from 'react';
import { useQuery } from './api';
import { graphql } from './gql';
import type { SubjectKind } from './gql/graphql';
import { useTranslation } from 'react-i18next';
import { useListControls } from './list';
import { ErrorBanner } from './ui';

const PickUsers = graphql(`
  query PickUsers($instanceId: ID!, $search: String) {
    instance(id: $instanceId) {
      id
      users(first: 10, filter: { search: $search }) {
        nodes {
          id
          username
          displayName
        }
      }
    }
  }
`);

const PickGroups = graphql(`
  query PickGroups($instanceId: ID!, $search: String) {
    instance(id: $instanceId) {
      id
      groups(first: 10, search: $search) {
        nodes {
          id
          name
        }
      }
    }
  }
`);

const PickOrgUnits = graphql(`
  query PickOrgUnits($instanceId: ID!, $parentId: ID) {
    instance(id: $instanceId) {
      id
      orgUnits(parentId: $parentId, first: 100) {
        nodes {
          id
          name
          depth
        }
      }
    }
  }
`);

export interface Picked {
  kind: SubjectKind;
  id: string;
  name: string;
}

/** A search box and up to ten matches, each a button that picks it. */
export function SubjectPicker(props: {
  instanceId: string;
  kind: SubjectKind;
  actionLabel: string;
  onPick: (picked: Picked) => void;
  disabled?: boolean;
}) {
  // The server is asked once typing pauses; org units, all loaded, are filtered as one types.
  const { t } = useTranslation();
  const controls = useListControls({});
  const search = controls.applied.search;
  const [parents, setParents] = useState<{ id: string; name: string }[]>([]);
  const id = useId();
  const users = useQuery(
    PickUsers,
    { instanceId: props.instanceId, search: search || null },
    { skip: props.kind !== 'USER' },
  );
  const groups = useQuery(
    PickGroups,
    { instanceId: props.instanceId, search: search || null },
    { skip: props.kind !== 'GROUP' },
  );
  const parent = parents[parents.length - 1];
  const units = useQuery(
    PickOrgUnits,
    { instanceId: props.instanceId, parentId: parent?.id ?? null },
    { skip: props.kind !== 'ORG_UNIT' },
  );
  const options: { id: string; name: string; detail?: string; canOpen?: boolean }[] =
    props.kind === 'USER'
      ? (users.data?.instance.users.nodes ?? []).map((u) => ({
          id: u.id,
          name: u.username,
          detail: u.displayName,
        }))
      : props.kind === 'GROUP'
        ? (groups.data?.instance.groups.nodes ?? []).map((g) => ({ id: g.id, name: g.name }))
        : (units.data?.instance.orgUnits.nodes ?? [])
            .filter((u) => u.name.toLowerCase().includes(controls.search.toLowerCase()))
            .map((u) => ({ id: u.id, name: u.name, canOpen: true }));
  const state = props.kind === 'USER' ? users : props.kind === 'GROUP' ? groups : units;
  return (
    <div className="picker">
      <label htmlFor={id}>{t(`picker.search.${props.kind}`)}</label>
      <input
        id={id}
        type="search"
        value={controls.search}
        placeholder={props.kind === 'USER' ? t('picker.placeholderUser') : t('picker.placeholderName')}
        onChange={(e) => controls.setSearch(e.target.value)}
      />
      {props.kind === 'ORG_UNIT' && parents.length > 0 && (
        <p className="crumbs">
          <button type="button" className="link" onClick={() => setParents([])}>
            {t('picker.top')}
          </button>
          {parents.map((p, i) => (
            <span key={p.id}>
              {' › '}
              <button type="button" className="link" onClick={() => setParents(parents.slice(0, i + 1))}>
                {p.name}
              </button>
            </span>
          ))}
        </p>
      )}
      <ErrorBanner error={state.error} />
      <ul className="picker-results" aria-label={t(`picker.matching.${props.kind}`)} aria-busy={state.loading}>
        {options.length === 0 && !state.loading && <li className="muted">{t(`picker.none.${props.kind}`)}</li>}
        {options.map((o) => (
          <li key={o.id}>
            <span>
              {o.name} {o.detail && <span className="muted">{o.detail}</span>}
            </span>
            <span className="actions">
              {o.canOpen && (
                <button
                  type="button"
                  className="link"
                  onClick={() => setParents([...parents, { id: o.id, name: o.name }])}
                  aria-label={t('picker.open', { name: o.name })}
                >
                  {t('picker.subUnits')}
                </button>
              )}
              <button
                type="button"
                disabled={props.disabled}
                onClick={() => props.onPick({ kind: props.kind, id: o.id, name: o.name })}
                aria-label={`${props.actionLabel} ${o.name}`}
              >
                {props.actionLabel}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
