// Keys are checked by the type checker: `t('users:nope')` does not compile. English is the
// reference; i18n.test.ts holds Chinese to the same keys.
import 'i18next';
import type common from './locales/en/common.json';
import type shell from './locales/en/shell.json';
import type instances from './locales/en/instances.json';
import type users from './locales/en/users.json';
import type groups from './locales/en/groups.json';
import type orgunits from './locales/en/orgunits.json';
import type applications from './locales/en/applications.json';
import type policies from './locales/en/policies.json';
import type keys from './locales/en/keys.json';
import type tokens from './locales/en/tokens.json';
import type audit from './locales/en/audit.json';
import type deliveries from './locales/en/deliveries.json';
import type provisioning from './locales/en/provisioning.json';
import type overview from './locales/en/overview.json';
import type security from './locales/en/security.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof common;
      shell: typeof shell;
      instances: typeof instances;
      users: typeof users;
      groups: typeof groups;
      orgunits: typeof orgunits;
      applications: typeof applications;
      policies: typeof policies;
      keys: typeof keys;
      tokens: typeof tokens;
      audit: typeof audit;
      deliveries: typeof deliveries;
      provisioning: typeof provisioning;
      overview: typeof overview;
      security: typeof security;
    };
  }
}
