import { Suspense, lazy, useEffect, useState } from 'react';
import { NavLink, Navigate, Route, Routes, useParams } from 'react-router';
import { setUnauthenticatedHandler, signOut, useQuery } from './api';
import { graphql } from './gql';
import { useTranslation } from 'react-i18next';
import { ErrorBanner, Loading } from './ui';
import { LanguagePicker } from './LanguagePicker';
import { SignIn } from './pages/SignIn';
import { Instances } from './pages/Instances';
import { Groups, GroupDetail } from './pages/Groups';
import { OrgUnits } from './pages/OrgUnits';
import { SigningKeys } from './pages/SigningKeys';
import { ApiTokens } from './pages/ApiTokens';
import { AuditLog } from './pages/AuditLog';
import { Deliveries, EventSubscriptions } from './pages/Deliveries';
import { Provisioning } from './pages/Provisioning';
import { Security } from './pages/Security';

// The largest pages are loaded when they are first shown, not with the console: the overview
// carries the chart library, the application pages the SSO forms and the policy editor, the
// user pages the CSV import and a user's memberships, sessions and second factors.
const Users = lazy(() => import('./pages/Users').then((m) => ({ default: m.Users })));
const UserDetail = lazy(() => import('./pages/Users').then((m) => ({ default: m.UserDetail })));
const Applications = lazy(() => import('./pages/Applications').then((m) => ({ default: m.Applications })));
const AddApplication = lazy(() => import('./pages/Applications').then((m) => ({ default: m.AddApplication })));
const ApplicationDetail = lazy(() =>
  import('./pages/Applications').then((m) => ({ default: m.ApplicationDetail })),
);
const Policies = lazy(() => import('./pages/Policies').then((m) => ({ default: m.Policies })));
const Overview = lazy(() => import('./pages/Overview').then((m) => ({ default: m.Overview })));
const PlatformOverview = lazy(() =>
  import('./pages/Overview').then((m) => ({ default: m.PlatformOverview })),
);

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      name
      kind
      superAdmin
      globalAuditor
    }
  }
`);

const InstanceNameQuery = graphql(`
  query InstanceName($id: ID!) {
    instance(id: $id) {
      id
      name
    }
  }
