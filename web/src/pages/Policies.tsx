// Access policies: a Cedar editor validated as you type (problems at line and column), the
// effect of a change before it is saved (simulateAccessChange), and "can user X use application
// Y?" (explainAccess).
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useMutation, useQuery, request, toApiError, type ApiError } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type {
  AccessSimulationQuery,
  AppsForExplainQuery,
  ExplainAccessQuery,
  ProposedChangeInput,
  ValidatePolicyQuery,
} from '../gql/graphql';
import { formatNumber } from '../i18n';
import { ListView } from '../list';
import { SubjectPicker, type Picked } from '../pickers';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, formatTime, useFlash } from '../ui';

type PolicyProblem = ValidatePolicyQuery['validateAccessPolicy']['problems'][number];

const PoliciesQuery = graphql(`
  query AccessPolicies($instanceId: ID!) {
    instance(id: $instanceId) {
      id
      accessPolicies {
        id
        policyId
        name
        description
        source
        enabled
        updatedAt
      }
    }
  }
`);

const ValidatePolicy = graphql(`
  query ValidatePolicy($instanceId: ID!, $source: String!) {
    validateAccessPolicy(instanceId: $instanceId, source: $source) {
      valid
      problems {
        message
        line
        column
      }
    }
  }
`);

const SimulateChange = graphql(`
  query AccessSimulation($input: SimulateAccessChangeInput!) {
    simulateAccessChange(input: $input) {
      evaluatedPairs
      gained
      lost
      changes(first: 20) {
        totalCount
        nodes {
          gainsAccess
          user {
            id
            username
          }
          application {
            id
            name
          }
        }
      }
    }
  }
`);

const CreatePolicy = graphql(`
  mutation CreateAccessPolicy($input: CreateAccessPolicyInput!) {
    createAccessPolicy(input: $input) {
      accessPolicy {
        id
      }
    }
  }
`);

const UpdatePolicy = graphql(`
  mutation UpdateAccessPolicy($input: UpdateAccessPolicyInput!) {
    updateAccessPolicy(input: $input) {
      accessPolicy {
        id
      }
    }
  }
`);

const DeletePolicy = graphql(`
  mutation DeleteAccessPolicy($id: ID!) {
    deleteAccessPolicy(input: { id: $id }) {
      deletedId
    }
  }
`);

const AppsForExplain = graphql(`
  query AppsForExplain($instanceId: ID!) {
    instance(id: $instanceId) {
      id
      applications(first: 100) {
        nodes {
          id
          name
        }
      }
    }
  }
`);

const Explain = graphql(`
  query ExplainAccess($userId: ID!, $applicationId: ID!, $context: AccessContextInput) {
    explainAccess(userId: $userId, applicationId: $applicationId, context: $context) {
      allowed
      summary
      reasons {
        policyId
        effect
        origin
        description
      }
      diagnostics
    }
  }
`);

/** The policy a new one starts from, with its comment in the console's language. */
export const policyExample = (comment: string) => `// ${comment}
forbid (principal, action == Lanyard::Action::"sso", resource)
unless { context.sourceIp.isInRange(ip("10.0.0.0/8")) };
`;

type Editing = { id?: string; name: string; description: string; source: string; enabled: boolean };

export function Policies({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('policies');
  const policies = useQuery(PoliciesQuery, { instanceId });
  const remove = useMutation(DeletePolicy);
  const update = useMutation(UpdatePolicy);
  const [editing, setEditing] = useState<Editing>();
  const [flash, setFlash] = useFlash();
  return (
    <section>
      <div className="title-row">
        <h1>{t('title')}</h1>
        <button
          type="button"
          className="primary"
          onClick={() => setEditing({ name: '', description: '', source: policyExample(t('exampleComment')), enabled: true })}
        >
          {t('newPolicy')}
        </button>
      </div>
      <p className="lead">
        <Trans t={t} i18nKey="lead" components={{ code: <code /> }} />
      </p>
      <Flash message={flash} />
      {editing && (
        <PolicyEditor
          key={editing.id ?? 'new'}
          instanceId={instanceId}
          initial={editing}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) {
              setFlash(t('saved'));
              policies.reload();
            }
          }}
        />
      )}
      <ListView
        query={policies}
        error={remove.error ?? update.error}
        rows={policies.data?.instance.accessPolicies}
        empty={t('empty')}
        columns={[
          {
            header: t('columns.name'),
            cell: (p) => (
              <>
                {p.name}
                <div className="muted">{p.description}</div>
              </>
            ),
          },
          { header: t('columns.policy'), cell: (p) => <pre className="code small">{p.source}</pre> },
          { header: t('columns.state'), cell: (p) => (p.enabled ? t('enabled') : t('disabled')) },
          { header: t('columns.updated'), cell: (p) => formatTime(p.updatedAt) },
          {
            header: t('columns.operations'),
            actions: true,
            cell: (p) => (
              <>
                <button
                  type="button"
                  onClick={() => setEditing({ id: p.id, name: p.name, description: p.description, source: p.source, enabled: p.enabled })}
                >
                  {t('edit')}
                </button>
                <button
                  type="button"
                  onClick={async () => {
                    if (await update.run({ input: { id: p.id, enabled: !p.enabled } })) policies.reload();
                  }}
                >
                  {p.enabled ? t('disable') : t('enable')}
                </button>
                <ConfirmButton
                  label={t('delete')}
                  question={t('deleteQuestion', { name: p.name })}
                  onConfirm={async () => {
                    if (await remove.run({ id: p.id })) policies.reload();
                  }}
                />
              </>
            ),
          },
        ]}
      />
      <ExplainPanel instanceId={instanceId} />
    </section>
  );
}

