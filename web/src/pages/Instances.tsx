import { useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { request, useMutation, type ApiError } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type {
  InstancesQuery as InstancesData,
  MfaRequired,
  PasskeyUserVerification,
  SecondFactorKind,
} from '../gql/graphql';
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
        signInRules {
          mfaRequired
          allowedFactors
          passkeySignIn
          passkeyUserVerification
        }
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
        signInRules {
          mfaRequired
          allowedFactors
          passkeySignIn
          passkeyUserVerification
        }
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
          { header: t('columns.description'), cell: (instance) => instance.description || '—' },
          { header: t('columns.signIn'), cell: (instance) => <RulesSummary rules={instance.signInRules} /> },
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

/** The second factors an instance can allow, in the order the settings list them. */
const FACTOR_KINDS: SecondFactorKind[] = ['EMAIL_CODE', 'TOTP', 'PASSKEY'];
const MFA_REQUIRED: MfaRequired[] = ['WHEN_ASKED', 'EVERYONE'];
const USER_VERIFICATION: PasskeyUserVerification[] = ['PREFERRED', 'REQUIRED'];

type Instance = InstancesData['instances']['nodes'][number];
type Rules = Pick<
  Instance['signInRules'],
  'mfaRequired' | 'allowedFactors' | 'passkeySignIn' | 'passkeyUserVerification'
>;

/** The list's short form of an instance's sign-in rules. */
function RulesSummary({ rules }: { rules: Rules }) {
  const { t } = useTranslation('instances');
  const allowed = FACTOR_KINDS.filter((k) => rules.allowedFactors.includes(k));
  return (
    <>
      {t(`rules.summary.${rules.mfaRequired}`)}{' '}
      <span className="muted">
        ·{' '}
        {allowed.length ? allowed.map((k) => t(`rules.factorShort.${k}`)).join(t('rules.listSeparator')) : t('rules.summary.noFactor')}
      </span>
    </>
  );
}

function EditInstanceRow({ instance, onDone }: { instance: Instance; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation('instances');
  const { mfaRequired, allowedFactors, passkeySignIn, passkeyUserVerification } = instance.signInRules;
  const update = useForm({
    initial: {
      name: instance.name,
      description: instance.description,
      signInRules: { mfaRequired, allowedFactors, passkeySignIn, passkeyUserVerification },
    },
    submit: (values) => request(UpdateInstance, { input: { id: instance.id, ...values } }),
    onSuccess: () => onDone(true),
  });
  const titleId = useId();
  return (
    <tr>
      <td colSpan={5}>
        <form className="edit-instance" onSubmit={update.onSubmit} aria-labelledby={titleId}>
          <h2 id={titleId} className="visually-hidden">
            {t('edit.title', { name: instance.name })}
          </h2>
          <FormErrors error={update.error} fields={['name', 'description', ...RULE_FIELDS]} />
          <div className="grid2">
            <Field label={t('fields.name')} name="name" error={update.error}>
              {(a) => <input {...a} required {...update.bind('name')} />}
            </Field>
            <Field label={t('fields.description')} name="description" error={update.error}>
              {(a) => <input {...a} {...update.bind('description')} />}
            </Field>
          </div>
          <SignInRulesFields
            rules={update.values.signInRules}
            error={update.error}
            onChange={(rules) => update.set('signInRules', rules)}
          />
          <div className="buttons">
            <button type="submit" className="primary" disabled={update.pending}>
              {update.pending ? t('edit.saving') : t('edit.save')}
            </button>
            <button type="button" onClick={() => onDone(false)}>
              {t('edit.cancel')}
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

/** The API's names of the sign-in rules, as it names them in a refusal (`extensions.field`). */
const RULE_FIELDS = ['mfaRequired', 'allowedFactors', 'passkeySignIn', 'passkeyUserVerification'];

/**
 * Who must give a second factor, which factors are allowed, whether a passkey signs in alone
 * and whether it must always verify the employee, each choice with what it means for employees; the API's refusal of a rule is shown at
 * its group of inputs.
 */
function SignInRulesFields(props: {
  rules: Rules;
  error?: ApiError;
  onChange: (rules: Rules) => void;
}) {
  const { rules, error } = props;
  const onChange = <K extends keyof Rules>(key: K, value: Rules[K]) => props.onChange({ ...rules, [key]: value });
  const { t } = useTranslation('instances');
  const id = useId();
  const message = (field: string) => error?.fieldMessage(field);
  const passkeysAllowed = rules.allowedFactors.includes('PASSKEY');
  /** The message of a refused group, read with each of its inputs. */
  const fieldError = (field: string) =>
    message(field) && (
      <small id={`${id}-${field}-error`} className="field-error" role="alert">
        {message(field)}
      </small>
    );
  const describedBy = (hint: string, field: string) =>
    [hint, message(field) ? `${id}-${field}-error` : ''].filter(Boolean).join(' ');
  return (
    <section className="rules" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('rules.title')}</h3>
      <p className="hint">{t('rules.lead')}</p>
      <fieldset className={message('mfaRequired') ? 'choices field-invalid' : 'choices'}>
        <legend>{t('rules.mfaRequired.legend')}</legend>
        {MFA_REQUIRED.map((value) => (
          <div key={value} className="choice">
            <input
              id={`${id}-mfa-${value}`}
              type="radio"
              name={`${id}-mfaRequired`}
              value={value}
              checked={rules.mfaRequired === value}
              onChange={() => onChange('mfaRequired', value)}
              aria-invalid={Boolean(message('mfaRequired'))}
              aria-describedby={describedBy(`${id}-mfa-${value}-hint`, 'mfaRequired')}
            />
            <label htmlFor={`${id}-mfa-${value}`}>{t(`rules.mfaRequired.${value}.label`)}</label>
            <small id={`${id}-mfa-${value}-hint`} className="hint">
              {t(`rules.mfaRequired.${value}.hint`)}
            </small>
          </div>
        ))}
        {fieldError('mfaRequired')}
      </fieldset>
      <fieldset className={message('allowedFactors') ? 'choices field-invalid' : 'choices'}>
        <legend>{t('rules.allowedFactors.legend')}</legend>
        {FACTOR_KINDS.map((kind) => (
          <div key={kind} className="choice">
            <input
              id={`${id}-factor-${kind}`}
              type="checkbox"
              value={kind}
              checked={rules.allowedFactors.includes(kind)}
              onChange={(e) =>
                onChange(
                  'allowedFactors',
                  FACTOR_KINDS.filter((k) => (k === kind ? e.target.checked : rules.allowedFactors.includes(k))),
                )
              }
              aria-invalid={Boolean(message('allowedFactors'))}
              aria-describedby={describedBy(`${id}-factor-${kind}-hint`, 'allowedFactors')}
            />
            <label htmlFor={`${id}-factor-${kind}`}>{t(`rules.allowedFactors.${kind}.label`)}</label>
            <small id={`${id}-factor-${kind}-hint`} className="hint">
              {t(`rules.allowedFactors.${kind}.hint`)}
            </small>
          </div>
        ))}
        {fieldError('allowedFactors')}
      </fieldset>
      <fieldset className={message('passkeySignIn') ? 'choices field-invalid' : 'choices'}>
        <legend>{t('rules.passkeySignIn.legend')}</legend>
        <div className="choice">
          <input
            id={`${id}-passkey-sign-in`}
            type="checkbox"
            // Without passkeys allowed the setting has no effect: it is shown off, and kept.
            checked={passkeysAllowed && rules.passkeySignIn}
            disabled={!passkeysAllowed}
            onChange={(e) => onChange('passkeySignIn', e.target.checked)}
            aria-invalid={Boolean(message('passkeySignIn'))}
            aria-describedby={describedBy(`${id}-passkey-sign-in-hint`, 'passkeySignIn')}
          />
          <label htmlFor={`${id}-passkey-sign-in`}>{t('rules.passkeySignIn.label')}</label>
          <small id={`${id}-passkey-sign-in-hint`} className="hint">
            {passkeysAllowed ? t('rules.passkeySignIn.hint') : t('rules.passkeySignIn.needsPasskeys')}
          </small>
        </div>
        {fieldError('passkeySignIn')}
      </fieldset>
      <fieldset className={message('passkeyUserVerification') ? 'choices field-invalid' : 'choices'}>
        <legend>{t('rules.passkeyUserVerification.legend')}</legend>
        {USER_VERIFICATION.map((value) => (
          <div key={value} className="choice">
            <input
              id={`${id}-uv-${value}`}
              type="radio"
              name={`${id}-passkeyUserVerification`}
              value={value}
              checked={rules.passkeyUserVerification === value}
              // Without passkeys allowed the setting has no effect: it is kept, not offered.
              disabled={!passkeysAllowed}
              onChange={() => onChange('passkeyUserVerification', value)}
              aria-invalid={Boolean(message('passkeyUserVerification'))}
              aria-describedby={describedBy(
                [`${id}-uv-${value}-hint`, passkeysAllowed ? '' : `${id}-uv-needs`].filter(Boolean).join(' '),
                'passkeyUserVerification',
              )}
            />
            <label htmlFor={`${id}-uv-${value}`}>{t(`rules.passkeyUserVerification.${value}.label`)}</label>
            <small id={`${id}-uv-${value}-hint`} className="hint">
              {t(`rules.passkeyUserVerification.${value}.hint`)}
            </small>
          </div>
        ))}
        {!passkeysAllowed && (
          <small id={`${id}-uv-needs`} className="hint">
            {t('rules.passkeySignIn.needsPasskeys')}
          </small>
        )}
        {fieldError('passkeyUserVerification')}
      </fieldset>
    </section>
  );
}
