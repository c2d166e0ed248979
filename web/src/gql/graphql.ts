/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/**
 * The circumstances of a hypothetical sign-in. Omitted: IdP-initiated, now, password only, no
 * MFA, from `0.0.0.0` (inside no network). Given `authMethods` alone, `mfa` and
 * `assuranceLevel` are what those methods add up to.
 */
export type AccessContextInput = {
  /** 0–3, as `context.assuranceLevel`. */
  assuranceLevel?: number | null | undefined;
  at?: string | null | undefined;
  authMethods?: Array<string> | null | undefined;
  initiatedBy?: InitiatedBy | null | undefined;
  mfa?: boolean | null | undefined;
  sourceIp?: string | null | undefined;
};

/** What becomes the NameID ("application account name property"). */
export type AccountMode =
  /** The user's application account; SSO is refused to users without one. */
  | 'APP_ACCOUNT'
  /** The user's application account, else the IDaaS username. */
  | 'APP_ACCOUNT_OR_USERNAME'
  /** The IDaaS email address. */
  | 'EMAIL'
  /** The IDaaS username. */
  | 'USERNAME';

export type ActivateSigningKeyInput = {
  /** The pending key. */
  id: string;
  instanceId: string;
};

/** How far back an overview looks. */
export type ActivityRange =
  /** The last 24 hours, by hour. */
  | 'DAY'
  /** The last 30 days, by day. */
  | 'MONTH'
  /** The last 7 days, by 6 hours. */
  | 'WEEK';

export type AddApplicationInput = {
  instanceId: string;
  name: string;
  /** Template parameters now, or later with `configureApplicationSso`. */
  params?: unknown;
  /** A marketplace template id, e.g. `alibaba-cloud-user-sso-intl`. */
  templateId: string;
};

export type ApplicationAccessInput = {
  applicationId: string;
  /** 1 to 1000 users, groups and org units. */
  subjects: Array<SubjectInput>;
};

export type AttributeStatementInput = {
  name: string;
  /** Defaults to `urn:oasis:names:tc:SAML:2.0:attrname-format:basic`. */
  nameFormat?: string;
  /** `username`, `email`, `displayName`, `phone`, `externalId`, `nameId`, or `literal`. */
  source: string;
  /** The values of a `literal` attribute. */
  values?: Array<string>;
};

export type AuditEventFilter = {
  action?: string | null | undefined;
  /** The actor's id or name. */
  actor?: string | null | undefined;
  /** The actor's kind, as `AuditActor.kind` names it (`provisioning`: SCIM changes). */
  actorKind?: string | null | undefined;
  /** `success`, or for SSO decisions (`action: "sso"`) `allow` or `deny`. */
  outcome?: string | null | undefined;
  targetId?: string | null | undefined;
};

export type AuthorizationScope =
  /** Every member of the instance. */
  | 'ALL_MEMBERS'
  /** Only the users, groups and org units granted. */
  | 'MANUAL';

/** OpenID Connect settings to change; omitted fields stay. */
export type ConfigureApplicationOidcInput = {
  /** 60–86400. */
  accessTokenLifetimeSeconds?: number | null | undefined;
  assertionAlgorithm?: string | null | undefined;
  authMethod?: OidcAuthMethod | null | undefined;
  /** Replaces the mapped claims. */
  claims?: Array<OidcClaimInput> | null | undefined;
  clientType?: OidcClientType | null | undefined;
  id: string;
  /** 60–86400. */
  idTokenLifetimeSeconds?: number | null | undefined;
  /** `""` removes it. */
  initiateLoginUri?: string | null | undefined;
  /** A JWKS document of the client's public keys; `""` removes it. */
  jwks?: string | null | undefined;
  postLogoutRedirectUris?: Array<string> | null | undefined;
  /** Replaces the redirect URIs: https (http only on localhost), no fragment, at most 20. */
  redirectUris?: Array<string> | null | undefined;
  /** 300–31536000. */
  refreshTokenLifetimeSeconds?: number | null | undefined;
  /** Among openid, profile, email, phone, groups, offline_access; openid is required. */
  scopes?: Array<string> | null | undefined;
};

/**
 * SSO settings to change; omitted fields stay. For the text overrides an empty string
 * returns to what the template derives.
 */
export type ConfigureApplicationSsoInput = {
  accountMode?: AccountMode | null | undefined;
  acsUrl?: string | null | undefined;
  /** `aes256-gcm` (the default), or `aes128-cbc` / `aes256-cbc` for SPs that cannot do GCM. */
  assertionEncryption?: string | null | undefined;
  assertionLifetimeSeconds?: number | null | undefined;
  /** Replaces the admin's attribute statements. */
  attributeStatements?: Array<AttributeStatementInput> | null | undefined;
  authnRequestsSigned?: boolean | null | undefined;
  defaultRelayState?: string | null | undefined;
  /** Encrypt assertions for the SP (needs its encryption certificate). */
  encryptAssertions?: boolean | null | undefined;
  id: string;
  initiation?: Initiation | null | undefined;
  nameIdFormat?: string | null | undefined;
  /** `""` for none. */
  nameIdSuffix?: string | null | undefined;
  /** Template parameters to set (merged into the current ones), e.g. `{"accountId": "…"}`. */
  params?: unknown;
  signAssertion?: boolean | null | undefined;
  signResponse?: boolean | null | undefined;
  /** `rsa-sha256` or `rsa-sha512`. */
  signatureAlgorithm?: string | null | undefined;
  /** Take part in single logout (the default when `sloUrl` is set). */
  singleLogout?: boolean | null | undefined;
  /** `redirect` (the default) or `post`. */
  sloBinding?: string | null | undefined;
  /** Where LogoutResponses go, when not to `sloUrl`; `""` removes it. */
  sloResponseUrl?: string | null | undefined;
  /** The SP's SingleLogoutService URL; `""` removes it. */
  sloUrl?: string | null | undefined;
  spCertificatePem?: string | null | undefined;
  /** The SP's encryption certificate (RSA), PEM or base64; `""` removes it. */
  spEncryptionCertificatePem?: string | null | undefined;
  spEntityId?: string | null | undefined;
  ssoEnabled?: boolean | null | undefined;
};

export type ConfirmMyTotpInput = {
  /** The app's current six-digit code. */
  code: string;
  /** The setup `beginMyTotp` made. */
  factorId: string;
  /** A name for the app ("Phone"), at most 64 characters; "Authenticator app" when empty. */
  name?: string;
};

export type CreateAccessPolicyInput = {
  description?: string | null | undefined;
  /** Default true. */
  enabled?: boolean | null | undefined;
  instanceId: string;
  name: string;
  /** One Cedar `permit` or `forbid` scoped to `action == Lanyard::Action::"sso"`. */
  source: string;
};

export type CreateApiTokenInput = {
  /** 1 to 366 days. */
  expiresInDays?: number;
  name: string;
  roles: Array<RoleGrantInput>;
};

export type CreateEventSubscriptionInput = {
  description?: string | null | undefined;
  eventTypes: Array<EventType>;
  instanceId: string;
  /** An https:// URL (http:// on loopback only with `events.allow_insecure_loopback`). */
  url: string;
};

export type CreateGroupInput = {
  description?: string | null | undefined;
  instanceId: string;
  name: string;
};

export type CreateInstanceInput = {
  description?: string | null | undefined;
  name: string;
  /** The older form of `signInRules.mfaRequired`; `EMAIL_CODE` also allows emailed codes. */
  secondFactor?: SecondFactor | null | undefined;
  /** Unless given: a second factor when asked, every factor allowed, passkey sign-in on. */
  signInRules?: SignInRulesInput | null | undefined;
};

export type CreateOrgUnitInput = {
  instanceId: string;
  name: string;
  /** The parent unit; a root unit without it. */
  parentId?: string | null | undefined;
};

export type CreateProvisioningTokenInput = {
  instanceId: string;
  /** What calls with it ("Okta", "Workday"), 1–128 characters. */
  name: string;
};

export type CreateUserInput = {
  displayName?: string | null | undefined;
  email?: string | null | undefined;
  externalId?: string | null | undefined;
  groupIds?: Array<string>;
  instanceId: string;
  orgUnitIds?: Array<string>;
  /** Optional initial password (8 to 256 characters). */
  password?: string | null | undefined;
  phone?: string | null | undefined;
  username: string;
};

export type DeliveryFilterInput = {
  kind?: DeliveryKind | null | undefined;
  status?: DeliveryStatus | null | undefined;
  subscriptionId?: string | null | undefined;
  /** An email template or event type name. */
  topic?: string | null | undefined;
};

export type DeliveryKind =
  | 'EMAIL'
  | 'EVENT';

export type DeliveryStatus =
  /** Every attempt failed (or the failure was final); `redeliver` sends it again. */
  | 'DEAD'
  | 'DELIVERED'
  /** Waiting for its first or next attempt. */
  | 'PENDING';

export type EventSubscriptionRefInput = {
  id: string;
  instanceId: string;
};

/** What happened. The wire name (`user.created`) is the JWT's `event_type`. */
export type EventType =
  | 'APPLICATION_ACCOUNT_REMOVED'
  | 'APPLICATION_ACCOUNT_UPDATED'
  | 'GROUP_CREATED'
  | 'GROUP_DELETED'
  | 'GROUP_MEMBERS_ADDED'
  | 'GROUP_MEMBERS_REMOVED'
  | 'GROUP_UPDATED'
  | 'ORG_UNIT_CREATED'
  | 'ORG_UNIT_DELETED'
  | 'ORG_UNIT_MEMBERS_ADDED'
  | 'ORG_UNIT_MEMBERS_REMOVED'
  | 'ORG_UNIT_UPDATED'
  /** Sent by `pingEventSubscription` whatever the subscription's types. */
  | 'PING'
  | 'USER_CREATED'
  | 'USER_DELETED'
  | 'USER_UPDATED';

export type FinishMyPasskeyInput = {
  /** The ceremony `beginMyPasskey` began. */
  ceremony: string;
  /**
   * The browser's `PublicKeyCredential`, binary values in base64url (`id`, `rawId`, `type`,
   * `response.clientDataJSON`, `response.attestationObject`, `response.transports`).
   */
  credential: unknown;
  /** A name for it ("YubiKey"), at most 64 characters; "Passkey" when empty. */
  name?: string;
};

