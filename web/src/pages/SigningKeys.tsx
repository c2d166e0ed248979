import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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

/** The algorithms a key may have; their names are the same in every language. */
const ALGORITHMS: { value: SigningKeyAlgorithm; label: string }[] = [
  { value: 'RSA_2048', label: 'RSA 2048' },
  { value: 'RSA_3072', label: 'RSA 3072' },
  { value: 'ECDSA_P256', label: 'ECDSA P-256' },
];

export function SigningKeys({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('keys');
  const keys = useQuery(KeysQuery, { instanceId });
  const rotate = useMutation(Rotate);
  const activate = useMutation(Activate);
  const [algorithm, setAlgorithm] = useState<SigningKeyAlgorithm>('RSA_2048');
  const [flash, setFlash] = useFlash();
  const hasPending = keys.data?.signingKeys.some((k) => k.state === 'PENDING');
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      <Flash message={flash} />
      <ListView
        query={keys}
        error={rotate.error ?? activate.error}
        rows={keys.data?.signingKeys}
        empty={t('empty')}
        toolbar={
          <>
            <label htmlFor="algorithm">{t('algorithm')}</label>
            <select id="algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as SigningKeyAlgorithm)}>
              {ALGORITHMS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="primary"
              disabled={rotate.pending || hasPending}
              title={hasPending ? t('activatePendingFirst') : undefined}
              onClick={async () => {
                if (await rotate.run({ input: { instanceId, algorithm } })) {
                  setFlash(t('added'));
                  keys.reload();
                }
              }}
            >
              {rotate.pending ? t('generating') : t('rotate')}
            </button>
          </>
        }
        columns={[
          {
            header: t('column.state'),
            cell: (k) => <span className={`badge badge-${k.state.toLowerCase()}`}>{t(`state.${k.state}`)}</span>,
          },
          { header: t('column.algorithm'), cell: (k) => k.algorithm.replace('_', ' ') },
          {
            header: t('column.fingerprint'),
            label: t('column.fingerprintLabel'),
            cell: (k) => <code className="wrap">{k.fingerprintSha256}</code>,
          },
          { header: t('column.created'), cell: (k) => formatTime(k.createdAt) },
          { header: t('column.validUntil'), cell: (k) => formatTime(k.notAfter) },
          {
            header: t('column.operations'),
            actions: true,
            cell: (k) =>
              k.state === 'PENDING' && (
                <ConfirmButton
                  label={t('activate')}
                  confirmLabel={t('activateConfirm')}
                  danger={false}
                  question={t('activateQuestion')}
                  onConfirm={async () => {
                    if (await activate.run({ input: { instanceId, id: k.id } })) {
                      setFlash(t('activated'));
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
