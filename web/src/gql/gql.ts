/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      kind\n      superAdmin\n      globalAuditor\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query InstanceName($id: ID!) {\n    instance(id: $id) {\n      id\n      name\n    }\n  }\n": typeof types.InstanceNameDocument,
    "\n  query TestViewer {\n    viewer {\n      id\n    }\n  }\n": typeof types.TestViewerDocument,
    "\n  query TestGroup($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      id\n      group(id: $id) {\n        id\n        name\n      }\n    }\n  }\n": typeof types.TestGroupDocument,
    "\n  mutation TestCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      group {\n        id\n        name\n      }\n    }\n  }\n": typeof types.TestCreateGroupDocument,
    "\n  query ApiTokens($after: String) {\n    apiTokens(first: 20, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n        state\n        roles {\n          role\n          instanceId\n        }\n      }\n    }\n    instances(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  query ApiTokensCount {\n    apiTokens(first: 1) {\n      totalCount\n    }\n  }\n": typeof types.ApiTokensCountDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      token {\n        id\n        state\n      }\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query Applications($instanceId: ID!, $after: String, $search: String) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          enabled\n          ssoEnabled\n          authorizationScope\n          missingSettings\n          template {\n            id\n            name\n            logo\n          }\n        }\n      }\n    }\n  }\n": typeof types.ApplicationsDocument,
    "\n  query ApplicationsCount($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      applications(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n": typeof types.ApplicationsCountDocument,
    "\n  query Marketplace($search: String) {\n    marketplace(search: $search) {\n      id\n      name\n      description\n      category\n      logo\n      protocol\n    }\n  }\n": typeof types.MarketplaceDocument,
    "\n  mutation AddApplication($input: AddApplicationInput!) {\n    addApplication(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n": typeof types.AddApplicationDocument,
    "\n  query Application($id: ID!) {\n    application(id: $id) {\n      id\n      instanceId\n      name\n      enabled\n      ssoEnabled\n      initiation\n      params\n      accountMode\n      spEntityId\n      spEntityIdOverridden\n      acsUrl\n      acsUrlOverridden\n      nameIdSuffix\n      nameIdFormat\n      encryptAssertions\n      assertionEncryption\n      spEncryptionCertificatePem\n      singleLogout\n      sloUrl\n      sloResponseUrl\n      sloBinding\n      defaultRelayState\n      missingSettings\n      idpEntityId\n      idpSsoUrl\n      idpMetadataUrl\n      authorizationScope\n      template {\n        id\n        name\n        logo\n        protocol\n        params {\n          key\n          label\n          description\n          kind\n          required\n        }\n      }\n    }\n  }\n": typeof types.ApplicationDocument,
    "\n  mutation ConfigureSso($input: ConfigureApplicationSsoInput!) {\n    configureApplicationSso(input: $input) {\n      application {\n        id\n        missingSettings\n      }\n    }\n  }\n": typeof types.ConfigureSsoDocument,
    "\n  mutation UpdateApplication($input: UpdateApplicationInput!) {\n    updateApplication(input: $input) {\n      application {\n        id\n        enabled\n        name\n      }\n    }\n  }\n": typeof types.UpdateApplicationDocument,
    "\n  mutation DeleteApplication($id: ID!) {\n    deleteApplication(input: { id: $id }) {\n      deletedId\n    }\n  }\n": typeof types.DeleteApplicationDocument,
    "\n  query ApplicationAuthorization($id: ID!, $after: String) {\n    application(id: $id) {\n      id\n      authorizationScope\n      accessGrants(first: 50, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          subjectKind\n          subjectId\n          subjectName\n          createdAt\n        }\n      }\n      effectiveUsers(first: 10) {\n        totalCountEstimate {\n          count\n          exact\n        }\n        nodes {\n          id\n          username\n        }\n      }\n    }\n  }\n": typeof types.ApplicationAuthorizationDocument,
    "\n  query AccessGrantsCount($id: ID!) {\n    application(id: $id) {\n      accessGrants(first: 1) {\n        totalCount\n      }\n    }\n  }\n": typeof types.AccessGrantsCountDocument,
    "\n  mutation SetScope($input: SetAuthorizationScopeInput!) {\n    setAuthorizationScope(input: $input) {\n      changed\n    }\n  }\n": typeof types.SetScopeDocument,
    "\n  mutation GrantAccess($input: ApplicationAccessInput!) {\n    grantApplicationAccess(input: $input) {\n      changed\n    }\n  }\n": typeof types.GrantAccessDocument,
    "\n  mutation RevokeAccess($input: ApplicationAccessInput!) {\n    revokeApplicationAccess(input: $input) {\n      changed\n    }\n  }\n": typeof types.RevokeAccessDocument,
    "\n  query ApplicationAccounts($id: ID!, $after: String, $search: String) {\n    application(id: $id) {\n      id\n      accountMode\n      accounts(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          userId\n          accountName\n          updatedAt\n          user {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n": typeof types.ApplicationAccountsDocument,
    "\n  query ApplicationAccountsCount($id: ID!, $search: String) {\n    application(id: $id) {\n      accounts(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n": typeof types.ApplicationAccountsCountDocument,
    "\n  mutation SetApplicationAccount($input: SetApplicationAccountInput!) {\n    setApplicationAccount(input: $input) {\n      account {\n        id\n        accountName\n      }\n    }\n  }\n": typeof types.SetApplicationAccountDocument,
    "\n  mutation RemoveApplicationAccount($input: RemoveApplicationAccountInput!) {\n    removeApplicationAccount(input: $input) {\n      removed\n    }\n  }\n": typeof types.RemoveApplicationAccountDocument,
    "\n  query NameIdFor($id: ID!, $userId: ID!) {\n    application(id: $id) {\n      id\n      nameIdFor(userId: $userId) {\n        nameId\n        reason\n      }\n    }\n  }\n": typeof types.NameIdForDocument,
    "\n  query AuditEvents($instanceId: ID, $after: String, $filter: AuditEventFilter) {\n    auditEvents(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        actor {\n          kind\n          id\n          name\n        }\n        action\n        targetKind\n        targetId\n        outcome\n        summary\n        clientIp\n        createdAt\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query AuditEventsCount($instanceId: ID, $filter: AuditEventFilter) {\n    auditEvents(instanceId: $instanceId, first: 1, filter: $filter) {\n      totalCount\n    }\n  }\n": typeof types.AuditEventsCountDocument,
    "\n  query AuditApplications($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AuditApplicationsDocument,
    "\n  query Deliveries($instanceId: ID!, $after: String, $filter: DeliveryFilterInput) {\n    deliveries(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        topic\n        recipient\n        status\n        attempts\n        lastError\n        nextAttemptAt\n        createdAt\n        deliveredAt\n      }\n    }\n  }\n": typeof types.DeliveriesDocument,
    "\n  query DeliveriesCount($instanceId: ID!, $filter: DeliveryFilterInput) {\n    deliveries(instanceId: $instanceId, first: 1, filter: $filter) {\n      totalCount\n    }\n  }\n": typeof types.DeliveriesCountDocument,
    "\n  query DeliveryLog($instanceId: ID!, $id: ID!) {\n    delivery(instanceId: $instanceId, id: $id) {\n      id\n      log {\n        attempt\n        startedAt\n        durationMs\n        delivered\n        statusCode\n        error\n      }\n    }\n  }\n": typeof types.DeliveryLogDocument,
    "\n  mutation Redeliver($input: RedeliverInput!) {\n    redeliver(input: $input) {\n      delivery {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RedeliverDocument,
    "\n  query EventSubscriptions($instanceId: ID!) {\n    eventSubscriptions(instanceId: $instanceId) {\n      id\n      url\n      eventTypes\n      description\n      enabled\n      createdAt\n    }\n  }\n": typeof types.EventSubscriptionsDocument,
    "\n  mutation CreateEventSubscription($input: CreateEventSubscriptionInput!) {\n    createEventSubscription(input: $input) {\n      eventSubscription {\n        id\n      }\n    }\n  }\n": typeof types.CreateEventSubscriptionDocument,
    "\n  mutation UpdateEventSubscription($input: UpdateEventSubscriptionInput!) {\n    updateEventSubscription(input: $input) {\n      eventSubscription {\n        id\n        enabled\n      }\n    }\n  }\n": typeof types.UpdateEventSubscriptionDocument,
    "\n  mutation DeleteEventSubscription($input: EventSubscriptionRefInput!) {\n    deleteEventSubscription(input: $input) {\n      deletedId\n    }\n  }\n": typeof types.DeleteEventSubscriptionDocument,
    "\n  mutation PingEventSubscription($input: EventSubscriptionRefInput!) {\n    pingEventSubscription(input: $input) {\n      delivery {\n        id\n      }\n    }\n  }\n": typeof types.PingEventSubscriptionDocument,
    "\n  query Groups($instanceId: ID!, $after: String, $search: String) {\n    instance(id: $instanceId) {\n      id\n      groups(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          description\n          members(first: 1) {\n            totalCountEstimate {\n              count\n              exact\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.GroupsDocument,
    "\n  query GroupsCount($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      groups(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n": typeof types.GroupsCountDocument,
    "\n  mutation CreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      group {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateGroupDocument,
    "\n  query Group($instanceId: ID!, $id: ID!, $after: String) {\n    instance(id: $instanceId) {\n      id\n      group(id: $id) {\n        id\n        name\n        description\n        members(first: 20, after: $after) {\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          nodes {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n": typeof types.GroupDocument,
    "\n  query GroupMembersCount($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      group(id: $id) {\n        members(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n": typeof types.GroupMembersCountDocument,
    "\n  mutation UpdateGroup($input: UpdateGroupInput!) {\n    updateGroup(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.UpdateGroupDocument,
    "\n  mutation DeleteGroup($input: ObjectRefInput!) {\n    deleteGroup(input: $input) {\n      deletedId\n    }\n  }\n": typeof types.DeleteGroupDocument,
    "\n  mutation AddGroupMembers($input: MembersInput!) {\n    addGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.AddGroupMembersDocument,
    "\n  mutation RemoveGroupMembers($input: MembersInput!) {\n    removeGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.RemoveGroupMembersDocument,
    "\n  query Instances($after: String) {\n    instances(first: 20, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        description\n        signInRules {\n          mfaRequired\n          allowedFactors\n          passkeySignIn\n          passkeyUserVerification\n        }\n        createdAt\n      }\n    }\n  }\n": typeof types.InstancesDocument,
    "\n  query InstancesCount {\n    instances(first: 1) {\n      totalCount\n    }\n  }\n": typeof types.InstancesCountDocument,
    "\n  mutation CreateInstance($input: CreateInstanceInput!) {\n    createInstance(input: $input) {\n      instance {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateInstanceDocument,
    "\n  mutation UpdateInstance($input: UpdateInstanceInput!) {\n    updateInstance(input: $input) {\n      instance {\n        id\n        name\n        description\n        signInRules {\n          mfaRequired\n          allowedFactors\n          passkeySignIn\n          passkeyUserVerification\n        }\n      }\n    }\n  }\n": typeof types.UpdateInstanceDocument,
    "\n  mutation DeleteInstance($id: ID!) {\n    deleteInstance(input: { id: $id }) {\n      deletedId\n    }\n  }\n": typeof types.DeleteInstanceDocument,
    "\n  query OidcClient($id: ID!) {\n    application(id: $id) {\n      id\n      oidc {\n        clientId\n        issuer\n        discoveryUrl\n        clientType\n        authMethod\n        redirectUris\n        postLogoutRedirectUris\n        initiateLoginUri\n        scopes\n        claims {\n          name\n          source\n          values\n        }\n        jwks\n        assertionAlgorithm\n        idTokenLifetimeSeconds\n        accessTokenLifetimeSeconds\n        refreshTokenLifetimeSeconds\n        secrets {\n          id\n          hint\n          createdAt\n          expiresAt\n        }\n        missingSettings\n      }\n    }\n    viewer {\n      id\n      superAdmin\n      adminOf\n    }\n  }\n": typeof types.OidcClientDocument,
    "\n  mutation ConfigureOidc($input: ConfigureApplicationOidcInput!) {\n    configureApplicationOidc(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n": typeof types.ConfigureOidcDocument,
    "\n  mutation RotateOidcSecret($input: RotateOidcClientSecretInput!) {\n    rotateOidcClientSecret(input: $input) {\n      secret\n      application {\n        id\n      }\n    }\n  }\n": typeof types.RotateOidcSecretDocument,
    "\n  mutation RevokeOidcSecret($input: RevokeOidcClientSecretInput!) {\n    revokeOidcClientSecret(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n": typeof types.RevokeOidcSecretDocument,
    "\n  query OrgUnits($instanceId: ID!, $parentId: ID, $after: String) {\n    instance(id: $instanceId) {\n      id\n      orgUnits(parentId: $parentId, first: 50, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          children(first: 1) {\n            totalCount\n          }\n          members(first: 1) {\n            totalCountEstimate {\n              count\n              exact\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.OrgUnitsDocument,
    "\n  query OrgUnitMembers($instanceId: ID!, $id: ID!, $after: String) {\n    instance(id: $instanceId) {\n      id\n      orgUnit(id: $id) {\n        id\n        members(first: 20, after: $after, includeSubUnits: false) {\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          nodes {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n": typeof types.OrgUnitMembersDocument,
    "\n  query OrgUnitsCount($instanceId: ID!, $parentId: ID) {\n    instance(id: $instanceId) {\n      orgUnits(parentId: $parentId, first: 1) {\n        totalCount\n      }\n    }\n  }\n": typeof types.OrgUnitsCountDocument,
    "\n  query OrgUnitMembersCount($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      orgUnit(id: $id) {\n        members(first: 1, includeSubUnits: false) {\n          totalCount\n        }\n      }\n    }\n  }\n": typeof types.OrgUnitMembersCountDocument,
    "\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateOrgUnitDocument,
    "\n  mutation RenameOrgUnit($input: RenameOrgUnitInput!) {\n    renameOrgUnit(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": typeof types.RenameOrgUnitDocument,
    "\n  mutation MoveOrgUnit($input: MoveOrgUnitInput!) {\n    moveOrgUnit(input: $input) {\n      orgUnit {\n        id\n        name\n      }\n    }\n  }\n": typeof types.MoveOrgUnitDocument,
    "\n  mutation DeleteOrgUnit($input: ObjectRefInput!) {\n    deleteOrgUnit(input: $input) {\n      deletedId\n    }\n  }\n": typeof types.DeleteOrgUnitDocument,
    "\n  mutation AddOrgUnitMembers($input: MembersInput!) {\n    addOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": typeof types.AddOrgUnitMembersDocument,
    "\n  mutation RemoveOrgUnitMembers($input: MembersInput!) {\n    removeOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": typeof types.RemoveOrgUnitMembersDocument,
    "\n  query InstanceActivity($instanceId: ID!, $range: ActivityRange!) {\n    instanceActivity(instanceId: $instanceId, range: $range) {\n      from\n      bucketSeconds\n      buckets {\n        start\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      applications {\n        applicationId\n        name\n        allowed\n        denied\n      }\n      refusalReasons {\n        reason\n        count\n      }\n    }\n  }\n": typeof types.InstanceActivityDocument,
    "\n  query InstanceAttention($instanceId: ID!) {\n    signingKeys(instanceId: $instanceId) {\n      id\n      state\n      algorithm\n      notAfter\n    }\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n          spCertificateNotAfter\n          spEncryptionCertificateNotAfter\n        }\n      }\n    }\n    pendingEmails: deliveries(\n      instanceId: $instanceId\n      first: 1\n      filter: { kind: EMAIL, status: PENDING }\n    ) {\n      totalCount\n    }\n    failedDeliveries: deliveries(\n      instanceId: $instanceId\n      first: 1\n      filter: { kind: EVENT, status: DEAD }\n    ) {\n      totalCount\n    }\n  }\n": typeof types.InstanceAttentionDocument,
    "\n  query PlatformActivity($range: ActivityRange!) {\n    platformActivity(range: $range) {\n      from\n      bucketSeconds\n      buckets {\n        start\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      instances {\n        instanceId\n        name\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      refusalReasons {\n        reason\n        count\n      }\n    }\n  }\n": typeof types.PlatformActivityDocument,
    "\n  query AccessPolicies($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      accessPolicies {\n        id\n        policyId\n        name\n        description\n        source\n        enabled\n        updatedAt\n      }\n    }\n  }\n": typeof types.AccessPoliciesDocument,
    "\n  query ValidatePolicy($instanceId: ID!, $source: String!) {\n    validateAccessPolicy(instanceId: $instanceId, source: $source) {\n      valid\n      problems {\n        message\n        line\n        column\n      }\n    }\n  }\n": typeof types.ValidatePolicyDocument,
    "\n  query AccessSimulation($input: SimulateAccessChangeInput!) {\n    simulateAccessChange(input: $input) {\n      evaluatedPairs\n      gained\n      lost\n      changes(first: 20) {\n        totalCount\n        nodes {\n          gainsAccess\n          user {\n            id\n            username\n          }\n          application {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.AccessSimulationDocument,
    "\n  mutation CreateAccessPolicy($input: CreateAccessPolicyInput!) {\n    createAccessPolicy(input: $input) {\n      accessPolicy {\n        id\n      }\n    }\n  }\n": typeof types.CreateAccessPolicyDocument,
    "\n  mutation UpdateAccessPolicy($input: UpdateAccessPolicyInput!) {\n    updateAccessPolicy(input: $input) {\n      accessPolicy {\n        id\n      }\n    }\n  }\n": typeof types.UpdateAccessPolicyDocument,
    "\n  mutation DeleteAccessPolicy($id: ID!) {\n    deleteAccessPolicy(input: { id: $id }) {\n      deletedId\n    }\n  }\n": typeof types.DeleteAccessPolicyDocument,
    "\n  query AppsForExplain($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AppsForExplainDocument,
    "\n  query ExplainAccess($userId: ID!, $applicationId: ID!, $context: AccessContextInput) {\n    explainAccess(userId: $userId, applicationId: $applicationId, context: $context) {\n      allowed\n      summary\n      reasons {\n        policyId\n        effect\n        origin\n        description\n      }\n      diagnostics\n    }\n  }\n": typeof types.ExplainAccessDocument,
    "\n  query Provisioning($instanceId: ID!) {\n    provisioning(instanceId: $instanceId) {\n      scimBaseUrl\n      tokens {\n        id\n        name\n        createdBy\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n    viewer {\n      id\n      superAdmin\n      adminOf\n    }\n  }\n": typeof types.ProvisioningDocument,
    "\n  query ProvisioningChanges($instanceId: ID!, $first: Int!) {\n    auditEvents(instanceId: $instanceId, first: $first, filter: { actorKind: \"provisioning\" }) {\n      nodes {\n        id\n        actor {\n          kind\n          name\n        }\n        action\n        targetKind\n        targetId\n        summary\n        createdAt\n      }\n    }\n  }\n": typeof types.ProvisioningChangesDocument,
    "\n  mutation CreateProvisioningToken($input: CreateProvisioningTokenInput!) {\n    createProvisioningToken(input: $input) {\n      secret\n      provisioningToken {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateProvisioningTokenDocument,
    "\n  mutation RevokeProvisioningToken($input: RevokeProvisioningTokenInput!) {\n    revokeProvisioningToken(input: $input) {\n      provisioningToken {\n        id\n        revokedAt\n      }\n    }\n  }\n": typeof types.RevokeProvisioningTokenDocument,
    "\n  query MyFactors {\n    myFactors {\n      factors {\n        id\n        kind\n        name\n        createdAt\n        lastUsedAt\n      }\n      recoveryCodesLeft\n      sessionProvedFactor\n      mayChange\n      required\n    }\n  }\n": typeof types.MyFactorsDocument,
    "\n  mutation BeginMyTotp {\n    beginMyTotp {\n      factorId\n      secret\n      otpauthUrl\n      qrCode\n    }\n  }\n": typeof types.BeginMyTotpDocument,
    "\n  mutation ConfirmMyTotp($input: ConfirmMyTotpInput!) {\n    confirmMyTotp(input: $input) {\n      factor {\n        id\n      }\n      recoveryCodes\n    }\n  }\n": typeof types.ConfirmMyTotpDocument,
    "\n  mutation BeginMyPasskey {\n    beginMyPasskey {\n      ceremony\n      options\n    }\n  }\n": typeof types.BeginMyPasskeyDocument,
    "\n  mutation FinishMyPasskey($input: FinishMyPasskeyInput!) {\n    finishMyPasskey(input: $input) {\n      factor {\n        id\n      }\n      recoveryCodes\n    }\n  }\n": typeof types.FinishMyPasskeyDocument,
    "\n  mutation RemoveMyFactor($id: ID!) {\n    removeMyFactor(input: { factorId: $id }) {\n      removedFactorId\n      recoveryCodesLeft\n    }\n  }\n": typeof types.RemoveMyFactorDocument,
    "\n  mutation NewMyRecoveryCodes {\n    newMyRecoveryCodes {\n      recoveryCodes\n    }\n  }\n": typeof types.NewMyRecoveryCodesDocument,
    "\n  query SigningKeys($instanceId: ID!) {\n    signingKeys(instanceId: $instanceId) {\n      id\n      algorithm\n      state\n      fingerprintSha256\n      notAfter\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n": typeof types.SigningKeysDocument,
    "\n  mutation RotateSigningKey($input: RotateSigningKeyInput!) {\n    rotateSigningKey(input: $input) {\n      signingKey {\n        id\n      }\n    }\n  }\n": typeof types.RotateSigningKeyDocument,
    "\n  mutation ActivateSigningKey($input: ActivateSigningKeyInput!) {\n    activateSigningKey(input: $input) {\n      signingKey {\n        id\n      }\n    }\n  }\n": typeof types.ActivateSigningKeyDocument,
    "\n  query Users($instanceId: ID!, $after: String, $filter: UserFilter) {\n    instance(id: $instanceId) {\n      id\n      users(first: 20, after: $after, filter: $filter) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          username\n          displayName\n          email\n          status\n          groups {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  query UsersCount($instanceId: ID!, $filter: UserFilter) {\n    instance(id: $instanceId) {\n      users(first: 1, filter: $filter) {\n        totalCount\n      }\n    }\n  }\n": typeof types.UsersCountDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation ImportUsers($input: ImportUsersInput!) {\n    importUsers(input: $input) {\n      ok\n      importedCount\n      errors {\n        row\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ImportUsersDocument,
    "\n  query User($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      id\n      signInRules {\n        mfaRequired\n        allowedFactors\n      }\n      user(id: $id) {\n        id\n        username\n        displayName\n        email\n        phone\n        externalId\n        status\n        hasPassword\n        createdAt\n        updatedAt\n        groups {\n          id\n          name\n        }\n        orgUnits {\n          id\n          name\n        }\n        effectiveApplications {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.UserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation SetUserStatus($input: SetUserStatusInput!) {\n    setUserStatus(input: $input) {\n      user {\n        id\n        status\n      }\n    }\n  }\n": typeof types.SetUserStatusDocument,
    "\n  mutation SetUserPassword($input: SetUserPasswordInput!) {\n    setUserPassword(input: $input) {\n      user {\n        id\n        hasPassword\n      }\n    }\n  }\n": typeof types.SetUserPasswordDocument,
    "\n  mutation DeleteUser($input: UserRefInput!) {\n    deleteUser(input: $input) {\n      deletedId\n    }\n  }\n": typeof types.DeleteUserDocument,
    "\n  mutation AddToGroup($input: MembersInput!) {\n    addGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.AddToGroupDocument,
    "\n  mutation RemoveFromGroup($input: MembersInput!) {\n    removeGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.RemoveFromGroupDocument,
    "\n  mutation AddToOrgUnit($input: MembersInput!) {\n    addOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": typeof types.AddToOrgUnitDocument,
    "\n  mutation RemoveFromOrgUnit($input: MembersInput!) {\n    removeOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": typeof types.RemoveFromOrgUnitDocument,
    "\n  query UserSessions($instanceId: ID!, $userId: ID!) {\n    userSessions(instanceId: $instanceId, userId: $userId) {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      authMethods\n      clientIp\n      userAgent\n      applications {\n        applicationId\n        name\n        singleLogout\n      }\n    }\n  }\n": typeof types.UserSessionsDocument,
    "\n  query UserFactors($instanceId: ID!, $userId: ID!) {\n    userFactors(instanceId: $instanceId, userId: $userId) {\n      factors {\n        id\n        kind\n        name\n        createdAt\n        lastUsedAt\n      }\n      recoveryCodesLeft\n    }\n  }\n": typeof types.UserFactorsDocument,
    "\n  mutation ResetUserFactors($input: ResetUserFactorsInput!) {\n    resetUserFactors(input: $input) {\n      removedCount\n      sessionsEnded\n    }\n  }\n": typeof types.ResetUserFactorsDocument,
    "\n  mutation RevokeSession($input: RevokeUserSessionInput!) {\n    revokeUserSession(input: $input) {\n      revokedCount\n    }\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation RevokeSessions($input: RevokeUserSessionsInput!) {\n    revokeUserSessions(input: $input) {\n      revokedCount\n    }\n  }\n": typeof types.RevokeSessionsDocument,
    "\n  query PickUsers($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      id\n      users(first: 10, filter: { search: $search }) {\n        nodes {\n          id\n          username\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.PickUsersDocument,
    "\n  query PickGroups($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      id\n      groups(first: 10, search: $search) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.PickGroupsDocument,
    "\n  query PickOrgUnits($instanceId: ID!, $parentId: ID) {\n    instance(id: $instanceId) {\n      id\n      orgUnits(parentId: $parentId, first: 100) {\n        nodes {\n          id\n          name\n          depth\n        }\n      }\n    }\n  }\n": typeof types.PickOrgUnitsDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      kind\n      superAdmin\n      globalAuditor\n    }\n  }\n": types.ViewerDocument,
    "\n  query InstanceName($id: ID!) {\n    instance(id: $id) {\n      id\n      name\n    }\n  }\n": types.InstanceNameDocument,
    "\n  query TestViewer {\n    viewer {\n      id\n    }\n  }\n": types.TestViewerDocument,
    "\n  query TestGroup($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      id\n      group(id: $id) {\n        id\n        name\n      }\n    }\n  }\n": types.TestGroupDocument,
    "\n  mutation TestCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      group {\n        id\n        name\n      }\n    }\n  }\n": types.TestCreateGroupDocument,
    "\n  query ApiTokens($after: String) {\n    apiTokens(first: 20, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n        state\n        roles {\n          role\n          instanceId\n        }\n      }\n    }\n    instances(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": types.ApiTokensDocument,
    "\n  query ApiTokensCount {\n    apiTokens(first: 1) {\n      totalCount\n    }\n  }\n": types.ApiTokensCountDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      token {\n        id\n        state\n      }\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query Applications($instanceId: ID!, $after: String, $search: String) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          enabled\n          ssoEnabled\n          authorizationScope\n          missingSettings\n          template {\n            id\n            name\n            logo\n          }\n        }\n      }\n    }\n  }\n": types.ApplicationsDocument,
    "\n  query ApplicationsCount($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      applications(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n": types.ApplicationsCountDocument,
    "\n  query Marketplace($search: String) {\n    marketplace(search: $search) {\n      id\n      name\n      description\n      category\n      logo\n      protocol\n    }\n  }\n": types.MarketplaceDocument,
    "\n  mutation AddApplication($input: AddApplicationInput!) {\n    addApplication(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n": types.AddApplicationDocument,
    "\n  query Application($id: ID!) {\n    application(id: $id) {\n      id\n      instanceId\n      name\n      enabled\n      ssoEnabled\n      initiation\n      params\n      accountMode\n      spEntityId\n      spEntityIdOverridden\n      acsUrl\n      acsUrlOverridden\n      nameIdSuffix\n      nameIdFormat\n      encryptAssertions\n      assertionEncryption\n      spEncryptionCertificatePem\n      singleLogout\n      sloUrl\n      sloResponseUrl\n      sloBinding\n      defaultRelayState\n      missingSettings\n      idpEntityId\n      idpSsoUrl\n      idpMetadataUrl\n      authorizationScope\n      template {\n        id\n        name\n        logo\n        protocol\n        params {\n          key\n          label\n          description\n          kind\n          required\n        }\n      }\n    }\n  }\n": types.ApplicationDocument,
    "\n  mutation ConfigureSso($input: ConfigureApplicationSsoInput!) {\n    configureApplicationSso(input: $input) {\n      application {\n        id\n        missingSettings\n      }\n    }\n  }\n": types.ConfigureSsoDocument,
    "\n  mutation UpdateApplication($input: UpdateApplicationInput!) {\n    updateApplication(input: $input) {\n      application {\n        id\n        enabled\n        name\n      }\n    }\n  }\n": types.UpdateApplicationDocument,
    "\n  mutation DeleteApplication($id: ID!) {\n    deleteApplication(input: { id: $id }) {\n      deletedId\n    }\n  }\n": types.DeleteApplicationDocument,
    "\n  query ApplicationAuthorization($id: ID!, $after: String) {\n    application(id: $id) {\n      id\n      authorizationScope\n      accessGrants(first: 50, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          subjectKind\n          subjectId\n          subjectName\n          createdAt\n        }\n      }\n      effectiveUsers(first: 10) {\n        totalCountEstimate {\n          count\n          exact\n        }\n        nodes {\n          id\n          username\n        }\n      }\n    }\n  }\n": types.ApplicationAuthorizationDocument,
    "\n  query AccessGrantsCount($id: ID!) {\n    application(id: $id) {\n      accessGrants(first: 1) {\n        totalCount\n      }\n    }\n  }\n": types.AccessGrantsCountDocument,
    "\n  mutation SetScope($input: SetAuthorizationScopeInput!) {\n    setAuthorizationScope(input: $input) {\n      changed\n    }\n  }\n": types.SetScopeDocument,
    "\n  mutation GrantAccess($input: ApplicationAccessInput!) {\n    grantApplicationAccess(input: $input) {\n      changed\n    }\n  }\n": types.GrantAccessDocument,
    "\n  mutation RevokeAccess($input: ApplicationAccessInput!) {\n    revokeApplicationAccess(input: $input) {\n      changed\n    }\n  }\n": types.RevokeAccessDocument,
    "\n  query ApplicationAccounts($id: ID!, $after: String, $search: String) {\n    application(id: $id) {\n      id\n      accountMode\n      accounts(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          userId\n          accountName\n          updatedAt\n          user {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n": types.ApplicationAccountsDocument,
    "\n  query ApplicationAccountsCount($id: ID!, $search: String) {\n    application(id: $id) {\n      accounts(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n": types.ApplicationAccountsCountDocument,
    "\n  mutation SetApplicationAccount($input: SetApplicationAccountInput!) {\n    setApplicationAccount(input: $input) {\n      account {\n        id\n        accountName\n      }\n    }\n  }\n": types.SetApplicationAccountDocument,
    "\n  mutation RemoveApplicationAccount($input: RemoveApplicationAccountInput!) {\n    removeApplicationAccount(input: $input) {\n      removed\n    }\n  }\n": types.RemoveApplicationAccountDocument,
    "\n  query NameIdFor($id: ID!, $userId: ID!) {\n    application(id: $id) {\n      id\n      nameIdFor(userId: $userId) {\n        nameId\n        reason\n      }\n    }\n  }\n": types.NameIdForDocument,
    "\n  query AuditEvents($instanceId: ID, $after: String, $filter: AuditEventFilter) {\n    auditEvents(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        actor {\n          kind\n          id\n          name\n        }\n        action\n        targetKind\n        targetId\n        outcome\n        summary\n        clientIp\n        createdAt\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query AuditEventsCount($instanceId: ID, $filter: AuditEventFilter) {\n    auditEvents(instanceId: $instanceId, first: 1, filter: $filter) {\n      totalCount\n    }\n  }\n": types.AuditEventsCountDocument,
    "\n  query AuditApplications($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AuditApplicationsDocument,
    "\n  query Deliveries($instanceId: ID!, $after: String, $filter: DeliveryFilterInput) {\n    deliveries(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        topic\n        recipient\n        status\n        attempts\n        lastError\n        nextAttemptAt\n        createdAt\n        deliveredAt\n      }\n    }\n  }\n": types.DeliveriesDocument,
    "\n  query DeliveriesCount($instanceId: ID!, $filter: DeliveryFilterInput) {\n    deliveries(instanceId: $instanceId, first: 1, filter: $filter) {\n      totalCount\n    }\n  }\n": types.DeliveriesCountDocument,
    "\n  query DeliveryLog($instanceId: ID!, $id: ID!) {\n    delivery(instanceId: $instanceId, id: $id) {\n      id\n      log {\n        attempt\n        startedAt\n        durationMs\n        delivered\n        statusCode\n        error\n      }\n    }\n  }\n": types.DeliveryLogDocument,
    "\n  mutation Redeliver($input: RedeliverInput!) {\n    redeliver(input: $input) {\n      delivery {\n        id\n        status\n      }\n    }\n  }\n": types.RedeliverDocument,
    "\n  query EventSubscriptions($instanceId: ID!) {\n    eventSubscriptions(instanceId: $instanceId) {\n      id\n      url\n      eventTypes\n      description\n      enabled\n      createdAt\n    }\n  }\n": types.EventSubscriptionsDocument,
    "\n  mutation CreateEventSubscription($input: CreateEventSubscriptionInput!) {\n    createEventSubscription(input: $input) {\n      eventSubscription {\n        id\n      }\n    }\n  }\n": types.CreateEventSubscriptionDocument,
    "\n  mutation UpdateEventSubscription($input: UpdateEventSubscriptionInput!) {\n    updateEventSubscription(input: $input) {\n      eventSubscription {\n        id\n        enabled\n      }\n    }\n  }\n": types.UpdateEventSubscriptionDocument,
    "\n  mutation DeleteEventSubscription($input: EventSubscriptionRefInput!) {\n    deleteEventSubscription(input: $input) {\n      deletedId\n    }\n  }\n": types.DeleteEventSubscriptionDocument,
    "\n  mutation PingEventSubscription($input: EventSubscriptionRefInput!) {\n    pingEventSubscription(input: $input) {\n      delivery {\n        id\n      }\n    }\n  }\n": types.PingEventSubscriptionDocument,
    "\n  query Groups($instanceId: ID!, $after: String, $search: String) {\n    instance(id: $instanceId) {\n      id\n      groups(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          description\n          members(first: 1) {\n            totalCountEstimate {\n              count\n              exact\n            }\n          }\n        }\n      }\n    }\n  }\n": types.GroupsDocument,
    "\n  query GroupsCount($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      groups(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n": types.GroupsCountDocument,
    "\n  mutation CreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      group {\n        id\n        name\n      }\n    }\n  }\n": types.CreateGroupDocument,
    "\n  query Group($instanceId: ID!, $id: ID!, $after: String) {\n    instance(id: $instanceId) {\n      id\n      group(id: $id) {\n        id\n        name\n        description\n        members(first: 20, after: $after) {\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          nodes {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n": types.GroupDocument,
    "\n  query GroupMembersCount($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      group(id: $id) {\n        members(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n": types.GroupMembersCountDocument,
    "\n  mutation UpdateGroup($input: UpdateGroupInput!) {\n    updateGroup(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.UpdateGroupDocument,
    "\n  mutation DeleteGroup($input: ObjectRefInput!) {\n    deleteGroup(input: $input) {\n      deletedId\n    }\n  }\n": types.DeleteGroupDocument,
    "\n  mutation AddGroupMembers($input: MembersInput!) {\n    addGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.AddGroupMembersDocument,
    "\n  mutation RemoveGroupMembers($input: MembersInput!) {\n    removeGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.RemoveGroupMembersDocument,
    "\n  query Instances($after: String) {\n    instances(first: 20, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        description\n        signInRules {\n          mfaRequired\n          allowedFactors\n          passkeySignIn\n          passkeyUserVerification\n        }\n        createdAt\n      }\n    }\n  }\n": types.InstancesDocument,
    "\n  query InstancesCount {\n    instances(first: 1) {\n      totalCount\n    }\n  }\n": types.InstancesCountDocument,
    "\n  mutation CreateInstance($input: CreateInstanceInput!) {\n    createInstance(input: $input) {\n      instance {\n        id\n        name\n      }\n    }\n  }\n": types.CreateInstanceDocument,
    "\n  mutation UpdateInstance($input: UpdateInstanceInput!) {\n    updateInstance(input: $input) {\n      instance {\n        id\n        name\n        description\n        signInRules {\n          mfaRequired\n          allowedFactors\n          passkeySignIn\n          passkeyUserVerification\n        }\n      }\n    }\n  }\n": types.UpdateInstanceDocument,
    "\n  mutation DeleteInstance($id: ID!) {\n    deleteInstance(input: { id: $id }) {\n      deletedId\n    }\n  }\n": types.DeleteInstanceDocument,
    "\n  query OidcClient($id: ID!) {\n    application(id: $id) {\n      id\n      oidc {\n        clientId\n        issuer\n        discoveryUrl\n        clientType\n        authMethod\n        redirectUris\n        postLogoutRedirectUris\n        initiateLoginUri\n        scopes\n        claims {\n          name\n          source\n          values\n        }\n        jwks\n        assertionAlgorithm\n        idTokenLifetimeSeconds\n        accessTokenLifetimeSeconds\n        refreshTokenLifetimeSeconds\n        secrets {\n          id\n          hint\n          createdAt\n          expiresAt\n        }\n        missingSettings\n      }\n    }\n    viewer {\n      id\n      superAdmin\n      adminOf\n    }\n  }\n": types.OidcClientDocument,
    "\n  mutation ConfigureOidc($input: ConfigureApplicationOidcInput!) {\n    configureApplicationOidc(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n": types.ConfigureOidcDocument,
    "\n  mutation RotateOidcSecret($input: RotateOidcClientSecretInput!) {\n    rotateOidcClientSecret(input: $input) {\n      secret\n      application {\n        id\n      }\n    }\n  }\n": types.RotateOidcSecretDocument,
    "\n  mutation RevokeOidcSecret($input: RevokeOidcClientSecretInput!) {\n    revokeOidcClientSecret(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n": types.RevokeOidcSecretDocument,
    "\n  query OrgUnits($instanceId: ID!, $parentId: ID, $after: String) {\n    instance(id: $instanceId) {\n      id\n      orgUnits(parentId: $parentId, first: 50, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          children(first: 1) {\n            totalCount\n          }\n          members(first: 1) {\n            totalCountEstimate {\n              count\n              exact\n            }\n          }\n        }\n      }\n    }\n  }\n": types.OrgUnitsDocument,
    "\n  query OrgUnitMembers($instanceId: ID!, $id: ID!, $after: String) {\n    instance(id: $instanceId) {\n      id\n      orgUnit(id: $id) {\n        id\n        members(first: 20, after: $after, includeSubUnits: false) {\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          nodes {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n": types.OrgUnitMembersDocument,
    "\n  query OrgUnitsCount($instanceId: ID!, $parentId: ID) {\n    instance(id: $instanceId) {\n      orgUnits(parentId: $parentId, first: 1) {\n        totalCount\n      }\n    }\n  }\n": types.OrgUnitsCountDocument,
    "\n  query OrgUnitMembersCount($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      orgUnit(id: $id) {\n        members(first: 1, includeSubUnits: false) {\n          totalCount\n        }\n      }\n    }\n  }\n": types.OrgUnitMembersCountDocument,
    "\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        id\n        name\n      }\n    }\n  }\n": types.CreateOrgUnitDocument,
    "\n  mutation RenameOrgUnit($input: RenameOrgUnitInput!) {\n    renameOrgUnit(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": types.RenameOrgUnitDocument,
    "\n  mutation MoveOrgUnit($input: MoveOrgUnitInput!) {\n    moveOrgUnit(input: $input) {\n      orgUnit {\n        id\n        name\n      }\n    }\n  }\n": types.MoveOrgUnitDocument,
    "\n  mutation DeleteOrgUnit($input: ObjectRefInput!) {\n    deleteOrgUnit(input: $input) {\n      deletedId\n    }\n  }\n": types.DeleteOrgUnitDocument,
    "\n  mutation AddOrgUnitMembers($input: MembersInput!) {\n    addOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": types.AddOrgUnitMembersDocument,
    "\n  mutation RemoveOrgUnitMembers($input: MembersInput!) {\n    removeOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": types.RemoveOrgUnitMembersDocument,
    "\n  query InstanceActivity($instanceId: ID!, $range: ActivityRange!) {\n    instanceActivity(instanceId: $instanceId, range: $range) {\n      from\n      bucketSeconds\n      buckets {\n        start\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      applications {\n        applicationId\n        name\n        allowed\n        denied\n      }\n      refusalReasons {\n        reason\n        count\n      }\n    }\n  }\n": types.InstanceActivityDocument,
    "\n  query InstanceAttention($instanceId: ID!) {\n    signingKeys(instanceId: $instanceId) {\n      id\n      state\n      algorithm\n      notAfter\n    }\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n          spCertificateNotAfter\n          spEncryptionCertificateNotAfter\n        }\n      }\n    }\n    pendingEmails: deliveries(\n      instanceId: $instanceId\n      first: 1\n      filter: { kind: EMAIL, status: PENDING }\n    ) {\n      totalCount\n    }\n    failedDeliveries: deliveries(\n      instanceId: $instanceId\n      first: 1\n      filter: { kind: EVENT, status: DEAD }\n    ) {\n      totalCount\n    }\n  }\n": types.InstanceAttentionDocument,
    "\n  query PlatformActivity($range: ActivityRange!) {\n    platformActivity(range: $range) {\n      from\n      bucketSeconds\n      buckets {\n        start\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      instances {\n        instanceId\n        name\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      refusalReasons {\n        reason\n        count\n      }\n    }\n  }\n": types.PlatformActivityDocument,
    "\n  query AccessPolicies($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      accessPolicies {\n        id\n        policyId\n        name\n        description\n        source\n        enabled\n        updatedAt\n      }\n    }\n  }\n": types.AccessPoliciesDocument,
    "\n  query ValidatePolicy($instanceId: ID!, $source: String!) {\n    validateAccessPolicy(instanceId: $instanceId, source: $source) {\n      valid\n      problems {\n        message\n        line\n        column\n      }\n    }\n  }\n": types.ValidatePolicyDocument,
    "\n  query AccessSimulation($input: SimulateAccessChangeInput!) {\n    simulateAccessChange(input: $input) {\n      evaluatedPairs\n      gained\n      lost\n      changes(first: 20) {\n        totalCount\n        nodes {\n          gainsAccess\n          user {\n            id\n            username\n          }\n          application {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.AccessSimulationDocument,
    "\n  mutation CreateAccessPolicy($input: CreateAccessPolicyInput!) {\n    createAccessPolicy(input: $input) {\n      accessPolicy {\n        id\n      }\n    }\n  }\n": types.CreateAccessPolicyDocument,
    "\n  mutation UpdateAccessPolicy($input: UpdateAccessPolicyInput!) {\n    updateAccessPolicy(input: $input) {\n      accessPolicy {\n        id\n      }\n    }\n  }\n": types.UpdateAccessPolicyDocument,
    "\n  mutation DeleteAccessPolicy($id: ID!) {\n    deleteAccessPolicy(input: { id: $id }) {\n      deletedId\n    }\n  }\n": types.DeleteAccessPolicyDocument,
    "\n  query AppsForExplain($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AppsForExplainDocument,
    "\n  query ExplainAccess($userId: ID!, $applicationId: ID!, $context: AccessContextInput) {\n    explainAccess(userId: $userId, applicationId: $applicationId, context: $context) {\n      allowed\n      summary\n      reasons {\n        policyId\n        effect\n        origin\n        description\n      }\n      diagnostics\n    }\n  }\n": types.ExplainAccessDocument,
    "\n  query Provisioning($instanceId: ID!) {\n    provisioning(instanceId: $instanceId) {\n      scimBaseUrl\n      tokens {\n        id\n        name\n        createdBy\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n    viewer {\n      id\n      superAdmin\n      adminOf\n    }\n  }\n": types.ProvisioningDocument,
    "\n  query ProvisioningChanges($instanceId: ID!, $first: Int!) {\n    auditEvents(instanceId: $instanceId, first: $first, filter: { actorKind: \"provisioning\" }) {\n      nodes {\n        id\n        actor {\n          kind\n          name\n        }\n        action\n        targetKind\n        targetId\n        summary\n        createdAt\n      }\n    }\n  }\n": types.ProvisioningChangesDocument,
    "\n  mutation CreateProvisioningToken($input: CreateProvisioningTokenInput!) {\n    createProvisioningToken(input: $input) {\n      secret\n      provisioningToken {\n        id\n        name\n      }\n    }\n  }\n": types.CreateProvisioningTokenDocument,
    "\n  mutation RevokeProvisioningToken($input: RevokeProvisioningTokenInput!) {\n    revokeProvisioningToken(input: $input) {\n      provisioningToken {\n        id\n        revokedAt\n      }\n    }\n  }\n": types.RevokeProvisioningTokenDocument,
    "\n  query MyFactors {\n    myFactors {\n      factors {\n        id\n        kind\n        name\n        createdAt\n        lastUsedAt\n      }\n      recoveryCodesLeft\n      sessionProvedFactor\n      mayChange\n      required\n    }\n  }\n": types.MyFactorsDocument,
    "\n  mutation BeginMyTotp {\n    beginMyTotp {\n      factorId\n      secret\n      otpauthUrl\n      qrCode\n    }\n  }\n": types.BeginMyTotpDocument,
    "\n  mutation ConfirmMyTotp($input: ConfirmMyTotpInput!) {\n    confirmMyTotp(input: $input) {\n      factor {\n        id\n      }\n      recoveryCodes\n    }\n  }\n": types.ConfirmMyTotpDocument,
    "\n  mutation BeginMyPasskey {\n    beginMyPasskey {\n      ceremony\n      options\n    }\n  }\n": types.BeginMyPasskeyDocument,
    "\n  mutation FinishMyPasskey($input: FinishMyPasskeyInput!) {\n    finishMyPasskey(input: $input) {\n      factor {\n        id\n      }\n      recoveryCodes\n    }\n  }\n": types.FinishMyPasskeyDocument,
    "\n  mutation RemoveMyFactor($id: ID!) {\n    removeMyFactor(input: { factorId: $id }) {\n      removedFactorId\n      recoveryCodesLeft\n    }\n  }\n": types.RemoveMyFactorDocument,
    "\n  mutation NewMyRecoveryCodes {\n    newMyRecoveryCodes {\n      recoveryCodes\n    }\n  }\n": types.NewMyRecoveryCodesDocument,
    "\n  query SigningKeys($instanceId: ID!) {\n    signingKeys(instanceId: $instanceId) {\n      id\n      algorithm\n      state\n      fingerprintSha256\n      notAfter\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n": types.SigningKeysDocument,
    "\n  mutation RotateSigningKey($input: RotateSigningKeyInput!) {\n    rotateSigningKey(input: $input) {\n      signingKey {\n        id\n      }\n    }\n  }\n": types.RotateSigningKeyDocument,
    "\n  mutation ActivateSigningKey($input: ActivateSigningKeyInput!) {\n    activateSigningKey(input: $input) {\n      signingKey {\n        id\n      }\n    }\n  }\n": types.ActivateSigningKeyDocument,
    "\n  query Users($instanceId: ID!, $after: String, $filter: UserFilter) {\n    instance(id: $instanceId) {\n      id\n      users(first: 20, after: $after, filter: $filter) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          username\n          displayName\n          email\n          status\n          groups {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.UsersDocument,
    "\n  query UsersCount($instanceId: ID!, $filter: UserFilter) {\n    instance(id: $instanceId) {\n      users(first: 1, filter: $filter) {\n        totalCount\n      }\n    }\n  }\n": types.UsersCountDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation ImportUsers($input: ImportUsersInput!) {\n    importUsers(input: $input) {\n      ok\n      importedCount\n      errors {\n        row\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ImportUsersDocument,
    "\n  query User($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      id\n      signInRules {\n        mfaRequired\n        allowedFactors\n      }\n      user(id: $id) {\n        id\n        username\n        displayName\n        email\n        phone\n        externalId\n        status\n        hasPassword\n        createdAt\n        updatedAt\n        groups {\n          id\n          name\n        }\n        orgUnits {\n          id\n          name\n        }\n        effectiveApplications {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.UserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation SetUserStatus($input: SetUserStatusInput!) {\n    setUserStatus(input: $input) {\n      user {\n        id\n        status\n      }\n    }\n  }\n": types.SetUserStatusDocument,
    "\n  mutation SetUserPassword($input: SetUserPasswordInput!) {\n    setUserPassword(input: $input) {\n      user {\n        id\n        hasPassword\n      }\n    }\n  }\n": types.SetUserPasswordDocument,
    "\n  mutation DeleteUser($input: UserRefInput!) {\n    deleteUser(input: $input) {\n      deletedId\n    }\n  }\n": types.DeleteUserDocument,
    "\n  mutation AddToGroup($input: MembersInput!) {\n    addGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.AddToGroupDocument,
    "\n  mutation RemoveFromGroup($input: MembersInput!) {\n    removeGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.RemoveFromGroupDocument,
    "\n  mutation AddToOrgUnit($input: MembersInput!) {\n    addOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": types.AddToOrgUnitDocument,
    "\n  mutation RemoveFromOrgUnit($input: MembersInput!) {\n    removeOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n": types.RemoveFromOrgUnitDocument,
    "\n  query UserSessions($instanceId: ID!, $userId: ID!) {\n    userSessions(instanceId: $instanceId, userId: $userId) {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      authMethods\n      clientIp\n      userAgent\n      applications {\n        applicationId\n        name\n        singleLogout\n      }\n    }\n  }\n": types.UserSessionsDocument,
    "\n  query UserFactors($instanceId: ID!, $userId: ID!) {\n    userFactors(instanceId: $instanceId, userId: $userId) {\n      factors {\n        id\n        kind\n        name\n        createdAt\n        lastUsedAt\n      }\n      recoveryCodesLeft\n    }\n  }\n": types.UserFactorsDocument,
    "\n  mutation ResetUserFactors($input: ResetUserFactorsInput!) {\n    resetUserFactors(input: $input) {\n      removedCount\n      sessionsEnded\n    }\n  }\n": types.ResetUserFactorsDocument,
    "\n  mutation RevokeSession($input: RevokeUserSessionInput!) {\n    revokeUserSession(input: $input) {\n      revokedCount\n    }\n  }\n": types.RevokeSessionDocument,
    "\n  mutation RevokeSessions($input: RevokeUserSessionsInput!) {\n    revokeUserSessions(input: $input) {\n      revokedCount\n    }\n  }\n": types.RevokeSessionsDocument,
    "\n  query PickUsers($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      id\n      users(first: 10, filter: { search: $search }) {\n        nodes {\n          id\n          username\n          displayName\n        }\n      }\n    }\n  }\n": types.PickUsersDocument,
    "\n  query PickGroups($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      id\n      groups(first: 10, search: $search) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.PickGroupsDocument,
    "\n  query PickOrgUnits($instanceId: ID!, $parentId: ID) {\n    instance(id: $instanceId) {\n      id\n      orgUnits(parentId: $parentId, first: 100) {\n        nodes {\n          id\n          name\n          depth\n        }\n      }\n    }\n  }\n": types.PickOrgUnitsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      name\n      kind\n      superAdmin\n      globalAuditor\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstanceName($id: ID!) {\n    instance(id: $id) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').InstanceNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestViewer {\n    viewer {\n      id\n    }\n  }\n"): typeof import('./graphql').TestViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestGroup($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      id\n      group(id: $id) {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').TestGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      group {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').TestCreateGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens($after: String) {\n    apiTokens(first: 20, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n        state\n        roles {\n          role\n          instanceId\n        }\n      }\n    }\n    instances(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').ApiTokensDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokensCount {\n    apiTokens(first: 1) {\n      totalCount\n    }\n  }\n"): typeof import('./graphql').ApiTokensCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').CreateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      token {\n        id\n        state\n      }\n    }\n  }\n"): typeof import('./graphql').RevokeApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Applications($instanceId: ID!, $after: String, $search: String) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          enabled\n          ssoEnabled\n          authorizationScope\n          missingSettings\n          template {\n            id\n            name\n            logo\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ApplicationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationsCount($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      applications(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n"): typeof import('./graphql').ApplicationsCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Marketplace($search: String) {\n    marketplace(search: $search) {\n      id\n      name\n      description\n      category\n      logo\n      protocol\n    }\n  }\n"): typeof import('./graphql').MarketplaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddApplication($input: AddApplicationInput!) {\n    addApplication(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').AddApplicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Application($id: ID!) {\n    application(id: $id) {\n      id\n      instanceId\n      name\n      enabled\n      ssoEnabled\n      initiation\n      params\n      accountMode\n      spEntityId\n      spEntityIdOverridden\n      acsUrl\n      acsUrlOverridden\n      nameIdSuffix\n      nameIdFormat\n      encryptAssertions\n      assertionEncryption\n      spEncryptionCertificatePem\n      singleLogout\n      sloUrl\n      sloResponseUrl\n      sloBinding\n      defaultRelayState\n      missingSettings\n      idpEntityId\n      idpSsoUrl\n      idpMetadataUrl\n      authorizationScope\n      template {\n        id\n        name\n        logo\n        protocol\n        params {\n          key\n          label\n          description\n          kind\n          required\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ApplicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfigureSso($input: ConfigureApplicationSsoInput!) {\n    configureApplicationSso(input: $input) {\n      application {\n        id\n        missingSettings\n      }\n    }\n  }\n"): typeof import('./graphql').ConfigureSsoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApplication($input: UpdateApplicationInput!) {\n    updateApplication(input: $input) {\n      application {\n        id\n        enabled\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateApplicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteApplication($id: ID!) {\n    deleteApplication(input: { id: $id }) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteApplicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationAuthorization($id: ID!, $after: String) {\n    application(id: $id) {\n      id\n      authorizationScope\n      accessGrants(first: 50, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          subjectKind\n          subjectId\n          subjectName\n          createdAt\n        }\n      }\n      effectiveUsers(first: 10) {\n        totalCountEstimate {\n          count\n          exact\n        }\n        nodes {\n          id\n          username\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ApplicationAuthorizationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessGrantsCount($id: ID!) {\n    application(id: $id) {\n      accessGrants(first: 1) {\n        totalCount\n      }\n    }\n  }\n"): typeof import('./graphql').AccessGrantsCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetScope($input: SetAuthorizationScopeInput!) {\n    setAuthorizationScope(input: $input) {\n      changed\n    }\n  }\n"): typeof import('./graphql').SetScopeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GrantAccess($input: ApplicationAccessInput!) {\n    grantApplicationAccess(input: $input) {\n      changed\n    }\n  }\n"): typeof import('./graphql').GrantAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeAccess($input: ApplicationAccessInput!) {\n    revokeApplicationAccess(input: $input) {\n      changed\n    }\n  }\n"): typeof import('./graphql').RevokeAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationAccounts($id: ID!, $after: String, $search: String) {\n    application(id: $id) {\n      id\n      accountMode\n      accounts(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          userId\n          accountName\n          updatedAt\n          user {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ApplicationAccountsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApplicationAccountsCount($id: ID!, $search: String) {\n    application(id: $id) {\n      accounts(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n"): typeof import('./graphql').ApplicationAccountsCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetApplicationAccount($input: SetApplicationAccountInput!) {\n    setApplicationAccount(input: $input) {\n      account {\n        id\n        accountName\n      }\n    }\n  }\n"): typeof import('./graphql').SetApplicationAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveApplicationAccount($input: RemoveApplicationAccountInput!) {\n    removeApplicationAccount(input: $input) {\n      removed\n    }\n  }\n"): typeof import('./graphql').RemoveApplicationAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NameIdFor($id: ID!, $userId: ID!) {\n    application(id: $id) {\n      id\n      nameIdFor(userId: $userId) {\n        nameId\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql').NameIdForDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($instanceId: ID, $after: String, $filter: AuditEventFilter) {\n    auditEvents(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        actor {\n          kind\n          id\n          name\n        }\n        action\n        targetKind\n        targetId\n        outcome\n        summary\n        clientIp\n        createdAt\n      }\n    }\n  }\n"): typeof import('./graphql').AuditEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEventsCount($instanceId: ID, $filter: AuditEventFilter) {\n    auditEvents(instanceId: $instanceId, first: 1, filter: $filter) {\n      totalCount\n    }\n  }\n"): typeof import('./graphql').AuditEventsCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditApplications($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AuditApplicationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Deliveries($instanceId: ID!, $after: String, $filter: DeliveryFilterInput) {\n    deliveries(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        topic\n        recipient\n        status\n        attempts\n        lastError\n        nextAttemptAt\n        createdAt\n        deliveredAt\n      }\n    }\n  }\n"): typeof import('./graphql').DeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeliveriesCount($instanceId: ID!, $filter: DeliveryFilterInput) {\n    deliveries(instanceId: $instanceId, first: 1, filter: $filter) {\n      totalCount\n    }\n  }\n"): typeof import('./graphql').DeliveriesCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeliveryLog($instanceId: ID!, $id: ID!) {\n    delivery(instanceId: $instanceId, id: $id) {\n      id\n      log {\n        attempt\n        startedAt\n        durationMs\n        delivered\n        statusCode\n        error\n      }\n    }\n  }\n"): typeof import('./graphql').DeliveryLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Redeliver($input: RedeliverInput!) {\n    redeliver(input: $input) {\n      delivery {\n        id\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').RedeliverDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventSubscriptions($instanceId: ID!) {\n    eventSubscriptions(instanceId: $instanceId) {\n      id\n      url\n      eventTypes\n      description\n      enabled\n      createdAt\n    }\n  }\n"): typeof import('./graphql').EventSubscriptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEventSubscription($input: CreateEventSubscriptionInput!) {\n    createEventSubscription(input: $input) {\n      eventSubscription {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').CreateEventSubscriptionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateEventSubscription($input: UpdateEventSubscriptionInput!) {\n    updateEventSubscription(input: $input) {\n      eventSubscription {\n        id\n        enabled\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateEventSubscriptionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteEventSubscription($input: EventSubscriptionRefInput!) {\n    deleteEventSubscription(input: $input) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteEventSubscriptionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PingEventSubscription($input: EventSubscriptionRefInput!) {\n    pingEventSubscription(input: $input) {\n      delivery {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').PingEventSubscriptionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Groups($instanceId: ID!, $after: String, $search: String) {\n    instance(id: $instanceId) {\n      id\n      groups(first: 20, after: $after, search: $search) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          description\n          members(first: 1) {\n            totalCountEstimate {\n              count\n              exact\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').GroupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GroupsCount($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      groups(first: 1, search: $search) {\n        totalCount\n      }\n    }\n  }\n"): typeof import('./graphql').GroupsCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      group {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').CreateGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Group($instanceId: ID!, $id: ID!, $after: String) {\n    instance(id: $instanceId) {\n      id\n      group(id: $id) {\n        id\n        name\n        description\n        members(first: 20, after: $after) {\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          nodes {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').GroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GroupMembersCount($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      group(id: $id) {\n        members(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').GroupMembersCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateGroup($input: UpdateGroupInput!) {\n    updateGroup(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteGroup($input: ObjectRefInput!) {\n    deleteGroup(input: $input) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddGroupMembers($input: MembersInput!) {\n    addGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').AddGroupMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveGroupMembers($input: MembersInput!) {\n    removeGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RemoveGroupMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Instances($after: String) {\n    instances(first: 20, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        description\n        signInRules {\n          mfaRequired\n          allowedFactors\n          passkeySignIn\n          passkeyUserVerification\n        }\n        createdAt\n      }\n    }\n  }\n"): typeof import('./graphql').InstancesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstancesCount {\n    instances(first: 1) {\n      totalCount\n    }\n  }\n"): typeof import('./graphql').InstancesCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInstance($input: CreateInstanceInput!) {\n    createInstance(input: $input) {\n      instance {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').CreateInstanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateInstance($input: UpdateInstanceInput!) {\n    updateInstance(input: $input) {\n      instance {\n        id\n        name\n        description\n        signInRules {\n          mfaRequired\n          allowedFactors\n          passkeySignIn\n          passkeyUserVerification\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateInstanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteInstance($id: ID!) {\n    deleteInstance(input: { id: $id }) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteInstanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OidcClient($id: ID!) {\n    application(id: $id) {\n      id\n      oidc {\n        clientId\n        issuer\n        discoveryUrl\n        clientType\n        authMethod\n        redirectUris\n        postLogoutRedirectUris\n        initiateLoginUri\n        scopes\n        claims {\n          name\n          source\n          values\n        }\n        jwks\n        assertionAlgorithm\n        idTokenLifetimeSeconds\n        accessTokenLifetimeSeconds\n        refreshTokenLifetimeSeconds\n        secrets {\n          id\n          hint\n          createdAt\n          expiresAt\n        }\n        missingSettings\n      }\n    }\n    viewer {\n      id\n      superAdmin\n      adminOf\n    }\n  }\n"): typeof import('./graphql').OidcClientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfigureOidc($input: ConfigureApplicationOidcInput!) {\n    configureApplicationOidc(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').ConfigureOidcDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateOidcSecret($input: RotateOidcClientSecretInput!) {\n    rotateOidcClientSecret(input: $input) {\n      secret\n      application {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RotateOidcSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeOidcSecret($input: RevokeOidcClientSecretInput!) {\n    revokeOidcClientSecret(input: $input) {\n      application {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RevokeOidcSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrgUnits($instanceId: ID!, $parentId: ID, $after: String) {\n    instance(id: $instanceId) {\n      id\n      orgUnits(parentId: $parentId, first: 50, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          children(first: 1) {\n            totalCount\n          }\n          members(first: 1) {\n            totalCountEstimate {\n              count\n              exact\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').OrgUnitsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrgUnitMembers($instanceId: ID!, $id: ID!, $after: String) {\n    instance(id: $instanceId) {\n      id\n      orgUnit(id: $id) {\n        id\n        members(first: 20, after: $after, includeSubUnits: false) {\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          nodes {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').OrgUnitMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrgUnitsCount($instanceId: ID!, $parentId: ID) {\n    instance(id: $instanceId) {\n      orgUnits(parentId: $parentId, first: 1) {\n        totalCount\n      }\n    }\n  }\n"): typeof import('./graphql').OrgUnitsCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrgUnitMembersCount($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      orgUnit(id: $id) {\n        members(first: 1, includeSubUnits: false) {\n          totalCount\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').OrgUnitMembersCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').CreateOrgUnitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameOrgUnit($input: RenameOrgUnitInput!) {\n    renameOrgUnit(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RenameOrgUnitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveOrgUnit($input: MoveOrgUnitInput!) {\n    moveOrgUnit(input: $input) {\n      orgUnit {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').MoveOrgUnitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteOrgUnit($input: ObjectRefInput!) {\n    deleteOrgUnit(input: $input) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteOrgUnitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddOrgUnitMembers($input: MembersInput!) {\n    addOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').AddOrgUnitMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveOrgUnitMembers($input: MembersInput!) {\n    removeOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RemoveOrgUnitMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstanceActivity($instanceId: ID!, $range: ActivityRange!) {\n    instanceActivity(instanceId: $instanceId, range: $range) {\n      from\n      bucketSeconds\n      buckets {\n        start\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      applications {\n        applicationId\n        name\n        allowed\n        denied\n      }\n      refusalReasons {\n        reason\n        count\n      }\n    }\n  }\n"): typeof import('./graphql').InstanceActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstanceAttention($instanceId: ID!) {\n    signingKeys(instanceId: $instanceId) {\n      id\n      state\n      algorithm\n      notAfter\n    }\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n          spCertificateNotAfter\n          spEncryptionCertificateNotAfter\n        }\n      }\n    }\n    pendingEmails: deliveries(\n      instanceId: $instanceId\n      first: 1\n      filter: { kind: EMAIL, status: PENDING }\n    ) {\n      totalCount\n    }\n    failedDeliveries: deliveries(\n      instanceId: $instanceId\n      first: 1\n      filter: { kind: EVENT, status: DEAD }\n    ) {\n      totalCount\n    }\n  }\n"): typeof import('./graphql').InstanceAttentionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlatformActivity($range: ActivityRange!) {\n    platformActivity(range: $range) {\n      from\n      bucketSeconds\n      buckets {\n        start\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      instances {\n        instanceId\n        name\n        signIns\n        failedSignIns\n        lockouts\n        ssoAllowed\n        ssoDenied\n      }\n      refusalReasons {\n        reason\n        count\n      }\n    }\n  }\n"): typeof import('./graphql').PlatformActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessPolicies($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      accessPolicies {\n        id\n        policyId\n        name\n        description\n        source\n        enabled\n        updatedAt\n      }\n    }\n  }\n"): typeof import('./graphql').AccessPoliciesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValidatePolicy($instanceId: ID!, $source: String!) {\n    validateAccessPolicy(instanceId: $instanceId, source: $source) {\n      valid\n      problems {\n        message\n        line\n        column\n      }\n    }\n  }\n"): typeof import('./graphql').ValidatePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessSimulation($input: SimulateAccessChangeInput!) {\n    simulateAccessChange(input: $input) {\n      evaluatedPairs\n      gained\n      lost\n      changes(first: 20) {\n        totalCount\n        nodes {\n          gainsAccess\n          user {\n            id\n            username\n          }\n          application {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AccessSimulationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccessPolicy($input: CreateAccessPolicyInput!) {\n    createAccessPolicy(input: $input) {\n      accessPolicy {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').CreateAccessPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAccessPolicy($input: UpdateAccessPolicyInput!) {\n    updateAccessPolicy(input: $input) {\n      accessPolicy {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateAccessPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccessPolicy($id: ID!) {\n    deleteAccessPolicy(input: { id: $id }) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteAccessPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppsForExplain($instanceId: ID!) {\n    instance(id: $instanceId) {\n      id\n      applications(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AppsForExplainDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplainAccess($userId: ID!, $applicationId: ID!, $context: AccessContextInput) {\n    explainAccess(userId: $userId, applicationId: $applicationId, context: $context) {\n      allowed\n      summary\n      reasons {\n        policyId\n        effect\n        origin\n        description\n      }\n      diagnostics\n    }\n  }\n"): typeof import('./graphql').ExplainAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Provisioning($instanceId: ID!) {\n    provisioning(instanceId: $instanceId) {\n      scimBaseUrl\n      tokens {\n        id\n        name\n        createdBy\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n    viewer {\n      id\n      superAdmin\n      adminOf\n    }\n  }\n"): typeof import('./graphql').ProvisioningDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProvisioningChanges($instanceId: ID!, $first: Int!) {\n    auditEvents(instanceId: $instanceId, first: $first, filter: { actorKind: \"provisioning\" }) {\n      nodes {\n        id\n        actor {\n          kind\n          name\n        }\n        action\n        targetKind\n        targetId\n        summary\n        createdAt\n      }\n    }\n  }\n"): typeof import('./graphql').ProvisioningChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProvisioningToken($input: CreateProvisioningTokenInput!) {\n    createProvisioningToken(input: $input) {\n      secret\n      provisioningToken {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').CreateProvisioningTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeProvisioningToken($input: RevokeProvisioningTokenInput!) {\n    revokeProvisioningToken(input: $input) {\n      provisioningToken {\n        id\n        revokedAt\n      }\n    }\n  }\n"): typeof import('./graphql').RevokeProvisioningTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyFactors {\n    myFactors {\n      factors {\n        id\n        kind\n        name\n        createdAt\n        lastUsedAt\n      }\n      recoveryCodesLeft\n      sessionProvedFactor\n      mayChange\n      required\n    }\n  }\n"): typeof import('./graphql').MyFactorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginMyTotp {\n    beginMyTotp {\n      factorId\n      secret\n      otpauthUrl\n      qrCode\n    }\n  }\n"): typeof import('./graphql').BeginMyTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmMyTotp($input: ConfirmMyTotpInput!) {\n    confirmMyTotp(input: $input) {\n      factor {\n        id\n      }\n      recoveryCodes\n    }\n  }\n"): typeof import('./graphql').ConfirmMyTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginMyPasskey {\n    beginMyPasskey {\n      ceremony\n      options\n    }\n  }\n"): typeof import('./graphql').BeginMyPasskeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishMyPasskey($input: FinishMyPasskeyInput!) {\n    finishMyPasskey(input: $input) {\n      factor {\n        id\n      }\n      recoveryCodes\n    }\n  }\n"): typeof import('./graphql').FinishMyPasskeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMyFactor($id: ID!) {\n    removeMyFactor(input: { factorId: $id }) {\n      removedFactorId\n      recoveryCodesLeft\n    }\n  }\n"): typeof import('./graphql').RemoveMyFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NewMyRecoveryCodes {\n    newMyRecoveryCodes {\n      recoveryCodes\n    }\n  }\n"): typeof import('./graphql').NewMyRecoveryCodesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SigningKeys($instanceId: ID!) {\n    signingKeys(instanceId: $instanceId) {\n      id\n      algorithm\n      state\n      fingerprintSha256\n      notAfter\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n"): typeof import('./graphql').SigningKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateSigningKey($input: RotateSigningKeyInput!) {\n    rotateSigningKey(input: $input) {\n      signingKey {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RotateSigningKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateSigningKey($input: ActivateSigningKeyInput!) {\n    activateSigningKey(input: $input) {\n      signingKey {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').ActivateSigningKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($instanceId: ID!, $after: String, $filter: UserFilter) {\n    instance(id: $instanceId) {\n      id\n      users(first: 20, after: $after, filter: $filter) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          username\n          displayName\n          email\n          status\n          groups {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersCount($instanceId: ID!, $filter: UserFilter) {\n    instance(id: $instanceId) {\n      users(first: 1, filter: $filter) {\n        totalCount\n      }\n    }\n  }\n"): typeof import('./graphql').UsersCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').CreateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportUsers($input: ImportUsersInput!) {\n    importUsers(input: $input) {\n      ok\n      importedCount\n      errors {\n        row\n        field\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').ImportUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query User($instanceId: ID!, $id: ID!) {\n    instance(id: $instanceId) {\n      id\n      signInRules {\n        mfaRequired\n        allowedFactors\n      }\n      user(id: $id) {\n        id\n        username\n        displayName\n        email\n        phone\n        externalId\n        status\n        hasPassword\n        createdAt\n        updatedAt\n        groups {\n          id\n          name\n        }\n        orgUnits {\n          id\n          name\n        }\n        effectiveApplications {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').UserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserStatus($input: SetUserStatusInput!) {\n    setUserStatus(input: $input) {\n      user {\n        id\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').SetUserStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserPassword($input: SetUserPasswordInput!) {\n    setUserPassword(input: $input) {\n      user {\n        id\n        hasPassword\n      }\n    }\n  }\n"): typeof import('./graphql').SetUserPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteUser($input: UserRefInput!) {\n    deleteUser(input: $input) {\n      deletedId\n    }\n  }\n"): typeof import('./graphql').DeleteUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToGroup($input: MembersInput!) {\n    addGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').AddToGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromGroup($input: MembersInput!) {\n    removeGroupMembers(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RemoveFromGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToOrgUnit($input: MembersInput!) {\n    addOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').AddToOrgUnitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromOrgUnit($input: MembersInput!) {\n    removeOrgUnitMembers(input: $input) {\n      orgUnit {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RemoveFromOrgUnitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserSessions($instanceId: ID!, $userId: ID!) {\n    userSessions(instanceId: $instanceId, userId: $userId) {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      authMethods\n      clientIp\n      userAgent\n      applications {\n        applicationId\n        name\n        singleLogout\n      }\n    }\n  }\n"): typeof import('./graphql').UserSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserFactors($instanceId: ID!, $userId: ID!) {\n    userFactors(instanceId: $instanceId, userId: $userId) {\n      factors {\n        id\n        kind\n        name\n        createdAt\n        lastUsedAt\n      }\n      recoveryCodesLeft\n    }\n  }\n"): typeof import('./graphql').UserFactorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetUserFactors($input: ResetUserFactorsInput!) {\n    resetUserFactors(input: $input) {\n      removedCount\n      sessionsEnded\n    }\n  }\n"): typeof import('./graphql').ResetUserFactorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($input: RevokeUserSessionInput!) {\n    revokeUserSession(input: $input) {\n      revokedCount\n    }\n  }\n"): typeof import('./graphql').RevokeSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSessions($input: RevokeUserSessionsInput!) {\n    revokeUserSessions(input: $input) {\n      revokedCount\n    }\n  }\n"): typeof import('./graphql').RevokeSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickUsers($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      id\n      users(first: 10, filter: { search: $search }) {\n        nodes {\n          id\n          username\n          displayName\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PickUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickGroups($instanceId: ID!, $search: String) {\n    instance(id: $instanceId) {\n      id\n      groups(first: 10, search: $search) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PickGroupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickOrgUnits($instanceId: ID!, $parentId: ID) {\n    instance(id: $instanceId) {\n      id\n      orgUnits(parentId: $parentId, first: 100) {\n        nodes {\n          id\n          name\n          depth\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PickOrgUnitsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