/** One row of an import; the same fields as `createUser`. */
export type ImportUserRow = {
  displayName?: string | null | undefined;
  email?: string | null | undefined;
  externalId?: string | null | undefined;
  groupIds?: Array<string>;
  orgUnitIds?: Array<string>;
  password?: string | null | undefined;
  phone?: string | null | undefined;
  username: string;
};

export type ImportUsersInput = {
  instanceId: string;
  /** 1 to 1000 rows. All are created, or none. */
  users: Array<ImportUserRow>;
};

export type InitiatedBy =
  /** From the portal. */
  | 'IDP'
  /** From the application's login page. */
  | 'SP';

export type Initiation =
  /** From the portal (IdP-initiated) and from the application (SP-initiated). */
  | 'IDP_OR_SP'
  /** Only from the application's own login page. */
  | 'SP_ONLY';

export type MembersInput = {
  /** The group or org unit. */
  id: string;
  instanceId: string;
  userIds: Array<string>;
};

/** Who must give a second factor to sign in. */
export type MfaRequired =
  /**
   * Every employee at every sign-in. Employees without a factor of their own get an emailed
   * code when that is allowed, else enrol an authenticator app at sign-in.
   */
  | 'EVERYONE'
  /**
   * Only where an access policy or an application's request asks for one: the employee is
   * then asked for it (step-up) instead of being refused.
   */
  | 'WHEN_ASKED';

export type MoveOrgUnitInput = {
  id: string;
  instanceId: string;
  /** The new parent; to the root without it. */
  parentId?: string | null | undefined;
};

export type ObjectRefInput = {
  id: string;
  instanceId: string;
};

export type OidcAuthMethod =
  | 'CLIENT_SECRET_BASIC'
  | 'CLIENT_SECRET_POST'
  | 'NONE'
  | 'PRIVATE_KEY_JWT';

/** A claim of the ID token and userinfo and where its value comes from. */
export type OidcClaimInput = {
  /** The claim's name, e.g. `department`. */
  name: string;
  /**
   * `username`, `email`, `displayName`, `phone`, `externalId`, `groups`, `orgUnits`,
   * `appAccount` or `literal`.
   */
  source: string;
  /** The values of a `literal` claim. */
  values?: Array<string>;
};

export type OidcClientType =
  /** A server-side application that keeps a secret or a private key. */
  | 'CONFIDENTIAL'
  /** A browser or native application: no secret, PKCE required. */
  | 'PUBLIC';

/** Whether a passkey or security key must verify the employee (a PIN or biometrics). */
export type PasskeyUserVerification =
  /**
   * Asked for where the authenticator can: a security key without a PIN still serves as a
   * second factor (`security_key`). Signing in without a password always needs it.
   */
  | 'PREFERRED'
  /** At every registration and every use: keys that cannot verify her are refused. */
  | 'REQUIRED';

export type PolicyEffect =
  | 'FORBID'
  | 'PERMIT';

export type PolicyOrigin =
  /** Lanyard's base access policies. */
  | 'BASE'
  /** A grant of the application's authorization scope. */
  | 'GRANT'
  /** One of the instance's own access policies. */
  | 'INSTANCE';

/** A change to try out. Exactly one of the fields. */
export type ProposedChangeInput = {
  /** A new policy's Cedar text. */
  createPolicy?: string | null | undefined;
  /** An existing policy removed. */
  deletePolicyId?: string | null | undefined;
  grant?: ProposedGrant | null | undefined;
  revoke?: ProposedGrant | null | undefined;
  setScope?: ProposedScope | null | undefined;
  /** An existing policy with new text and/or enabled flag. */
  updatePolicy?: ProposedPolicyUpdate | null | undefined;
};

export type ProposedGrant = {
  applicationId: string;
  subjects: Array<SubjectInput>;
};

export type ProposedPolicyUpdate = {
  enabled?: boolean | null | undefined;
  id: string;
  source?: string | null | undefined;
};

export type ProposedScope = {
  applicationId: string;
  scope: AuthorizationScope;
};

export type RedeliverInput = {
  /** The delivery (outbox message) to send again. */
  id: string;
  instanceId: string;
};

export type RemoveApplicationAccountInput = {
  applicationId: string;
  userId: string;
};

export type RenameOrgUnitInput = {
  id: string;
  instanceId: string;
  name: string;
};

export type ResetUserFactorsInput = {
  instanceId: string;
  userId: string;
};

export type RevokeOidcClientSecretInput = {
  id: string;
  secretId: string;
};

export type RevokeProvisioningTokenInput = {
  id: string;
  instanceId: string;
};

export type RevokeUserSessionInput = {
  /** The session. */
  id: string;
  instanceId: string;
};

export type RevokeUserSessionsInput = {
  instanceId: string;
  userId: string;
};

export type Role =
  /** Everything about one application (give `instanceId` and `applicationId`). */
  | 'APP_ADMIN'
  /** Read-only, in one instance or (without an instance) everywhere. */
  | 'AUDITOR'
  /** Everything inside one instance. */
  | 'INSTANCE_ADMIN'
  /** Everything, everywhere. */
  | 'SUPER_ADMIN';

export type RoleGrantInput = {
  /** The application, for `APP_ADMIN` only. */
  applicationId?: string | null | undefined;
  /** The instance the role applies to; none for `SUPER_ADMIN` and global auditors. */
  instanceId?: string | null | undefined;
  role: Role;
};

export type RotateOidcClientSecretInput = {
  id: string;
  /** How long the secrets it replaces keep working, 0 to 2592000 seconds (30 days). */
  overlapSeconds?: number;
};

export type RotateSigningKeyInput = {
  algorithm?: SigningKeyAlgorithm;
  instanceId: string;
};

/**
 * Whether employees give a second factor at every sign-in (the older, coarser form of
 * `SignInRules.mfaRequired`).
 */
export type SecondFactor =
  /** At every sign-in (as input: also allows the emailed code). */
  | 'EMAIL_CODE'
  /** Only where a policy or an application asks for one. */
  | 'NONE';

/** A kind of second factor an instance can allow. */
export type SecondFactorKind =
  /** A six-digit code emailed at sign-in (valid 10 minutes, 5 tries). */
  | 'EMAIL_CODE'
  /** A passkey or security key (WebAuthn). */
  | 'PASSKEY'
  /** An authenticator app's codes (RFC 6238). */
  | 'TOTP';

export type SetApplicationAccountInput = {
  accountName: string;
  applicationId: string;
  userId: string;
};

export type SetAuthorizationScopeInput = {
  applicationId: string;
  scope: AuthorizationScope;
};

export type SetUserPasswordInput = {
  id: string;
  instanceId: string;
  password: string;
};

export type SetUserStatusInput = {
  id: string;
  instanceId: string;
  status: UserStatus;
};

/** Changes to an instance's sign-in rules; an omitted field keeps its setting. */
export type SignInRulesInput = {
  allowedFactors?: Array<SecondFactorKind> | null | undefined;
  mfaRequired?: MfaRequired | null | undefined;
  passkeySignIn?: boolean | null | undefined;
  passkeyUserVerification?: PasskeyUserVerification | null | undefined;
};

export type SigningKeyAlgorithm =
  /** ECDSA on P-256; signs with ECDSA-SHA256. Not every service provider accepts it. */
  | 'ECDSA_P256'
  /** RSA 2048 bits; signs with RSA-SHA256. Accepted by every service provider. */
  | 'RSA_2048'
  /** RSA 3072 bits; signs with RSA-SHA256. */
  | 'RSA_3072';

/** Where a key is in its rollover. */
export type SigningKeyState =
  /** Signs SAML responses and metadata. */
  | 'ACTIVE'
  /** Published in the metadata; signs nothing yet. */
  | 'PENDING'
  /** Signs nothing; published for the grace period after it was retired. */
  | 'RETIRED';

export type SimulateAccessChangeInput = {
  /** Decide only these applications (all of the instance when omitted). */
  applicationIds?: Array<string> | null | undefined;
  change: ProposedChangeInput;
  context?: AccessContextInput | null | undefined;
  instanceId: string;
};

export type SubjectInput = {
  id: string;
  kind: SubjectKind;
};

export type SubjectKind =
  | 'GROUP'
  /** An org unit and its whole subtree. */
  | 'ORG_UNIT'
  | 'USER';

export type UpdateAccessPolicyInput = {
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
  id: string;
  name?: string | null | undefined;
  source?: string | null | undefined;
};

export type UpdateApplicationInput = {
  enabled?: boolean | null | undefined;
  id: string;
  name?: string | null | undefined;
};

export type UpdateEventSubscriptionInput = {
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
  eventTypes?: Array<EventType> | null | undefined;
  id: string;
  instanceId: string;
  url?: string | null | undefined;
};

export type UpdateGroupInput = {
  description?: string | null | undefined;
  id: string;
  instanceId: string;
  name?: string | null | undefined;
};

export type UpdateInstanceInput = {
  description?: string | null | undefined;
  id: string;
  name: string;
  /** Unchanged unless given; the older form of `signInRules.mfaRequired`. */
  secondFactor?: SecondFactor | null | undefined;
  /** Unchanged unless given. */
  signInRules?: SignInRulesInput | null | undefined;
};

export type UpdateUserInput = {
  displayName?: string | null | undefined;
  /** An empty string removes the email. */
  email?: string | null | undefined;
  /** An empty string removes the external id. */
  externalId?: string | null | undefined;
  id: string;
  instanceId: string;
  /** An empty string removes the phone number. */
  phone?: string | null | undefined;
  username?: string | null | undefined;
};

export type UserFactorKind =
  | 'PASSKEY'
  | 'TOTP';

