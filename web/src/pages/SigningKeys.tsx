import { useState } from 'react';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import type { SigningKeyAlgorithm } from '../gql/graphql';
import { ListView } from '../list';
import { ConfirmButton, Flash, formatTime, useFlash } from '../ui';

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
  const hasPending = keys.data?.signingKeys.some((k) => k.state === 'PENDING');
  return (
    <section>
      <h1>Signing keys</h1>
      <p className="lead">
        To roll over without downtime: add a pending key (the IdP metadata lists it at once), let
        service providers fetch the metadata, then activate it.
      </p>
      <Flash message={flash} />
      <ListView
        query={keys}
        error={rotate.error ?? activate.error}
        rows={keys.data?.signingKeys}
        empty="No keys yet; one is made when something first needs to sign."
        toolbar={
          <>
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
          </>
        }
        columns={[
          { header: 'State', cell: (k) => <span className={`badge badge-${k.state.toLowerCase()}`}>{k.state.toLowerCase()}</span> },
          { header: 'Algorithm', cell: (k) => k.algorithm.replace('_', ' ') },
          { header: 'SHA-256 fingerprint', label: 'Fingerprint', cell: (k) => <code className="wrap">{k.fingerprintSha256}</code> },
          { header: 'Created', cell: (k) => formatTime(k.createdAt) },
          { header: 'Valid until', cell: (k) => formatTime(k.notAfter) },
          {
            header: 'Operations',
            actions: true,
            cell: (k) =>
              k.state === 'PENDING' && (
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
              ),
          },
        ]}
      />
    </section>
  );
}