`);

export function App() {
  const { t } = useTranslation('shell');
  const viewer = useQuery(ViewerQuery, {});
  const [signedOut, setSignedOut] = useState(false);
  useEffect(() => setUnauthenticatedHandler(() => setSignedOut(true)), []);

  if (viewer.loading && !viewer.data) return <Loading label={t('opening')} />;
  if (signedOut || viewer.error?.code === 'UNAUTHENTICATED') {
    return (
      <SignIn
        onSignedIn={() => {
          setSignedOut(false);
          viewer.reload();
        }}
      />
    );
  }
  if (viewer.error) return <ErrorBanner error={viewer.error} onRetry={viewer.reload} />;
  const me = viewer.data!.viewer;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('skip')}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Lanyard
        </NavLink>
        <nav aria-label={t('nav.console')}>
          <NavLink to="/" end>
            {t('nav.instances')}
          </NavLink>
          {me.superAdmin && <NavLink to="/tokens">{t('nav.tokens')}</NavLink>}
          {(me.superAdmin || me.globalAuditor) && <NavLink to="/overview">{t('nav.platformOverview')}</NavLink>}
          {(me.superAdmin || me.globalAuditor) && <NavLink to="/audit">{t('nav.platformAudit')}</NavLink>}
        </nav>
        <span className="who">
          <LanguagePicker />
          {me.name}
          {me.kind === 'ADMIN' && <NavLink to="/security">{t('nav.security')}</NavLink>}
          <button
            type="button"
            className="link"
            onClick={async () => {
              await signOut();
              setSignedOut(true);
            }}
          >
            {t('signOut')}
          </button>
        </span>
      </header>
      <Routes>
        <Route
          path="/"
          element={
            <main id="main">
              <Instances />
            </main>
          }
        />
        <Route
          path="/tokens"
          element={
            <main id="main">
              <ApiTokens />
            </main>
          }
        />
        <Route
          path="/overview"
          element={
            <main id="main">
              <Suspense fallback={<Loading />}>
                <PlatformOverview />
              </Suspense>
            </main>
          }
        />
        <Route
          path="/audit"
          element={
            <main id="main">
              <AuditLog />
            </main>
          }
        />
        <Route
          path="/security"
          element={
            <main id="main">
              <Security
                onSignInAgain={async () => {
                  await signOut();
                  setSignedOut(true);
                }}
              />
            </main>
          }
        />
        <Route path="/instances/:instanceId/*" element={<InstanceArea />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </div>
  );
}

function InstanceArea() {
  const { instanceId = '' } = useParams();
  const { t } = useTranslation('shell');
  const instance = useQuery(InstanceNameQuery, { id: instanceId });
  const base = `/instances/${instanceId}`;
  return (
    <div className="instance-area">
      <aside className="sidebar">
        <p className="instance-name">{instance.data?.instance.name ?? '…'}</p>
        <nav aria-label={t('nav.instance')}>
          <NavLink to={`${base}/overview`}>{t('nav.overview')}</NavLink>
          <p className="nav-group">{t('nav.directory')}</p>
          <NavLink to={`${base}/users`}>{t('nav.users')}</NavLink>
          <NavLink to={`${base}/groups`}>{t('nav.groups')}</NavLink>
          <NavLink to={`${base}/org-units`}>{t('nav.orgUnits')}</NavLink>
          <NavLink to={`${base}/provisioning`}>{t('nav.provisioning')}</NavLink>
          <p className="nav-group">{t('nav.applicationManagement')}</p>
          <NavLink to={`${base}/applications`}>{t('nav.applications')}</NavLink>
          <NavLink to={`${base}/policies`}>{t('nav.policies')}</NavLink>
          <NavLink to={`${base}/keys`}>{t('nav.keys')}</NavLink>
          <p className="nav-group">{t('nav.monitoring')}</p>
          <NavLink to={`${base}/audit`}>{t('nav.audit')}</NavLink>
          <NavLink to={`${base}/deliveries`}>{t('nav.deliveries')}</NavLink>
          <NavLink to={`${base}/events`}>{t('nav.events')}</NavLink>
          <a href={`/sso/${instanceId}/portal`}>{t('nav.portal')}</a>
        </nav>
      </aside>
      <main id="main">
        <ErrorBanner error={instance.error} onRetry={instance.reload} />
        <Suspense fallback={<Loading />}>
        <Routes>
          <Route index element={<Navigate to="overview" replace />} />
          <Route path="overview" element={<Overview instanceId={instanceId} />} />
          <Route path="users" element={<Users instanceId={instanceId} />} />
          <Route path="users/:userId" element={<UserDetail instanceId={instanceId} />} />
          <Route path="groups" element={<Groups instanceId={instanceId} />} />
          <Route path="groups/:groupId" element={<GroupDetail instanceId={instanceId} />} />
          <Route path="org-units" element={<OrgUnits instanceId={instanceId} />} />
          <Route path="provisioning" element={<Provisioning instanceId={instanceId} />} />
          <Route path="applications" element={<Applications instanceId={instanceId} />} />
          <Route path="applications/new" element={<AddApplication instanceId={instanceId} />} />
          <Route
            path="applications/:applicationId/*"
            element={<ApplicationDetail instanceId={instanceId} />}
          />
          <Route path="policies" element={<Policies instanceId={instanceId} />} />
          <Route path="keys" element={<SigningKeys instanceId={instanceId} />} />
          <Route path="audit" element={<AuditLog instanceId={instanceId} />} />
          <Route path="deliveries" element={<Deliveries instanceId={instanceId} />} />
          <Route path="events" element={<EventSubscriptions instanceId={instanceId} />} />
        </Routes>
        </Suspense>
      </main>
    </div>
  );
}