export type UserFilter = {
  /** Exactly this external id. */
  externalId?: string | null | undefined;
  /** Members of this group. */
  groupId?: string | null | undefined;
  /** …and of its sub-units (the default). */
  includeSubUnits?: boolean;
  /** Members of this org unit… */
  orgUnitId?: string | null | undefined;
  /**
   * A prefix of the username or email, any case (at most 254 characters). Username
   * matches come first, by username in lower case, then users matched by email alone, by
   * email; each page is one index range, however many users the instance has.
   */
  search?: string | null | undefined;
  status?: UserStatus | null | undefined;
  /** Exactly this username (case-sensitive, as sign-in matches it). */
  username?: string | null | undefined;
};

export type UserRefInput = {
  id: string;
  instanceId: string;
};

export type UserStatus =
  | 'ACTIVE'
  | 'DISABLED'
  | 'LOCKED';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, name: string, kind: string, superAdmin: boolean, globalAuditor: boolean } };

export type InstanceNameQueryVariables = Exact<{
  id: string;
}>;


export type InstanceNameQuery = { instance: { id: string, name: string } };

export type TestViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type TestViewerQuery = { viewer: { id: string } };

export type TestGroupQueryVariables = Exact<{
  instanceId: string;
  id: string;
}>;


export type TestGroupQuery = { instance: { id: string, group: { id: string, name: string } } };

export type TestCreateGroupMutationVariables = Exact<{
  input: CreateGroupInput;
}>;


export type TestCreateGroupMutation = { createGroup: { group: { id: string, name: string } } };

export type ApiTokensQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ApiTokensQuery = { apiTokens: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, createdAt: string, expiresAt: string, lastUsedAt: string | null, state: string, roles: Array<{ role: Role, instanceId: string | null }> }> }, instances: { nodes: Array<{ id: string, name: string }> } };

export type ApiTokensCountQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiTokensCountQuery = { apiTokens: { totalCount: number } };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken: { secret: string, token: { id: string, name: string } } };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiTokenMutation = { revokeApiToken: { token: { id: string, state: string } } };

export type ApplicationsQueryVariables = Exact<{
  instanceId: string;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type ApplicationsQuery = { instance: { id: string, applications: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, enabled: boolean, ssoEnabled: boolean, authorizationScope: AuthorizationScope, missingSettings: Array<string>, template: { id: string, name: string, logo: string } }> } } };

export type ApplicationsCountQueryVariables = Exact<{
  instanceId: string;
  search?: string | null | undefined;
}>;


export type ApplicationsCountQuery = { instance: { applications: { totalCount: number } } };

export type MarketplaceQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type MarketplaceQuery = { marketplace: Array<{ id: string, name: string, description: string, category: string, logo: string, protocol: string }> };

export type AddApplicationMutationVariables = Exact<{
  input: AddApplicationInput;
}>;


export type AddApplicationMutation = { addApplication: { application: { id: string } } };

export type ApplicationQueryVariables = Exact<{
  id: string;
}>;


export type ApplicationQuery = { application: { id: string, instanceId: string, name: string, enabled: boolean, ssoEnabled: boolean, initiation: Initiation, params: unknown, accountMode: AccountMode, spEntityId: string | null, spEntityIdOverridden: boolean, acsUrl: string | null, acsUrlOverridden: boolean, nameIdSuffix: string | null, nameIdFormat: string, encryptAssertions: boolean, assertionEncryption: string, spEncryptionCertificatePem: string | null, singleLogout: boolean, sloUrl: string | null, sloResponseUrl: string | null, sloBinding: string, defaultRelayState: string | null, missingSettings: Array<string>, idpEntityId: string, idpSsoUrl: string, idpMetadataUrl: string, authorizationScope: AuthorizationScope, template: { id: string, name: string, logo: string, protocol: string, params: Array<{ key: string, label: string, description: string, kind: string, required: boolean }> } } };

export type ConfigureSsoMutationVariables = Exact<{
  input: ConfigureApplicationSsoInput;
}>;


export type ConfigureSsoMutation = { configureApplicationSso: { application: { id: string, missingSettings: Array<string> } } };

export type UpdateApplicationMutationVariables = Exact<{
  input: UpdateApplicationInput;
}>;


export type UpdateApplicationMutation = { updateApplication: { application: { id: string, enabled: boolean, name: string } } };

export type DeleteApplicationMutationVariables = Exact<{
  id: string;
}>;


export type DeleteApplicationMutation = { deleteApplication: { deletedId: string } };

export type ApplicationAuthorizationQueryVariables = Exact<{
  id: string;
  after?: string | null | undefined;
}>;


export type ApplicationAuthorizationQuery = { application: { id: string, authorizationScope: AuthorizationScope, accessGrants: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, subjectKind: SubjectKind, subjectId: string, subjectName: string | null, createdAt: string }> }, effectiveUsers: { totalCountEstimate: { count: number, exact: boolean }, nodes: Array<{ id: string, username: string }> } } };

export type AccessGrantsCountQueryVariables = Exact<{
  id: string;
}>;


export type AccessGrantsCountQuery = { application: { accessGrants: { totalCount: number } } };

export type SetScopeMutationVariables = Exact<{
  input: SetAuthorizationScopeInput;
}>;


export type SetScopeMutation = { setAuthorizationScope: { changed: number } };

export type GrantAccessMutationVariables = Exact<{
  input: ApplicationAccessInput;
}>;


export type GrantAccessMutation = { grantApplicationAccess: { changed: number } };

export type RevokeAccessMutationVariables = Exact<{
  input: ApplicationAccessInput;
}>;


export type RevokeAccessMutation = { revokeApplicationAccess: { changed: number } };

export type ApplicationAccountsQueryVariables = Exact<{
  id: string;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type ApplicationAccountsQuery = { application: { id: string, accountMode: AccountMode, accounts: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, userId: string, accountName: string, updatedAt: string, user: { id: string, username: string, displayName: string } | null }> } } };

export type ApplicationAccountsCountQueryVariables = Exact<{
  id: string;
  search?: string | null | undefined;
}>;


export type ApplicationAccountsCountQuery = { application: { accounts: { totalCount: number } } };

export type SetApplicationAccountMutationVariables = Exact<{
  input: SetApplicationAccountInput;
}>;


export type SetApplicationAccountMutation = { setApplicationAccount: { account: { id: string, accountName: string } } };

export type RemoveApplicationAccountMutationVariables = Exact<{
  input: RemoveApplicationAccountInput;
}>;


export type RemoveApplicationAccountMutation = { removeApplicationAccount: { removed: boolean } };

export type NameIdForQueryVariables = Exact<{
  id: string;
  userId: string;
}>;


export type NameIdForQuery = { application: { id: string, nameIdFor: { nameId: string | null, reason: string | null } } };

export type AuditEventsQueryVariables = Exact<{
  instanceId?: string | null | undefined;
  after?: string | null | undefined;
  filter?: AuditEventFilter | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, action: string, targetKind: string, targetId: string | null, outcome: string, summary: unknown, clientIp: string | null, createdAt: string, actor: { kind: string, id: string, name: string } }> } };

export type AuditEventsCountQueryVariables = Exact<{
  instanceId?: string | null | undefined;
  filter?: AuditEventFilter | null | undefined;
}>;


export type AuditEventsCountQuery = { auditEvents: { totalCount: number } };

export type AuditApplicationsQueryVariables = Exact<{
  instanceId: string;
}>;


export type AuditApplicationsQuery = { instance: { id: string, applications: { nodes: Array<{ id: string, name: string }> } } };

export type DeliveriesQueryVariables = Exact<{
  instanceId: string;
  after?: string | null | undefined;
  filter?: DeliveryFilterInput | null | undefined;
}>;


export type DeliveriesQuery = { deliveries: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, kind: DeliveryKind, topic: string, recipient: string, status: DeliveryStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null }> } };

export type DeliveriesCountQueryVariables = Exact<{
  instanceId: string;
  filter?: DeliveryFilterInput | null | undefined;
}>;


export type DeliveriesCountQuery = { deliveries: { totalCount: number } };

export type DeliveryLogQueryVariables = Exact<{
  instanceId: string;
  id: string;
}>;


export type DeliveryLogQuery = { delivery: { id: string, log: Array<{ attempt: number, startedAt: string, durationMs: number, delivered: boolean, statusCode: number | null, error: string | null }> } };

export type RedeliverMutationVariables = Exact<{
  input: RedeliverInput;
}>;


export type RedeliverMutation = { redeliver: { delivery: { id: string, status: DeliveryStatus } } };

export type EventSubscriptionsQueryVariables = Exact<{
  instanceId: string;
}>;


export type EventSubscriptionsQuery = { eventSubscriptions: Array<{ id: string, url: string, eventTypes: Array<EventType>, description: string, enabled: boolean, createdAt: string }> };

export type CreateEventSubscriptionMutationVariables = Exact<{
  input: CreateEventSubscriptionInput;
}>;


export type CreateEventSubscriptionMutation = { createEventSubscription: { eventSubscription: { id: string } } };

export type UpdateEventSubscriptionMutationVariables = Exact<{
  input: UpdateEventSubscriptionInput;
}>;


export type UpdateEventSubscriptionMutation = { updateEventSubscription: { eventSubscription: { id: string, enabled: boolean } } };

export type DeleteEventSubscriptionMutationVariables = Exact<{
  input: EventSubscriptionRefInput;
}>;


export type DeleteEventSubscriptionMutation = { deleteEventSubscription: { deletedId: string } };

export type PingEventSubscriptionMutationVariables = Exact<{
  input: EventSubscriptionRefInput;
}>;


export type PingEventSubscriptionMutation = { pingEventSubscription: { delivery: { id: string } } };

export type GroupsQueryVariables = Exact<{
  instanceId: string;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type GroupsQuery = { instance: { id: string, groups: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, description: string, members: { totalCountEstimate: { count: number, exact: boolean } } }> } } };

export type GroupsCountQueryVariables = Exact<{
  instanceId: string;
  search?: string | null | undefined;
}>;


export type GroupsCountQuery = { instance: { groups: { totalCount: number } } };

export type CreateGroupMutationVariables = Exact<{
  input: CreateGroupInput;
}>;


export type CreateGroupMutation = { createGroup: { group: { id: string, name: string } } };

export type GroupQueryVariables = Exact<{
  instanceId: string;
  id: string;
  after?: string | null | undefined;
}>;


