import { useState } from 'react';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import type { SigningKeyAlgorithm } from '../gql/graphql';
import { ConfirmButton, Empty, ErrorBanner, Flash, Loading, formatTime, useFlash } from '../ui';

const KeysQuery = graphql(`
  query SigningKeys($instanceId: ID!) {
    signingKeys(instanceId: $instanceId) {
      id
      algorithm
      state
      fingerprintSha256
      notAfter
      createdAt
      activatedAt
      retiredAt
    }
  }
`);

const Rotate = graphql(`
  mutation RotateSigningKey($input: RotateSigningKeyInput!) {
    rotateSigningKey(input: $input) {
      signingKey {
        id
      }
    }
  }
`);

const Activate = graphql(`
  mutation ActivateSigningKey($input: ActivateSigningKeyInput!) {
    activateSigningKey(input: $input) {
      signingKey {
        id
      }
    }
  }
`);

export function SigningKeys({ instanceId }: { instanceId: string }) {
  const keys = useQuery(KeysQuery, { instanceId });
  const rotate = useMutation(Rotate);
  const activate = useMutation(Activate);
  const [algorithm, setAlgorithm] = useState<SigningKeyAlgorithm>('RSA_2048');
  const [flash, setFlash] = useFlash();
  const list = keys.data?.signingKeys;
  const hasPending = list?.some((k) => k.state === 'PENDING');
  return (
    <section>
      <h1>Signing keys</h1>
      <p className="lead">
        To roll over without downtime: add a pending key (the IdP metadata lists it at once), let
        service providers fetch the metadata, then activate it.
      </p>
      <Flash message={flash} />
      <ErrorBanner error={keys.error ?? rotate.error ?? activate.error} onRetry={keys.reload} />
      <div className="toolbar">
        <label htmlFor="algorithm">Algorithm</label>
        <select id="algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as SigningKeyAlgorithm)}>
          <option value="RSA_2048">RSA 2048</option>
          <option value="RSA_3072">RSA 3072</option>
          <option value="ECDSA_P256">ECDSA P-256</option>
        </select>
        <button
          type="button"
          className="primary"
          disabled={rotate.pending || hasPending}
          title={hasPending ? 'Activate the pending key first' : undefined}
          onClick={async () => {
            if (await rotate.run({ input: { instanceId, algorithm } })) {
              setFlash('Added a pending key.');
              keys.reload();
            }
          }}
        >
          {rotate.pending ? 'Generating…' : 'Rotate: add a pending key'}
        </button>
      </div>
      {!list && keys.loading && <Loading />}
      {list && list.length === 0 && <Empty>No keys yet; one is made when something first needs to sign.</Empty>}
      {list && list.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Algorithm</th>
              <th scope="col">SHA-256 fingerprint</th>
              <th scope="col">Created</th>
              <th scope="col">Valid until</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {list.map((k) => (
              <tr key={k.id}>
                <td data-label="State">
                  <span className={`badge badge-${k.state.toLowerCase()}`}>{k.state.toLowerCase()}</span>
                </td>
                <td data-label="Algorithm">{k.algorithm.replace('_', ' ')}</td>
                <td data-label="Fingerprint">
                  <code className="wrap">{k.fingerprintSha256}</code>
                </td>
                <td data-label="Created">{formatTime(k.createdAt)}</td>
                <td data-label="Valid until">{formatTime(k.notAfter)}</td>
                <td className="actions">
                  {k.state === 'PENDING' && (
                    <ConfirmButton
                      label="Activate"
                      danger={false}
                      question="Sign with this key from now on? Service providers must have the new metadata."
                      onConfirm={async () => {
                        if (await activate.run({ input: { instanceId, id: k.id } })) {
                          setFlash('Activated; the previous key is retired.');
                          keys.reload();
                        }
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