function PolicyEditor({ instanceId, initial, onDone }: { instanceId: string; initial: Editing; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation('policies');
  const form = useForm({
    initial,
    submit: async ({ id, ...input }) =>
      id ? request(UpdatePolicy, { input: { id, ...input } }) : request(CreatePolicy, { input: { instanceId, ...input } }),
    onSuccess: () => onDone(true),
  });
  const value = form.values;
  const saveError = form.error;
  const [problems, setProblems] = useState<PolicyProblem[]>();
  const [validating, setValidating] = useState(false);
  const [simulation, setSimulation] = useState<AccessSimulationQuery['simulateAccessChange']>();
  const [simError, setSimError] = useState<ApiError>();
  const [simulating, setSimulating] = useState(false);

  // Validate a moment after typing stops; the answer is for the text it was asked about.
  useEffect(() => {
    let current = true;
    setValidating(true);
    const timer = setTimeout(async () => {
      try {
        const r = await request(ValidatePolicy, { instanceId, source: value.source });
        if (current) setProblems(r.validateAccessPolicy.problems);
      } catch {
        if (current) setProblems(undefined);
      } finally {
        if (current) setValidating(false);
      }
    }, 300);
    setSimulation(undefined);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [instanceId, value.source]);

  async function simulate() {
    setSimulating(true);
    setSimError(undefined);
    const change: ProposedChangeInput = value.id
      ? { updatePolicy: { id: value.id, source: value.source, enabled: value.enabled } }
      : { createPolicy: value.source };
    try {
      const r = await request(SimulateChange, { input: { instanceId, change } });
      setSimulation(r.simulateAccessChange);
    } catch (e) {
      setSimError(toApiError(e));
    } finally {
      setSimulating(false);
    }
  }

  // A save refused for the source carries line/column too.
  const sourceProblems: { message: string; line: number; column: number }[] =
    problems ??
    (saveError?.details
      .filter((d) => d.field === 'source' && d.line)
      .map((d) => ({ message: d.message, line: d.line ?? 0, column: d.column ?? 0 })) ?? []);

  return (
    <form
      className="card"
      aria-labelledby="policy-editor"
      onSubmit={form.onSubmit}
    >
      <h2 id="policy-editor">{value.id ? t('editor.editTitle') : t('editor.newTitle')}</h2>
      <FormErrors error={saveError} fields={['name', 'description', 'source']} />
      <Field label={t('editor.name')} name="name" error={saveError}>
        {(a) => <input {...a} required {...form.bind('name')} />}
      </Field>
      <Field label={t('editor.description')} name="description" error={saveError}>
        {(a) => <input {...a} {...form.bind('description')} />}
      </Field>
      <div className="field">
        <label htmlFor="policy-source">{t('editor.source')}</label>
        <textarea
          id="policy-source"
          className="code"
          rows={8}
          spellCheck={false}
          aria-invalid={sourceProblems.length > 0}
          aria-describedby="policy-problems"
          {...form.bind('source')}
        />
        <div id="policy-problems" aria-live="polite">
          {validating ? (
            <small className="muted">{t('editor.checking')}</small>
          ) : sourceProblems.length ? (
            <ul className="problems">
              {sourceProblems.map((p, i) => (
                <li key={i} className="field-error">
                  {t('editor.problem', { line: p.line, column: p.column, message: p.message })}
                </li>
              ))}
            </ul>
          ) : problems ? (
            <small className="ok">{t('editor.valid')}</small>
          ) : null}
        </div>
      </div>
      <div className="field checkbox">
        <input id="policy-enabled" type="checkbox" checked={value.enabled} onChange={(e) => form.set('enabled', e.target.checked)} />
        <label htmlFor="policy-enabled">{t('editor.enabled')}</label>
      </div>
      <div className="buttons">
        <button type="button" onClick={simulate} disabled={simulating || Boolean(problems?.length)}>
          {simulating ? t('editor.simulating') : t('editor.simulate')}
        </button>
        <button type="submit" className="primary" disabled={form.pending || Boolean(problems?.length)}>
          {t('editor.save')}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t('editor.cancel')}
        </button>
      </div>
      <ErrorBanner error={simError} />
      {simulation && (
        <div className="simulation" role="status">
          <p>
            <Trans
              t={t}
              i18nKey="editor.simulation"
              values={{
                pairs: formatNumber(simulation.evaluatedPairs),
                gained: formatNumber(simulation.gained),
                lost: formatNumber(simulation.lost),
              }}
              components={{ strong: <strong /> }}
            />
          </p>
          {simulation.changes.nodes.length > 0 && (
            <ul>
              {simulation.changes.nodes.map((c, i) => (
                <li key={i}>
                  {t(c.gainsAccess ? 'editor.gains' : 'editor.loses', {
                    user: c.user.username,
                    application: c.application.name,
                  })}
                </li>
              ))}
              {simulation.changes.totalCount > simulation.changes.nodes.length && <li>…</li>}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

function ExplainPanel({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('policies');
  const apps = useQuery(AppsForExplain, { instanceId });
  const [user, setUser] = useState<Picked>();
  return (
    <div className="card">
      <h2>{t('explain.title')}</h2>
      {!user ? (
        <SubjectPicker instanceId={instanceId} kind="USER" actionLabel={t('explain.choose')} onPick={setUser} />
      ) : (
        <ExplainForm
          key={user.id}
          user={user}
          applications={apps.data?.instance.applications.nodes ?? []}
          onChooseAnother={() => setUser(undefined)}
        />
      )}
    </div>
  );
}

function ExplainForm(props: {
  user: Picked;
  applications: AppsForExplainQuery['instance']['applications']['nodes'];
  onChooseAnother: () => void;
}) {
  const { t } = useTranslation('policies');
  const { user } = props;
  const [answer, setAnswer] = useState<ExplainAccessQuery['explainAccess']>();
  const explain = useForm({
    initial: { applicationId: '', sourceIp: '', mfa: false },
    submit: ({ applicationId, sourceIp, mfa }) => {
      setAnswer(undefined);
      return request(Explain, { userId: user.id, applicationId, context: { sourceIp: sourceIp || null, mfa } });
    },
    onSuccess: (r) => setAnswer(r.explainAccess),
  });
  const error = explain.error;
  return (
    <>
      <form onSubmit={explain.onSubmit}>
        <p>
          <Trans t={t} i18nKey="explain.user" values={{ name: user.name }} components={{ strong: <strong /> }} />{' '}
          <button type="button" className="link" onClick={props.onChooseAnother}>
            {t('explain.chooseAnother')}
          </button>
        </p>
        <div className="field">
          <label htmlFor="explain-app">{t('explain.application')}</label>
          <select id="explain-app" required {...explain.bind('applicationId')}>
            <option value="">{t('explain.chooseApplication')}</option>
            {props.applications.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <Field label={t('explain.sourceIp')} name="context.sourceIp" error={error}>
          {(a) => <input {...a} placeholder="10.1.2.3" {...explain.bind('sourceIp')} />}
        </Field>
        <div className="field checkbox">
          <input id="explain-mfa" type="checkbox" checked={explain.values.mfa} onChange={(e) => explain.set('mfa', e.target.checked)} />
          <label htmlFor="explain-mfa">{t('explain.mfa')}</label>
        </div>
        <button type="submit" className="primary" disabled={explain.pending || !explain.values.applicationId}>
          {explain.pending ? t('explain.deciding') : t('explain.explain')}
        </button>
        <FormErrors error={error} fields={['context.sourceIp']} />
      </form>
      {answer && (
        <div className={answer.allowed ? 'alert alert-ok' : 'alert alert-error'} role="status">
          <p>
            <strong>{answer.allowed ? t('explain.allowed') : t('explain.denied')}</strong> {answer.summary}
          </p>
          {answer.reasons.length > 0 && (
            <ul>
              {answer.reasons.map((r, i) => (
                <li key={i}>
                  <Trans
                    t={t}
                    i18nKey="explain.reason"
                    values={{
                      effect: t(`explain.effect.${r.effect}`),
                      policyId: r.policyId,
                      origin: t(`explain.origin.${r.origin}`),
                      description: r.description,
                    }}
                    components={{ code: <code /> }}
                  />
                </li>
              ))}
            </ul>
          )}
          {answer.diagnostics.map((d, i) => (
            <p key={i} className="muted">
              {d}
            </p>
          ))}
        </div>
      )}
    </>
  );
}