export type GroupQuery = { instance: { id: string, group: { id: string, name: string, description: string, members: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, username: string, displayName: string }> } } } };

export type GroupMembersCountQueryVariables = Exact<{
  instanceId: string;
  id: string;
}>;


export type GroupMembersCountQuery = { instance: { group: { members: { totalCount: number } } } };

export type UpdateGroupMutationVariables = Exact<{
  input: UpdateGroupInput;
}>;


export type UpdateGroupMutation = { updateGroup: { group: { id: string } } };

export type DeleteGroupMutationVariables = Exact<{
  input: ObjectRefInput;
}>;


export type DeleteGroupMutation = { deleteGroup: { deletedId: string } };

export type AddGroupMembersMutationVariables = Exact<{
  input: MembersInput;
}>;


export type AddGroupMembersMutation = { addGroupMembers: { group: { id: string } } };

export type RemoveGroupMembersMutationVariables = Exact<{
  input: MembersInput;
}>;


export type RemoveGroupMembersMutation = { removeGroupMembers: { group: { id: string } } };

export type InstancesQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type InstancesQuery = { instances: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, description: string, createdAt: string, signInRules: { mfaRequired: MfaRequired, allowedFactors: Array<SecondFactorKind>, passkeySignIn: boolean, passkeyUserVerification: PasskeyUserVerification } }> } };

export type InstancesCountQueryVariables = Exact<{ [key: string]: never; }>;


export type InstancesCountQuery = { instances: { totalCount: number } };

export type CreateInstanceMutationVariables = Exact<{
  input: CreateInstanceInput;
}>;


export type CreateInstanceMutation = { createInstance: { instance: { id: string, name: string } } };

export type UpdateInstanceMutationVariables = Exact<{
  input: UpdateInstanceInput;
}>;


export type UpdateInstanceMutation = { updateInstance: { instance: { id: string, name: string, description: string, signInRules: { mfaRequired: MfaRequired, allowedFactors: Array<SecondFactorKind>, passkeySignIn: boolean, passkeyUserVerification: PasskeyUserVerification } } } };

export type DeleteInstanceMutationVariables = Exact<{
  id: string;
}>;


export type DeleteInstanceMutation = { deleteInstance: { deletedId: string } };

export type OidcClientQueryVariables = Exact<{
  id: string;
}>;


export type OidcClientQuery = { application: { id: string, oidc: { clientId: string, issuer: string, discoveryUrl: string, clientType: OidcClientType, authMethod: OidcAuthMethod, redirectUris: Array<string>, postLogoutRedirectUris: Array<string>, initiateLoginUri: string | null, scopes: Array<string>, jwks: string | null, assertionAlgorithm: string | null, idTokenLifetimeSeconds: number, accessTokenLifetimeSeconds: number, refreshTokenLifetimeSeconds: number, missingSettings: Array<string>, claims: Array<{ name: string, source: string, values: Array<string> }>, secrets: Array<{ id: string, hint: string, createdAt: string, expiresAt: string | null }> } | null }, viewer: { id: string, superAdmin: boolean, adminOf: Array<string> } };

export type ConfigureOidcMutationVariables = Exact<{
  input: ConfigureApplicationOidcInput;
}>;


export type ConfigureOidcMutation = { configureApplicationOidc: { application: { id: string } } };

export type RotateOidcSecretMutationVariables = Exact<{
  input: RotateOidcClientSecretInput;
}>;


export type RotateOidcSecretMutation = { rotateOidcClientSecret: { secret: string, application: { id: string } } };

export type RevokeOidcSecretMutationVariables = Exact<{
  input: RevokeOidcClientSecretInput;
}>;


export type RevokeOidcSecretMutation = { revokeOidcClientSecret: { application: { id: string } } };

export type OrgUnitsQueryVariables = Exact<{
  instanceId: string;
  parentId?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type OrgUnitsQuery = { instance: { id: string, orgUnits: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, children: { totalCount: number }, members: { totalCountEstimate: { count: number, exact: boolean } } }> } } };

export type OrgUnitMembersQueryVariables = Exact<{
  instanceId: string;
  id: string;
  after?: string | null | undefined;
}>;


export type OrgUnitMembersQuery = { instance: { id: string, orgUnit: { id: string, members: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, username: string }> } } } };

export type OrgUnitsCountQueryVariables = Exact<{
  instanceId: string;
  parentId?: string | null | undefined;
}>;


export type OrgUnitsCountQuery = { instance: { orgUnits: { totalCount: number } } };

export type OrgUnitMembersCountQueryVariables = Exact<{
  instanceId: string;
  id: string;
}>;


export type OrgUnitMembersCountQuery = { instance: { orgUnit: { members: { totalCount: number } } } };

export type CreateOrgUnitMutationVariables = Exact<{
  input: CreateOrgUnitInput;
}>;


export type CreateOrgUnitMutation = { createOrgUnit: { orgUnit: { id: string, name: string } } };

export type RenameOrgUnitMutationVariables = Exact<{
  input: RenameOrgUnitInput;
}>;


export type RenameOrgUnitMutation = { renameOrgUnit: { orgUnit: { id: string } } };

export type MoveOrgUnitMutationVariables = Exact<{
  input: MoveOrgUnitInput;
}>;


export type MoveOrgUnitMutation = { moveOrgUnit: { orgUnit: { id: string, name: string } } };

export type DeleteOrgUnitMutationVariables = Exact<{
  input: ObjectRefInput;
}>;


export type DeleteOrgUnitMutation = { deleteOrgUnit: { deletedId: string } };

export type AddOrgUnitMembersMutationVariables = Exact<{
  input: MembersInput;
}>;


export type AddOrgUnitMembersMutation = { addOrgUnitMembers: { orgUnit: { id: string } } };

export type RemoveOrgUnitMembersMutationVariables = Exact<{
  input: MembersInput;
}>;


export type RemoveOrgUnitMembersMutation = { removeOrgUnitMembers: { orgUnit: { id: string } } };

export type InstanceActivityQueryVariables = Exact<{
  instanceId: string;
  range: ActivityRange;
}>;


export type InstanceActivityQuery = { instanceActivity: { from: string, bucketSeconds: number, buckets: Array<{ start: string, signIns: number, failedSignIns: number, lockouts: number, ssoAllowed: number, ssoDenied: number }>, applications: Array<{ applicationId: string, name: string | null, allowed: number, denied: number }>, refusalReasons: Array<{ reason: string, count: number }> } };

export type InstanceAttentionQueryVariables = Exact<{
  instanceId: string;
}>;


export type InstanceAttentionQuery = { signingKeys: Array<{ id: string, state: SigningKeyState, algorithm: SigningKeyAlgorithm, notAfter: string }>, instance: { id: string, applications: { nodes: Array<{ id: string, name: string, spCertificateNotAfter: string | null, spEncryptionCertificateNotAfter: string | null }> } }, pendingEmails: { totalCount: number }, failedDeliveries: { totalCount: number } };

export type PlatformActivityQueryVariables = Exact<{
  range: ActivityRange;
}>;


export type PlatformActivityQuery = { platformActivity: { from: string, bucketSeconds: number, buckets: Array<{ start: string, signIns: number, failedSignIns: number, lockouts: number, ssoAllowed: number, ssoDenied: number }>, instances: Array<{ instanceId: string, name: string | null, signIns: number, failedSignIns: number, lockouts: number, ssoAllowed: number, ssoDenied: number }>, refusalReasons: Array<{ reason: string, count: number }> } };

export type AccessPoliciesQueryVariables = Exact<{
  instanceId: string;
}>;


export type AccessPoliciesQuery = { instance: { id: string, accessPolicies: Array<{ id: string, policyId: string, name: string, description: string, source: string, enabled: boolean, updatedAt: string }> } };

export type ValidatePolicyQueryVariables = Exact<{
  instanceId: string;
  source: string;
}>;


export type ValidatePolicyQuery = { validateAccessPolicy: { valid: boolean, problems: Array<{ message: string, line: number, column: number }> } };

export type AccessSimulationQueryVariables = Exact<{
  input: SimulateAccessChangeInput;
}>;


export type AccessSimulationQuery = { simulateAccessChange: { evaluatedPairs: number, gained: number, lost: number, changes: { totalCount: number, nodes: Array<{ gainsAccess: boolean, user: { id: string, username: string }, application: { id: string, name: string } }> } } };

export type CreateAccessPolicyMutationVariables = Exact<{
  input: CreateAccessPolicyInput;
}>;


export type CreateAccessPolicyMutation = { createAccessPolicy: { accessPolicy: { id: string } } };

export type UpdateAccessPolicyMutationVariables = Exact<{
  input: UpdateAccessPolicyInput;
}>;


export type UpdateAccessPolicyMutation = { updateAccessPolicy: { accessPolicy: { id: string } } };

export type DeleteAccessPolicyMutationVariables = Exact<{
  id: string;
}>;


export type DeleteAccessPolicyMutation = { deleteAccessPolicy: { deletedId: string } };

export type AppsForExplainQueryVariables = Exact<{
  instanceId: string;
}>;


export type AppsForExplainQuery = { instance: { id: string, applications: { nodes: Array<{ id: string, name: string }> } } };

export type ExplainAccessQueryVariables = Exact<{
  userId: string;
  applicationId: string;
  context?: AccessContextInput | null | undefined;
}>;


export type ExplainAccessQuery = { explainAccess: { allowed: boolean, summary: string, diagnostics: Array<string>, reasons: Array<{ policyId: string, effect: PolicyEffect, origin: PolicyOrigin, description: string }> } };

export type ProvisioningQueryVariables = Exact<{
  instanceId: string;
}>;


