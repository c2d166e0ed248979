// Access policies: a Cedar editor validated as you type (problems at line and column), the
// effect of a change before it is saved (simulateAccessChange), and "can user X use application
// Y?" (explainAccess).
import { useEffect, useState } from 'react';
import { useMutation, useQuery, request, toApiError, type ApiError } from '../api';
import { graphql } from '../gql';
import type { AccessSimulationQuery, ProposedChangeInput, ValidatePolicyQuery } from '../gql/graphql';

type PolicyProblem = ValidatePolicyQuery['validateAccessPolicy']['problems'][number];
import { SubjectPicker } from '../pickers';
import { ConfirmButton, Empty, ErrorBanner, Field, Flash, FormErrors, Loading, formatTime, useFlash } from '../ui';

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

export const POLICY_EXAMPLE = `// Office network only.
forbid (principal, action == Lanyard::Action::"sso", resource)
unless { context.sourceIp.isInRange(ip("10.0.0.0/8")) };
`;

type Editing = { id?: string; name: string; description: string; source: string; enabled: boolean };

export function Policies({ instanceId }: { instanceId: string }) {
  const policies = useQuery(PoliciesQuery, { instanceId });
  const remove = useMutation(DeletePolicy);
  const update = useMutation(UpdatePolicy);
  const [editing, setEditing] = useState<Editing>();
  const [flash, setFlash] = useFlash();
  const list = policies.data?.instance.accessPolicies;
  return (
    <section>
      <div className="title-row">
        <h1>Access policies</h1>
        <button
          type="button"
          className="primary"
          onClick={() => setEditing({ name: '', description: '', source: POLICY_EXAMPLE, enabled: true })}
        >
          New policy
        </button>
      </div>
      <p className="lead">
        Cedar rules on top of each application's authorization scope. A <code>forbid</code> always
        wins.
      </p>
      <Flash message={flash} />
      <ErrorBanner error={policies.error ?? remove.error ?? update.error} onRetry={policies.reload} />
      {editing && (
        <PolicyEditor
          key={editing.id ?? 'new'}
          instanceId={instanceId}
          initial={editing}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) {
              setFlash('Policy saved.');
              policies.reload();
            }
          }}
        />
      )}
      {!list && policies.loading && <Loading />}
      {list && list.length === 0 && <Empty>No instance policies: the authorization scopes alone decide.</Empty>}
      {list && list.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Policy</th>
              <th scope="col">State</th>
              <th scope="col">Updated</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.id}>
                <td data-label="Name">
                  {p.name}
                  <div className="muted">{p.description}</div>
                </td>
                <td data-label="Policy">
                  <pre className="code small">{p.source}</pre>
                </td>
                <td data-label="State">{p.enabled ? 'Enabled' : 'Disabled'}</td>
                <td data-label="Updated">{formatTime(p.updatedAt)}</td>
                <td className="actions">
                  <button
                    type="button"
                    onClick={() => setEditing({ id: p.id, name: p.name, description: p.description, source: p.source, enabled: p.enabled })}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    onClick={async () => {
                      if (await update.run({ input: { id: p.id, enabled: !p.enabled } })) policies.reload();
                    }}
                  >
                    {p.enabled ? 'Disable' : 'Enable'}
                  </button>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete the policy ${p.name}?`}
                    onConfirm={async () => {
                      if (await remove.run({ id: p.id })) policies.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ExplainPanel instanceId={instanceId} />
    </section>
  );
}

function PolicyEditor({ instanceId, initial, onDone }: { instanceId: string; initial: Editing; onDone: (saved: boolean) => void }) {
  const [value, setValue] = useState(initial);
  const [problems, setProblems] = useState<PolicyProblem[]>();
  const [validating, setValidating] = useState(false);
  const [simulation, setSimulation] = useState<AccessSimulationQuery['simulateAccessChange']>();
  const [simError, setSimError] = useState<ApiError>();
  const [simulating, setSimulating] = useState(false);
  const create = useMutation(CreatePolicy);
  const update = useMutation(UpdatePolicy);
  const saveError = create.error ?? update.error;

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

  async function save() {
    const ok = value.id
      ? await update.run({ input: { id: value.id, name: value.name, description: value.description, source: value.source, enabled: value.enabled } })
      : await create.run({ input: { instanceId, name: value.name, description: value.description, source: value.source, enabled: value.enabled } });
    if (ok) onDone(true);
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
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="policy-editor">{value.id ? 'Edit policy' : 'New policy'}</h2>
      <FormErrors error={saveError} fields={['name', 'description', 'source']} />
      <Field label="Name" name="name" error={saveError}>
        {(a) => <input {...a} required value={value.name} onChange={(e) => setValue({ ...value, name: e.target.value })} />}
      </Field>
      <Field label="Description" name="description" error={saveError}>
        {(a) => <input {...a} value={value.description} onChange={(e) => setValue({ ...value, description: e.target.value })} />}
      </Field>
      <div className="field">
        <label htmlFor="policy-source">Cedar policy</label>
        <textarea
          id="policy-source"
          className="code"
          rows={8}
          spellCheck={false}
          aria-invalid={sourceProblems.length > 0}
          aria-describedby="policy-problems"
          value={value.source}
          onChange={(e) => setValue({ ...value, source: e.target.value })}
        />
        <div id="policy-problems" aria-live="polite">
          {validating ? (
            <small className="muted">Checking…</small>
          ) : sourceProblems.length ? (
            <ul className="problems">
              {sourceProblems.map((p, i) => (
                <li key={i} className="field-error">
                  Line {p.line}, column {p.column}: {p.message}
                </li>
              ))}
            </ul>
          ) : problems ? (
            <small className="ok">Valid against the schema.</small>
          ) : null}
        </div>
      </div>
      <div className="field checkbox">
        <input id="policy-enabled" type="checkbox" checked={value.enabled} onChange={(e) => setValue({ ...value, enabled: e.target.checked })} />
        <label htmlFor="policy-enabled">Enabled</label>
      </div>
      <div className="buttons">
        <button type="button" onClick={simulate} disabled={simulating || Boolean(problems?.length)}>
          {simulating ? 'Simulating…' : 'What would change?'}
        </button>
        <button type="submit" className="primary" disabled={create.pending || update.pending || Boolean(problems?.length)}>
          Save policy
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
      <ErrorBanner error={simError} />
      {simulation && (
        <div className="simulation" role="status">
          <p>
            Of {simulation.evaluatedPairs} user–application pairs, <strong>{simulation.gained}</strong> would gain access and{' '}
            <strong>{simulation.lost}</strong> would lose it.
          </p>
          {simulation.changes.nodes.length > 0 && (
            <ul>
              {simulation.changes.nodes.map((c, i) => (
                <li key={i}>
                  {c.user.username} {c.gainsAccess ? 'gains' : 'loses'} {c.application.name}
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
  const apps = useQuery(AppsForExplain, { instanceId });
  const [user, setUser] = useState<{ id: string; name: string }>();
  const [applicationId, setApplicationId] = useState('');
  const [sourceIp, setSourceIp] = useState('');
  const [mfa, setMfa] = useState(false);
  const [answer, setAnswer] = useState<import('../gql/graphql').ExplainAccessQuery['explainAccess']>();
  const [error, setError] = useState<ApiError>();
  const [pending, setPending] = useState(false);
  const appList = apps.data?.instance.applications.nodes ?? [];
  return (
    <div className="card">
      <h2>Can a user use an application?</h2>
      {!user ? (
        <SubjectPicker instanceId={instanceId} kind="USER" actionLabel="Choose" onPick={(p) => setUser({ id: p.id, name: p.name })} />
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setPending(true);
            setError(undefined);
            try {
              const r = await request(Explain, {
                userId: user.id,
                applicationId,
                context: { sourceIp: sourceIp || null, mfa },
              });
              setAnswer(r.explainAccess);
            } catch (err) {
              setAnswer(undefined);
              setError(toApiError(err));
            } finally {
              setPending(false);
            }
          }}
        >
          <p>
            User <strong>{user.name}</strong>{' '}
            <button type="button" className="link" onClick={() => { setUser(undefined); setAnswer(undefined); }}>
              Choose another
            </button>
          </p>
          <div className="field">
            <label htmlFor="explain-app">Application</label>
            <select id="explain-app" required value={applicationId} onChange={(e) => setApplicationId(e.target.value)}>
              <option value="">Choose…</option>
              {appList.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <Field label="From address (optional)" name="context.sourceIp" error={error}>
            {(a) => <input {...a} placeholder="10.1.2.3" value={sourceIp} onChange={(e) => setSourceIp(e.target.value)} />}
          </Field>
          <div className="field checkbox">
            <input id="explain-mfa" type="checkbox" checked={mfa} onChange={(e) => setMfa(e.target.checked)} />
            <label htmlFor="explain-mfa">Signed in with a second factor</label>
          </div>
          <button type="submit" className="primary" disabled={pending || !applicationId}>
            {pending ? 'Deciding…' : 'Explain'}
          </button>
          <FormErrors error={error} fields={['context.sourceIp']} />
        </form>
      )}
      {answer && (
        <div className={answer.allowed ? 'alert alert-ok' : 'alert alert-error'} role="status">
          <p>
            <strong>{answer.allowed ? 'Allowed' : 'Denied'}.</strong> {answer.summary}
          </p>
          {answer.reasons.length > 0 && (
            <ul>
              {answer.reasons.map((r, i) => (
                <li key={i}>
                  {r.effect === 'FORBID' ? 'forbid' : 'permit'} <code>{r.policyId}</code> ({r.origin.toLowerCase()}): {r.description}
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
    </div>
  );
}