export type ProvisioningQuery = { provisioning: { scimBaseUrl: string, tokens: Array<{ id: string, name: string, createdBy: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> }, viewer: { id: string, superAdmin: boolean, adminOf: Array<string> } };

export type ProvisioningChangesQueryVariables = Exact<{
  instanceId: string;
  first: number;
}>;


export type ProvisioningChangesQuery = { auditEvents: { nodes: Array<{ id: string, action: string, targetKind: string, targetId: string | null, summary: unknown, createdAt: string, actor: { kind: string, name: string } }> } };

export type CreateProvisioningTokenMutationVariables = Exact<{
  input: CreateProvisioningTokenInput;
}>;


export type CreateProvisioningTokenMutation = { createProvisioningToken: { secret: string, provisioningToken: { id: string, name: string } } };

export type RevokeProvisioningTokenMutationVariables = Exact<{
  input: RevokeProvisioningTokenInput;
}>;


export type RevokeProvisioningTokenMutation = { revokeProvisioningToken: { provisioningToken: { id: string, revokedAt: string | null } } };

export type MyFactorsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyFactorsQuery = { myFactors: { recoveryCodesLeft: number, sessionProvedFactor: boolean, mayChange: boolean, required: boolean, factors: Array<{ id: string, kind: UserFactorKind, name: string, createdAt: string, lastUsedAt: string | null }> } };

export type BeginMyTotpMutationVariables = Exact<{ [key: string]: never; }>;


export type BeginMyTotpMutation = { beginMyTotp: { factorId: string, secret: string, otpauthUrl: string, qrCode: string } };

export type ConfirmMyTotpMutationVariables = Exact<{
  input: ConfirmMyTotpInput;
}>;


export type ConfirmMyTotpMutation = { confirmMyTotp: { recoveryCodes: Array<string> | null, factor: { id: string } } };

export type BeginMyPasskeyMutationVariables = Exact<{ [key: string]: never; }>;


export type BeginMyPasskeyMutation = { beginMyPasskey: { ceremony: string, options: unknown } };

export type FinishMyPasskeyMutationVariables = Exact<{
  input: FinishMyPasskeyInput;
}>;


export type FinishMyPasskeyMutation = { finishMyPasskey: { recoveryCodes: Array<string> | null, factor: { id: string } } };

export type RemoveMyFactorMutationVariables = Exact<{
  id: string;
}>;


export type RemoveMyFactorMutation = { removeMyFactor: { removedFactorId: string, recoveryCodesLeft: number } };

export type NewMyRecoveryCodesMutationVariables = Exact<{ [key: string]: never; }>;


export type NewMyRecoveryCodesMutation = { newMyRecoveryCodes: { recoveryCodes: Array<string> } };

export type SigningKeysQueryVariables = Exact<{
  instanceId: string;
}>;


export type SigningKeysQuery = { signingKeys: Array<{ id: string, algorithm: SigningKeyAlgorithm, state: SigningKeyState, fingerprintSha256: string, notAfter: string, createdAt: string, activatedAt: string | null, retiredAt: string | null }> };

export type RotateSigningKeyMutationVariables = Exact<{
  input: RotateSigningKeyInput;
}>;


export type RotateSigningKeyMutation = { rotateSigningKey: { signingKey: { id: string } } };

export type ActivateSigningKeyMutationVariables = Exact<{
  input: ActivateSigningKeyInput;
}>;


export type ActivateSigningKeyMutation = { activateSigningKey: { signingKey: { id: string } } };

export type UsersQueryVariables = Exact<{
  instanceId: string;
  after?: string | null | undefined;
  filter?: UserFilter | null | undefined;
}>;


export type UsersQuery = { instance: { id: string, users: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, username: string, displayName: string, email: string | null, status: UserStatus, groups: Array<{ id: string, name: string }> }> } } };

export type UsersCountQueryVariables = Exact<{
  instanceId: string;
  filter?: UserFilter | null | undefined;
}>;


export type UsersCountQuery = { instance: { users: { totalCount: number } } };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser: { user: { id: string, username: string } } };

export type ImportUsersMutationVariables = Exact<{
  input: ImportUsersInput;
}>;


export type ImportUsersMutation = { importUsers: { ok: boolean, importedCount: number, errors: Array<{ row: number, field: string | null, code: string, message: string }> } };

export type UserQueryVariables = Exact<{
  instanceId: string;
  id: string;
}>;


export type UserQuery = { instance: { id: string, signInRules: { mfaRequired: MfaRequired, allowedFactors: Array<SecondFactorKind> }, user: { id: string, username: string, displayName: string, email: string | null, phone: string | null, externalId: string | null, status: UserStatus, hasPassword: boolean, createdAt: string, updatedAt: string, groups: Array<{ id: string, name: string }>, orgUnits: Array<{ id: string, name: string }>, effectiveApplications: Array<{ id: string, name: string }> } } };

export type UpdateUserMutationVariables = Exact<{
  input: UpdateUserInput;
}>;


export type UpdateUserMutation = { updateUser: { user: { id: string } } };

export type SetUserStatusMutationVariables = Exact<{
  input: SetUserStatusInput;
}>;


export type SetUserStatusMutation = { setUserStatus: { user: { id: string, status: UserStatus } } };

export type SetUserPasswordMutationVariables = Exact<{
  input: SetUserPasswordInput;
}>;


export type SetUserPasswordMutation = { setUserPassword: { user: { id: string, hasPassword: boolean } } };

export type DeleteUserMutationVariables = Exact<{
  input: UserRefInput;
}>;


export type DeleteUserMutation = { deleteUser: { deletedId: string } };

export type AddToGroupMutationVariables = Exact<{
  input: MembersInput;
}>;


export type AddToGroupMutation = { addGroupMembers: { group: { id: string } } };

export type RemoveFromGroupMutationVariables = Exact<{
  input: MembersInput;
}>;


export type RemoveFromGroupMutation = { removeGroupMembers: { group: { id: string } } };

export type AddToOrgUnitMutationVariables = Exact<{
  input: MembersInput;
}>;


export type AddToOrgUnitMutation = { addOrgUnitMembers: { orgUnit: { id: string } } };

export type RemoveFromOrgUnitMutationVariables = Exact<{
  input: MembersInput;
}>;


export type RemoveFromOrgUnitMutation = { removeOrgUnitMembers: { orgUnit: { id: string } } };

export type UserSessionsQueryVariables = Exact<{
  instanceId: string;
  userId: string;
}>;


export type UserSessionsQuery = { userSessions: Array<{ id: string, createdAt: string, expiresAt: string, lastSeenAt: string, authMethods: Array<string>, clientIp: string | null, userAgent: string | null, applications: Array<{ applicationId: string, name: string, singleLogout: boolean }> }> };

export type UserFactorsQueryVariables = Exact<{
  instanceId: string;
  userId: string;
}>;


export type UserFactorsQuery = { userFactors: { recoveryCodesLeft: number, factors: Array<{ id: string, kind: UserFactorKind, name: string, createdAt: string, lastUsedAt: string | null }> } };

export type ResetUserFactorsMutationVariables = Exact<{
  input: ResetUserFactorsInput;
}>;


export type ResetUserFactorsMutation = { resetUserFactors: { removedCount: number, sessionsEnded: number } };

export type RevokeSessionMutationVariables = Exact<{
  input: RevokeUserSessionInput;
}>;


export type RevokeSessionMutation = { revokeUserSession: { revokedCount: number } };

export type RevokeSessionsMutationVariables = Exact<{
  input: RevokeUserSessionsInput;
}>;


export type RevokeSessionsMutation = { revokeUserSessions: { revokedCount: number } };

export type PickUsersQueryVariables = Exact<{
  instanceId: string;
  search?: string | null | undefined;
}>;


export type PickUsersQuery = { instance: { id: string, users: { nodes: Array<{ id: string, username: string, displayName: string }> } } };

export type PickGroupsQueryVariables = Exact<{
  instanceId: string;
  search?: string | null | undefined;
}>;


export type PickGroupsQuery = { instance: { id: string, groups: { nodes: Array<{ id: string, name: string }> } } };

export type PickOrgUnitsQueryVariables = Exact<{
  instanceId: string;
  parentId?: string | null | undefined;
}>;


export type PickOrgUnitsQuery = { instance: { id: string, orgUnits: { nodes: Array<{ id: string, name: string, depth: number }> } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    id
    name
    kind
    superAdmin
    globalAuditor
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const InstanceNameDocument = new TypedDocumentString(`
    query InstanceName($id: ID!) {
  instance(id: $id) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<InstanceNameQuery, InstanceNameQueryVariables>;
export const TestViewerDocument = new TypedDocumentString(`
    query TestViewer {
  viewer {
    id
  }
}
    `) as unknown as TypedDocumentString<TestViewerQuery, TestViewerQueryVariables>;
export const TestGroupDocument = new TypedDocumentString(`
    query TestGroup($instanceId: ID!, $id: ID!) {
  instance(id: $instanceId) {
    id
    group(id: $id) {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<TestGroupQuery, TestGroupQueryVariables>;
export const TestCreateGroupDocument = new TypedDocumentString(`
    mutation TestCreateGroup($input: CreateGroupInput!) {
  createGroup(input: $input) {
    group {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<TestCreateGroupMutation, TestCreateGroupMutationVariables>;
export const ApiTokensDocument = new TypedDocumentString(`
    query ApiTokens($after: String) {
  apiTokens(first: 20, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      createdAt
      expiresAt
      lastUsedAt
      state
      roles {
        role
        instanceId
      }
    }
  }
  instances(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ApiTokensQuery, ApiTokensQueryVariables>;
export const ApiTokensCountDocument = new TypedDocumentString(`
    query ApiTokensCount {
  apiTokens(first: 1) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<ApiTokensCountQuery, ApiTokensCountQueryVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    secret
    token {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(input: {id: $id}) {
    token {
      id
      state
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const ApplicationsDocument = new TypedDocumentString(`
    query Applications($instanceId: ID!, $after: String, $search: String) {
  instance(id: $instanceId) {
    id
    applications(first: 20, after: $after, search: $search) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        enabled
        ssoEnabled
        authorizationScope
        missingSettings
        template {
          id
          name
          logo
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationsQuery, ApplicationsQueryVariables>;
export const ApplicationsCountDocument = new TypedDocumentString(`
    query ApplicationsCount($instanceId: ID!, $search: String) {
  instance(id: $instanceId) {
    applications(first: 1, search: $search) {
      totalCount
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationsCountQuery, ApplicationsCountQueryVariables>;
export const MarketplaceDocument = new TypedDocumentString(`
    query Marketplace($search: String) {
  marketplace(search: $search) {
    id
    name
    description
    category
    logo
    protocol
  }
}
    `) as unknown as TypedDocumentString<MarketplaceQuery, MarketplaceQueryVariables>;
export const AddApplicationDocument = new TypedDocumentString(`
    mutation AddApplication($input: AddApplicationInput!) {
  addApplication(input: $input) {
    application {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AddApplicationMutation, AddApplicationMutationVariables>;
export const ApplicationDocument = new TypedDocumentString(`
    query Application($id: ID!) {
  application(id: $id) {
    id
    instanceId
    name
    enabled
    ssoEnabled
    initiation
    params
    accountMode
    spEntityId
    spEntityIdOverridden
    acsUrl
    acsUrlOverridden
    nameIdSuffix
    nameIdFormat
    encryptAssertions
    assertionEncryption
    spEncryptionCertificatePem
    singleLogout
    sloUrl
    sloResponseUrl
    sloBinding
    defaultRelayState
    missingSettings
    idpEntityId
    idpSsoUrl
    idpMetadataUrl
    authorizationScope
    template {
      id
      name
      logo
      protocol
      params {
        key
        label
        description
        kind
        required
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationQuery, ApplicationQueryVariables>;
export const ConfigureSsoDocument = new TypedDocumentString(`
    mutation ConfigureSso($input: ConfigureApplicationSsoInput!) {
  configureApplicationSso(input: $input) {
    application {
      id
      missingSettings
    }
  }
}
    `) as unknown as TypedDocumentString<ConfigureSsoMutation, ConfigureSsoMutationVariables>;
export const UpdateApplicationDocument = new TypedDocumentString(`
    mutation UpdateApplication($input: UpdateApplicationInput!) {
  updateApplication(input: $input) {
    application {
      id
      enabled
      name
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateApplicationMutation, UpdateApplicationMutationVariables>;
export const DeleteApplicationDocument = new TypedDocumentString(`
    mutation DeleteApplication($id: ID!) {
  deleteApplication(input: {id: $id}) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteApplicationMutation, DeleteApplicationMutationVariables>;
export const ApplicationAuthorizationDocument = new TypedDocumentString(`
    query ApplicationAuthorization($id: ID!, $after: String) {
  application(id: $id) {
    id
    authorizationScope
    accessGrants(first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        subjectKind
        subjectId
        subjectName
        createdAt
      }
    }
    effectiveUsers(first: 10) {
      totalCountEstimate {
        count
        exact
      }
      nodes {
        id
        username
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationAuthorizationQuery, ApplicationAuthorizationQueryVariables>;
export const AccessGrantsCountDocument = new TypedDocumentString(`
    query AccessGrantsCount($id: ID!) {
  application(id: $id) {
    accessGrants(first: 1) {
      totalCount
    }
  }
}
    `) as unknown as TypedDocumentString<AccessGrantsCountQuery, AccessGrantsCountQueryVariables>;
export const SetScopeDocument = new TypedDocumentString(`
    mutation SetScope($input: SetAuthorizationScopeInput!) {
  setAuthorizationScope(input: $input) {
    changed
  }
}
    `) as unknown as TypedDocumentString<SetScopeMutation, SetScopeMutationVariables>;
export const GrantAccessDocument = new TypedDocumentString(`
    mutation GrantAccess($input: ApplicationAccessInput!) {
  grantApplicationAccess(input: $input) {
    changed
  }
}
    `) as unknown as TypedDocumentString<GrantAccessMutation, GrantAccessMutationVariables>;
export const RevokeAccessDocument = new TypedDocumentString(`
    mutation RevokeAccess($input: ApplicationAccessInput!) {
  revokeApplicationAccess(input: $input) {
    changed
  }
}
    `) as unknown as TypedDocumentString<RevokeAccessMutation, RevokeAccessMutationVariables>;
export const ApplicationAccountsDocument = new TypedDocumentString(`
    query ApplicationAccounts($id: ID!, $after: String, $search: String) {
  application(id: $id) {
    id
    accountMode
    accounts(first: 20, after: $after, search: $search) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        userId
        accountName
        updatedAt
        user {
          id
          username
          displayName
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationAccountsQuery, ApplicationAccountsQueryVariables>;
export const ApplicationAccountsCountDocument = new TypedDocumentString(`
    query ApplicationAccountsCount($id: ID!, $search: String) {
  application(id: $id) {
    accounts(first: 1, search: $search) {
      totalCount
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationAccountsCountQuery, ApplicationAccountsCountQueryVariables>;
export const SetApplicationAccountDocument = new TypedDocumentString(`
    mutation SetApplicationAccount($input: SetApplicationAccountInput!) {
  setApplicationAccount(input: $input) {
    account {
      id
      accountName
    }
  }
}
    `) as unknown as TypedDocumentString<SetApplicationAccountMutation, SetApplicationAccountMutationVariables>;
export const RemoveApplicationAccountDocument = new TypedDocumentString(`
    mutation RemoveApplicationAccount($input: RemoveApplicationAccountInput!) {
  removeApplicationAccount(input: $input) {
    removed
  }
}
    `) as unknown as TypedDocumentString<RemoveApplicationAccountMutation, RemoveApplicationAccountMutationVariables>;
export const NameIdForDocument = new TypedDocumentString(`
    query NameIdFor($id: ID!, $userId: ID!) {
  application(id: $id) {
    id
    nameIdFor(userId: $userId) {
      nameId
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<NameIdForQuery, NameIdForQueryVariables>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($instanceId: ID, $after: String, $filter: AuditEventFilter) {
  auditEvents(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      actor {
        kind
        id
        name
      }
      action
      targetKind
      targetId
      outcome
      summary
      clientIp
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const AuditEventsCountDocument = new TypedDocumentString(`
    query AuditEventsCount($instanceId: ID, $filter: AuditEventFilter) {
  auditEvents(instanceId: $instanceId, first: 1, filter: $filter) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<AuditEventsCountQuery, AuditEventsCountQueryVariables>;
export const AuditApplicationsDocument = new TypedDocumentString(`
    query AuditApplications($instanceId: ID!) {
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
    `) as unknown as TypedDocumentString<AuditApplicationsQuery, AuditApplicationsQueryVariables>;
export const DeliveriesDocument = new TypedDocumentString(`
    query Deliveries($instanceId: ID!, $after: String, $filter: DeliveryFilterInput) {
  deliveries(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      kind
      topic
      recipient
      status
      attempts
      lastError
      nextAttemptAt
      createdAt
      deliveredAt
    }
  }
}
    `) as unknown as TypedDocumentString<DeliveriesQuery, DeliveriesQueryVariables>;
export const DeliveriesCountDocument = new TypedDocumentString(`
    query DeliveriesCount($instanceId: ID!, $filter: DeliveryFilterInput) {
  deliveries(instanceId: $instanceId, first: 1, filter: $filter) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<DeliveriesCountQuery, DeliveriesCountQueryVariables>;
export const DeliveryLogDocument = new TypedDocumentString(`
    query DeliveryLog($instanceId: ID!, $id: ID!) {
  delivery(instanceId: $instanceId, id: $id) {
    id
    log {
      attempt
      startedAt
      durationMs
      delivered
      statusCode
      error
    }
  }
}
    `) as unknown as TypedDocumentString<DeliveryLogQuery, DeliveryLogQueryVariables>;
export const RedeliverDocument = new TypedDocumentString(`
    mutation Redeliver($input: RedeliverInput!) {
  redeliver(input: $input) {
    delivery {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<RedeliverMutation, RedeliverMutationVariables>;
export const EventSubscriptionsDocument = new TypedDocumentString(`
    query EventSubscriptions($instanceId: ID!) {
  eventSubscriptions(instanceId: $instanceId) {
    id
    url
    eventTypes
    description
    enabled
    createdAt
  }
}
    `) as unknown as TypedDocumentString<EventSubscriptionsQuery, EventSubscriptionsQueryVariables>;
export const CreateEventSubscriptionDocument = new TypedDocumentString(`
    mutation CreateEventSubscription($input: CreateEventSubscriptionInput!) {
  createEventSubscription(input: $input) {
    eventSubscription {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<CreateEventSubscriptionMutation, CreateEventSubscriptionMutationVariables>;
export const UpdateEventSubscriptionDocument = new TypedDocumentString(`
    mutation UpdateEventSubscription($input: UpdateEventSubscriptionInput!) {
  updateEventSubscription(input: $input) {
    eventSubscription {
      id
      enabled
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateEventSubscriptionMutation, UpdateEventSubscriptionMutationVariables>;
export const DeleteEventSubscriptionDocument = new TypedDocumentString(`
    mutation DeleteEventSubscription($input: EventSubscriptionRefInput!) {
  deleteEventSubscription(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteEventSubscriptionMutation, DeleteEventSubscriptionMutationVariables>;
export const PingEventSubscriptionDocument = new TypedDocumentString(`
    mutation PingEventSubscription($input: EventSubscriptionRefInput!) {
  pingEventSubscription(input: $input) {
    delivery {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<PingEventSubscriptionMutation, PingEventSubscriptionMutationVariables>;
export const GroupsDocument = new TypedDocumentString(`
    query Groups($instanceId: ID!, $after: String, $search: String) {
  instance(id: $instanceId) {
    id
    groups(first: 20, after: $after, search: $search) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        description
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
    `) as unknown as TypedDocumentString<GroupsQuery, GroupsQueryVariables>;
export const GroupsCountDocument = new TypedDocumentString(`
    query GroupsCount($instanceId: ID!, $search: String) {
  instance(id: $instanceId) {
    groups(first: 1, search: $search) {
      totalCount
    }
  }
}
    `) as unknown as TypedDocumentString<GroupsCountQuery, GroupsCountQueryVariables>;
export const CreateGroupDocument = new TypedDocumentString(`
    mutation CreateGroup($input: CreateGroupInput!) {
  createGroup(input: $input) {
    group {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateGroupMutation, CreateGroupMutationVariables>;
export const GroupDocument = new TypedDocumentString(`
    query Group($instanceId: ID!, $id: ID!, $after: String) {
  instance(id: $instanceId) {
    id
    group(id: $id) {
      id
      name
      description
      members(first: 20, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          username
          displayName
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GroupQuery, GroupQueryVariables>;
export const GroupMembersCountDocument = new TypedDocumentString(`
    query GroupMembersCount($instanceId: ID!, $id: ID!) {
  instance(id: $instanceId) {
    group(id: $id) {
      members(first: 1) {
        totalCount
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GroupMembersCountQuery, GroupMembersCountQueryVariables>;
export const UpdateGroupDocument = new TypedDocumentString(`
    mutation UpdateGroup($input: UpdateGroupInput!) {
  updateGroup(input: $input) {
    group {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateGroupMutation, UpdateGroupMutationVariables>;
export const DeleteGroupDocument = new TypedDocumentString(`
    mutation DeleteGroup($input: ObjectRefInput!) {
  deleteGroup(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteGroupMutation, DeleteGroupMutationVariables>;
export const AddGroupMembersDocument = new TypedDocumentString(`
    mutation AddGroupMembers($input: MembersInput!) {
  addGroupMembers(input: $input) {
    group {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AddGroupMembersMutation, AddGroupMembersMutationVariables>;
export const RemoveGroupMembersDocument = new TypedDocumentString(`
    mutation RemoveGroupMembers($input: MembersInput!) {
  removeGroupMembers(input: $input) {
    group {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveGroupMembersMutation, RemoveGroupMembersMutationVariables>;
export const InstancesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<InstancesQuery, InstancesQueryVariables>;
export const InstancesCountDocument = new TypedDocumentString(`
    query InstancesCount {
  instances(first: 1) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<InstancesCountQuery, InstancesCountQueryVariables>;
export const CreateInstanceDocument = new TypedDocumentString(`
    mutation CreateInstance($input: CreateInstanceInput!) {
  createInstance(input: $input) {
    instance {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateInstanceMutation, CreateInstanceMutationVariables>;
export const UpdateInstanceDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<UpdateInstanceMutation, UpdateInstanceMutationVariables>;
export const DeleteInstanceDocument = new TypedDocumentString(`
    mutation DeleteInstance($id: ID!) {
  deleteInstance(input: {id: $id}) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteInstanceMutation, DeleteInstanceMutationVariables>;
export const OidcClientDocument = new TypedDocumentString(`
    query OidcClient($id: ID!) {
  application(id: $id) {
    id
    oidc {
      clientId
      issuer
      discoveryUrl
      clientType
      authMethod
      redirectUris
      postLogoutRedirectUris
      initiateLoginUri
      scopes
      claims {
        name
        source
        values
      }
      jwks
      assertionAlgorithm
      idTokenLifetimeSeconds
      accessTokenLifetimeSeconds
      refreshTokenLifetimeSeconds
      secrets {
        id
        hint
        createdAt
        expiresAt
      }
      missingSettings
    }
  }
  viewer {
    id
    superAdmin
    adminOf
  }
}
    `) as unknown as TypedDocumentString<OidcClientQuery, OidcClientQueryVariables>;
export const ConfigureOidcDocument = new TypedDocumentString(`
    mutation ConfigureOidc($input: ConfigureApplicationOidcInput!) {
  configureApplicationOidc(input: $input) {
    application {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ConfigureOidcMutation, ConfigureOidcMutationVariables>;
export const RotateOidcSecretDocument = new TypedDocumentString(`
    mutation RotateOidcSecret($input: RotateOidcClientSecretInput!) {
  rotateOidcClientSecret(input: $input) {
    secret
    application {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RotateOidcSecretMutation, RotateOidcSecretMutationVariables>;
export const RevokeOidcSecretDocument = new TypedDocumentString(`
    mutation RevokeOidcSecret($input: RevokeOidcClientSecretInput!) {
  revokeOidcClientSecret(input: $input) {
    application {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeOidcSecretMutation, RevokeOidcSecretMutationVariables>;
export const OrgUnitsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<OrgUnitsQuery, OrgUnitsQueryVariables>;
export const OrgUnitMembersDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<OrgUnitMembersQuery, OrgUnitMembersQueryVariables>;
export const OrgUnitsCountDocument = new TypedDocumentString(`
    query OrgUnitsCount($instanceId: ID!, $parentId: ID) {
  instance(id: $instanceId) {
    orgUnits(parentId: $parentId, first: 1) {
      totalCount
    }
  }
}
    `) as unknown as TypedDocumentString<OrgUnitsCountQuery, OrgUnitsCountQueryVariables>;
export const OrgUnitMembersCountDocument = new TypedDocumentString(`
    query OrgUnitMembersCount($instanceId: ID!, $id: ID!) {
  instance(id: $instanceId) {
    orgUnit(id: $id) {
      members(first: 1, includeSubUnits: false) {
        totalCount
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OrgUnitMembersCountQuery, OrgUnitMembersCountQueryVariables>;
export const CreateOrgUnitDocument = new TypedDocumentString(`
    mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) {
    orgUnit {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateOrgUnitMutation, CreateOrgUnitMutationVariables>;
export const RenameOrgUnitDocument = new TypedDocumentString(`
    mutation RenameOrgUnit($input: RenameOrgUnitInput!) {
  renameOrgUnit(input: $input) {
    orgUnit {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RenameOrgUnitMutation, RenameOrgUnitMutationVariables>;
export const MoveOrgUnitDocument = new TypedDocumentString(`
    mutation MoveOrgUnit($input: MoveOrgUnitInput!) {
  moveOrgUnit(input: $input) {
    orgUnit {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<MoveOrgUnitMutation, MoveOrgUnitMutationVariables>;
export const DeleteOrgUnitDocument = new TypedDocumentString(`
    mutation DeleteOrgUnit($input: ObjectRefInput!) {
  deleteOrgUnit(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteOrgUnitMutation, DeleteOrgUnitMutationVariables>;
export const AddOrgUnitMembersDocument = new TypedDocumentString(`
    mutation AddOrgUnitMembers($input: MembersInput!) {
  addOrgUnitMembers(input: $input) {
    orgUnit {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AddOrgUnitMembersMutation, AddOrgUnitMembersMutationVariables>;
export const RemoveOrgUnitMembersDocument = new TypedDocumentString(`
    mutation RemoveOrgUnitMembers($input: MembersInput!) {
  removeOrgUnitMembers(input: $input) {
    orgUnit {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveOrgUnitMembersMutation, RemoveOrgUnitMembersMutationVariables>;
export const InstanceActivityDocument = new TypedDocumentString(`
    query InstanceActivity($instanceId: ID!, $range: ActivityRange!) {
  instanceActivity(instanceId: $instanceId, range: $range) {
    from
    bucketSeconds
    buckets {
      start
      signIns
      failedSignIns
      lockouts
      ssoAllowed
      ssoDenied
    }
    applications {
      applicationId
      name
      allowed
      denied
    }
    refusalReasons {
      reason
      count
    }
  }
}
    `) as unknown as TypedDocumentString<InstanceActivityQuery, InstanceActivityQueryVariables>;
export const InstanceAttentionDocument = new TypedDocumentString(`
    query InstanceAttention($instanceId: ID!) {
  signingKeys(instanceId: $instanceId) {
    id
    state
    algorithm
    notAfter
  }
  instance(id: $instanceId) {
    id
    applications(first: 100) {
      nodes {
        id
        name
        spCertificateNotAfter
        spEncryptionCertificateNotAfter
      }
    }
  }
  pendingEmails: deliveries(
    instanceId: $instanceId
    first: 1
    filter: {kind: EMAIL, status: PENDING}
  ) {
    totalCount
  }
  failedDeliveries: deliveries(
    instanceId: $instanceId
    first: 1
    filter: {kind: EVENT, status: DEAD}
  ) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<InstanceAttentionQuery, InstanceAttentionQueryVariables>;
export const PlatformActivityDocument = new TypedDocumentString(`
    query PlatformActivity($range: ActivityRange!) {
  platformActivity(range: $range) {
    from
    bucketSeconds
    buckets {
      start
      signIns
      failedSignIns
      lockouts
      ssoAllowed
      ssoDenied
    }
    instances {
      instanceId
      name
      signIns
      failedSignIns
      lockouts
      ssoAllowed
      ssoDenied
    }
    refusalReasons {
      reason
      count
    }
  }
}
    `) as unknown as TypedDocumentString<PlatformActivityQuery, PlatformActivityQueryVariables>;
export const AccessPoliciesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<AccessPoliciesQuery, AccessPoliciesQueryVariables>;
export const ValidatePolicyDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ValidatePolicyQuery, ValidatePolicyQueryVariables>;
export const AccessSimulationDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<AccessSimulationQuery, AccessSimulationQueryVariables>;
export const CreateAccessPolicyDocument = new TypedDocumentString(`
    mutation CreateAccessPolicy($input: CreateAccessPolicyInput!) {
  createAccessPolicy(input: $input) {
    accessPolicy {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<CreateAccessPolicyMutation, CreateAccessPolicyMutationVariables>;
export const UpdateAccessPolicyDocument = new TypedDocumentString(`
    mutation UpdateAccessPolicy($input: UpdateAccessPolicyInput!) {
  updateAccessPolicy(input: $input) {
    accessPolicy {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateAccessPolicyMutation, UpdateAccessPolicyMutationVariables>;
export const DeleteAccessPolicyDocument = new TypedDocumentString(`
    mutation DeleteAccessPolicy($id: ID!) {
  deleteAccessPolicy(input: {id: $id}) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteAccessPolicyMutation, DeleteAccessPolicyMutationVariables>;
export const AppsForExplainDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<AppsForExplainQuery, AppsForExplainQueryVariables>;
export const ExplainAccessDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ExplainAccessQuery, ExplainAccessQueryVariables>;
export const ProvisioningDocument = new TypedDocumentString(`
    query Provisioning($instanceId: ID!) {
  provisioning(instanceId: $instanceId) {
    scimBaseUrl
    tokens {
      id
      name
      createdBy
      createdAt
      lastUsedAt
      revokedAt
    }
  }
  viewer {
    id
    superAdmin
    adminOf
  }
}
    `) as unknown as TypedDocumentString<ProvisioningQuery, ProvisioningQueryVariables>;
export const ProvisioningChangesDocument = new TypedDocumentString(`
    query ProvisioningChanges($instanceId: ID!, $first: Int!) {
  auditEvents(
    instanceId: $instanceId
    first: $first
    filter: {actorKind: "provisioning"}
  ) {
    nodes {
      id
      actor {
        kind
        name
      }
      action
      targetKind
      targetId
      summary
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<ProvisioningChangesQuery, ProvisioningChangesQueryVariables>;
export const CreateProvisioningTokenDocument = new TypedDocumentString(`
    mutation CreateProvisioningToken($input: CreateProvisioningTokenInput!) {
  createProvisioningToken(input: $input) {
    secret
    provisioningToken {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateProvisioningTokenMutation, CreateProvisioningTokenMutationVariables>;
export const RevokeProvisioningTokenDocument = new TypedDocumentString(`
    mutation RevokeProvisioningToken($input: RevokeProvisioningTokenInput!) {
  revokeProvisioningToken(input: $input) {
    provisioningToken {
      id
      revokedAt
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeProvisioningTokenMutation, RevokeProvisioningTokenMutationVariables>;
export const MyFactorsDocument = new TypedDocumentString(`
    query MyFactors {
  myFactors {
    factors {
      id
      kind
      name
      createdAt
      lastUsedAt
    }
    recoveryCodesLeft
    sessionProvedFactor
    mayChange
    required
  }
}
    `) as unknown as TypedDocumentString<MyFactorsQuery, MyFactorsQueryVariables>;
export const BeginMyTotpDocument = new TypedDocumentString(`
    mutation BeginMyTotp {
  beginMyTotp {
    factorId
    secret
    otpauthUrl
    qrCode
  }
}
    `) as unknown as TypedDocumentString<BeginMyTotpMutation, BeginMyTotpMutationVariables>;
export const ConfirmMyTotpDocument = new TypedDocumentString(`
    mutation ConfirmMyTotp($input: ConfirmMyTotpInput!) {
  confirmMyTotp(input: $input) {
    factor {
      id
    }
    recoveryCodes
  }
}
    `) as unknown as TypedDocumentString<ConfirmMyTotpMutation, ConfirmMyTotpMutationVariables>;
export const BeginMyPasskeyDocument = new TypedDocumentString(`
    mutation BeginMyPasskey {
  beginMyPasskey {
    ceremony
    options
  }
}
    `) as unknown as TypedDocumentString<BeginMyPasskeyMutation, BeginMyPasskeyMutationVariables>;
export const FinishMyPasskeyDocument = new TypedDocumentString(`
    mutation FinishMyPasskey($input: FinishMyPasskeyInput!) {
  finishMyPasskey(input: $input) {
    factor {
      id
    }
    recoveryCodes
  }
}
    `) as unknown as TypedDocumentString<FinishMyPasskeyMutation, FinishMyPasskeyMutationVariables>;
export const RemoveMyFactorDocument = new TypedDocumentString(`
    mutation RemoveMyFactor($id: ID!) {
  removeMyFactor(input: {factorId: $id}) {
    removedFactorId
    recoveryCodesLeft
  }
}
    `) as unknown as TypedDocumentString<RemoveMyFactorMutation, RemoveMyFactorMutationVariables>;
export const NewMyRecoveryCodesDocument = new TypedDocumentString(`
    mutation NewMyRecoveryCodes {
  newMyRecoveryCodes {
    recoveryCodes
  }
}
    `) as unknown as TypedDocumentString<NewMyRecoveryCodesMutation, NewMyRecoveryCodesMutationVariables>;
export const SigningKeysDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<SigningKeysQuery, SigningKeysQueryVariables>;
export const RotateSigningKeyDocument = new TypedDocumentString(`
    mutation RotateSigningKey($input: RotateSigningKeyInput!) {
  rotateSigningKey(input: $input) {
    signingKey {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RotateSigningKeyMutation, RotateSigningKeyMutationVariables>;
export const ActivateSigningKeyDocument = new TypedDocumentString(`
    mutation ActivateSigningKey($input: ActivateSigningKeyInput!) {
  activateSigningKey(input: $input) {
    signingKey {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ActivateSigningKeyMutation, ActivateSigningKeyMutationVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($instanceId: ID!, $after: String, $filter: UserFilter) {
  instance(id: $instanceId) {
    id
    users(first: 20, after: $after, filter: $filter) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        username
        displayName
        email
        status
        groups {
          id
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const UsersCountDocument = new TypedDocumentString(`
    query UsersCount($instanceId: ID!, $filter: UserFilter) {
  instance(id: $instanceId) {
    users(first: 1, filter: $filter) {
      totalCount
    }
  }
}
    `) as unknown as TypedDocumentString<UsersCountQuery, UsersCountQueryVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const ImportUsersDocument = new TypedDocumentString(`
    mutation ImportUsers($input: ImportUsersInput!) {
  importUsers(input: $input) {
    ok
    importedCount
    errors {
      row
      field
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ImportUsersMutation, ImportUsersMutationVariables>;
export const UserDocument = new TypedDocumentString(`
    query User($instanceId: ID!, $id: ID!) {
  instance(id: $instanceId) {
    id
    signInRules {
      mfaRequired
      allowedFactors
    }
    user(id: $id) {
      id
      username
      displayName
      email
      phone
      externalId
      status
      hasPassword
      createdAt
      updatedAt
      groups {
        id
        name
      }
      orgUnits {
        id
        name
      }
      effectiveApplications {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserQuery, UserQueryVariables>;
export const UpdateUserDocument = new TypedDocumentString(`
    mutation UpdateUser($input: UpdateUserInput!) {
  updateUser(input: $input) {
    user {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateUserMutation, UpdateUserMutationVariables>;
export const SetUserStatusDocument = new TypedDocumentString(`
    mutation SetUserStatus($input: SetUserStatusInput!) {
  setUserStatus(input: $input) {
    user {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<SetUserStatusMutation, SetUserStatusMutationVariables>;
export const SetUserPasswordDocument = new TypedDocumentString(`
    mutation SetUserPassword($input: SetUserPasswordInput!) {
  setUserPassword(input: $input) {
    user {
      id
      hasPassword
    }
  }
}
    `) as unknown as TypedDocumentString<SetUserPasswordMutation, SetUserPasswordMutationVariables>;
export const DeleteUserDocument = new TypedDocumentString(`
    mutation DeleteUser($input: UserRefInput!) {
  deleteUser(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteUserMutation, DeleteUserMutationVariables>;
export const AddToGroupDocument = new TypedDocumentString(`
    mutation AddToGroup($input: MembersInput!) {
  addGroupMembers(input: $input) {
    group {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AddToGroupMutation, AddToGroupMutationVariables>;
export const RemoveFromGroupDocument = new TypedDocumentString(`
    mutation RemoveFromGroup($input: MembersInput!) {
  removeGroupMembers(input: $input) {
    group {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveFromGroupMutation, RemoveFromGroupMutationVariables>;
export const AddToOrgUnitDocument = new TypedDocumentString(`
    mutation AddToOrgUnit($input: MembersInput!) {
  addOrgUnitMembers(input: $input) {
    orgUnit {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AddToOrgUnitMutation, AddToOrgUnitMutationVariables>;
export const RemoveFromOrgUnitDocument = new TypedDocumentString(`
    mutation RemoveFromOrgUnit($input: MembersInput!) {
  removeOrgUnitMembers(input: $input) {
    orgUnit {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveFromOrgUnitMutation, RemoveFromOrgUnitMutationVariables>;
export const UserSessionsDocument = new TypedDocumentString(`
    query UserSessions($instanceId: ID!, $userId: ID!) {
  userSessions(instanceId: $instanceId, userId: $userId) {
    id
    createdAt
    expiresAt
    lastSeenAt
    authMethods
    clientIp
    userAgent
    applications {
      applicationId
      name
      singleLogout
    }
  }
}
    `) as unknown as TypedDocumentString<UserSessionsQuery, UserSessionsQueryVariables>;
export const UserFactorsDocument = new TypedDocumentString(`
    query UserFactors($instanceId: ID!, $userId: ID!) {
  userFactors(instanceId: $instanceId, userId: $userId) {
    factors {
      id
      kind
      name
      createdAt
      lastUsedAt
    }
    recoveryCodesLeft
  }
}
    `) as unknown as TypedDocumentString<UserFactorsQuery, UserFactorsQueryVariables>;
export const ResetUserFactorsDocument = new TypedDocumentString(`
    mutation ResetUserFactors($input: ResetUserFactorsInput!) {
  resetUserFactors(input: $input) {
    removedCount
    sessionsEnded
  }
}
    `) as unknown as TypedDocumentString<ResetUserFactorsMutation, ResetUserFactorsMutationVariables>;
export const RevokeSessionDocument = new TypedDocumentString(`
    mutation RevokeSession($input: RevokeUserSessionInput!) {
  revokeUserSession(input: $input) {
    revokedCount
  }
}
    `) as unknown as TypedDocumentString<RevokeSessionMutation, RevokeSessionMutationVariables>;
export const RevokeSessionsDocument = new TypedDocumentString(`
    mutation RevokeSessions($input: RevokeUserSessionsInput!) {
  revokeUserSessions(input: $input) {
    revokedCount
  }
}
    `) as unknown as TypedDocumentString<RevokeSessionsMutation, RevokeSessionsMutationVariables>;
export const PickUsersDocument = new TypedDocumentString(`
    query PickUsers($instanceId: ID!, $search: String) {
  instance(id: $instanceId) {
    id
    users(first: 10, filter: {search: $search}) {
      nodes {
        id
        username
        displayName
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PickUsersQuery, PickUsersQueryVariables>;
export const PickGroupsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<PickGroupsQuery, PickGroupsQueryVariables>;
export const PickOrgUnitsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<PickOrgUnitsQuery, PickOrgUnitsQueryVariables>;