//! GraphQL of the directory: instances, users, groups, org units. Every resolver starts with
//! the Cedar check of its action; the domain functions in `crate::directory` do the work.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{group, instance, org_unit, user};

use super::connection::{Page, PageArgs};
use super::gate;
use super::loaders::{GroupsOfUser, Loaders, OrgUnitById, OrgUnitsOfUser};
use super::{principal, state};
use crate::authz::admin::{actions, check_instance, check_platform, InstancePermit};
use crate::directory::{groups, instances, org_units, user_list, users};

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::user::UserStatus")]
pub enum UserStatus {
    Active,
    Disabled,
    Locked,
}

/// Whether employees give a second factor at every sign-in (the older, coarser form of
/// `SignInRules.mfaRequired`).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// Only where a policy or an application asks for one.
    None,
    /// At every sign-in (as input: also allows the emailed code).
    EmailCode,
}

/// Who must give a second factor to sign in.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::instance::MfaRequired")]
pub enum MfaRequired {
    /// Only where an access policy or an application's request asks for one: the employee is
    /// then asked for it (step-up) instead of being refused.
    WhenAsked,
    /// Every employee at every sign-in. Employees without a factor of their own get an emailed
    /// code when that is allowed, else enrol an authenticator app at sign-in.
    Everyone,
}

/// Whether a passkey or security key must verify the employee (a PIN or biometrics).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::instance::PasskeyUserVerification")]
pub enum PasskeyUserVerification {
    /// Asked for where the authenticator can: a security key without a PIN still serves as a
    /// second factor (`security_key`). Signing in without a password always needs it.
    Preferred,
    /// At every registration and every use: keys that cannot verify her are refused.
    Required,
}

/// A kind of second factor an instance can allow.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SecondFactorKind {
    /// A six-digit code emailed at sign-in (valid 10 minutes, 5 tries).
    EmailCode,
    /// An authenticator app's codes (RFC 6238).
    Totp,
    /// A passkey or security key (WebAuthn).
    Passkey,
}

impl SecondFactorKind {
    fn name(self) -> &'static str {
        match self {
            SecondFactorKind::EmailCode => "email_code",
            SecondFactorKind::Totp => "totp",
            SecondFactorKind::Passkey => "passkey",
        }
    }

    fn of(name: &str) -> Option<SecondFactorKind> {
        [
            SecondFactorKind::EmailCode,
            SecondFactorKind::Totp,
            SecondFactorKind::Passkey,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// How employees sign in to an instance.
#[derive(SimpleObject)]
pub struct SignInRules {
    mfa_required: MfaRequired,
    /// The second factors employees may use and enrol.
    allowed_factors: Vec<SecondFactorKind>,
    /// Whether an employee may sign in with a passkey alone, without her password.
    passkey_sign_in: bool,
    /// Whether passkeys must verify her (PIN or biometrics) at registration and every use.
    passkey_user_verification: PasskeyUserVerification,
}

/// Changes to an instance's sign-in rules; an omitted field keeps its setting.
#[derive(InputObject, Default)]
pub struct SignInRulesInput {
    mfa_required: Option<MfaRequired>,
    allowed_factors: Option<Vec<SecondFactorKind>>,
    passkey_sign_in: Option<bool>,
    passkey_user_verification: Option<PasskeyUserVerification>,
}

/// The rules' changes an input asks for: `signInRules`, and the older `secondFactor`.
fn rules_input(
    rules: Option<SignInRulesInput>,
    second_factor: Option<SecondFactor>,
) -> instances::RulesInput {
    let rules = rules.unwrap_or_default();
    let mut input = instances::RulesInput {
        mfa_required: rules.mfa_required.map(Into::into),
        allowed_factors: rules
            .allowed_factors
            .map(|list| list.into_iter().map(|k| k.name().to_owned()).collect()),
        passkey_sign_in: rules.passkey_sign_in,
        passkey_user_verification: rules.passkey_user_verification.map(Into::into),
    };
    match second_factor {
        Some(SecondFactor::EmailCode) => {
            input.mfa_required = Some(entity::instance::MfaRequired::Everyone);
            let allowed = input.allowed_factors.get_or_insert_with(|| {
                entity::instance::FACTORS
                    .iter()
                    .map(|f| (*f).to_owned())
                    .collect()
            });
            if !allowed.iter().any(|f| f == "email_code") {
                allowed.push("email_code".into());
            }
        }
        Some(SecondFactor::None) => {
            input.mfa_required = Some(entity::instance::MfaRequired::WhenAsked);
        }
        None => {}
    }
    input
}

/// A tenant: its own users, groups, org units (and later applications and keys).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Instance {
    id: ID,
    name: String,
    description: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// Whether a second factor is required at every sign-in.
    #[graphql(deprecation = "use signInRules.mfaRequired")]
    second_factor: SecondFactor,
    /// How employees sign in: who gives a second factor, which factors are allowed.
    sign_in_rules: SignInRules,
}

impl From<instance::Model> for Instance {
    fn from(m: instance::Model) -> Self {
        Instance {
            id: ID(m.id),
            name: m.name,
            description: m.description,
            created_at: m.created_at,
            updated_at: m.updated_at,
            second_factor: match m.mfa_required {
                entity::instance::MfaRequired::Everyone => SecondFactor::EmailCode,
                entity::instance::MfaRequired::WhenAsked => SecondFactor::None,
            },
            sign_in_rules: SignInRules {
                mfa_required: m.mfa_required.into(),
                allowed_factors: m
                    .allowed_factors
                    .split(',')
                    .filter_map(SecondFactorKind::of)
                    .collect(),
                passkey_sign_in: m.passkey_sign_in,
                passkey_user_verification: m.passkey_user_verification.into(),
            },
        }
    }
}

#[ComplexObject]
impl Instance {
    /// Users ordered by username (a `filter.search` orders as it says). Action: `readDirectory`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<UserFilter>,
    ) -> Result<Page<User>> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.id)?;
        let page = PageArgs::parse(first, after)?;
        let filter = filter
            .map(UserFilter::into_domain)
            .unwrap_or_else(|| user_list::UserFilter {
                include_sub_units: true,
                ..Default::default()
            });
        users_page(ctx, &permit, &filter, page).await
    }

    /// One user by id. Action: `readDirectory`.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.id)?;
        Ok(User::from(
            users::get(&state(ctx)?.directory, &permit, &id).await?,
        ))
    }

    /// Groups ordered by name; `search` is a name prefix. Action: `readDirectory`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn groups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> Result<Page<Group>> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.id)?;
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = groups::list(
            &state(ctx)?.directory,
            &permit,
            search.as_deref(),
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |g| g.name.clone(), Group::from))
    }

    /// One group by id. Action: `readDirectory`.
    async fn group(&self, ctx: &Context<'_>, id: ID) -> Result<Group> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.id)?;
        Ok(Group::from(
            groups::get(&state(ctx)?.directory, &permit, &id).await?,
        ))
    }

    /// The children of `parentId`, or the roots of the tree without it. Action: `readDirectory`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn org_units(
        &self,
        ctx: &Context<'_>,
        parent_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<OrgUnit>> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.id)?;
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = org_units::children(
            &state(ctx)?.directory,
            &permit,
            parent_id.as_ref().map(|id| id.as_str()),
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |u| u.id.clone(), OrgUnit::from))
    }

    /// One org unit by id. Action: `readDirectory`.
    async fn org_unit(&self, ctx: &Context<'_>, id: ID) -> Result<OrgUnit> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.id)?;
        Ok(OrgUnit::from(
            org_units::get(&state(ctx)?.directory, &permit, &id).await?,
        ))
    }

    /// The instance's applications, oldest first; `search` is a name prefix.
    /// Action: `readApplications`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> Result<Page<super::apps::Application>> {
        super::apps::instance_applications(ctx, &self.id, first, after, search).await
    }

    /// The instance's own Cedar access policies, by name. Action: `readAccessPolicies`.
    async fn access_policies(&self, ctx: &Context<'_>) -> Result<Vec<super::access::AccessPolicy>> {
        super::access::instance_policies(ctx, &self.id).await
    }
}

/// A page of users, with the nested fields the query asks for loaded in one batch each: one
/// query per field whatever the page size.
async fn users_page(
    ctx: &Context<'_>,
    permit: &InstancePermit<actions::ReadDirectory>,
    filter: &user_list::UserFilter,
    page: PageArgs,
) -> Result<Page<User>> {
    let (rows, total) = user_list::list(
        &state(ctx)?.directory,
        permit,
        filter,
        page.after.as_deref(),
        page.fetch(),
    )
    .await?;
    let node = ctx.look_ahead().field("edges").field("node");
    let loader = ctx.data::<Loaders>()?;
    if node.field("groups").exists() {
        loader
            .load_many(
                rows.iter()
                    .map(|(_, u)| GroupsOfUser(u.instance_id.clone(), u.id.clone())),
            )
            .await?;
    }
    let units = node.field("orgUnits");
    if units.exists() {
        let loaded = loader
            .load_many(
                rows.iter()
                    .map(|(_, u)| OrgUnitsOfUser(u.instance_id.clone(), u.id.clone())),
            )
            .await?;
        if units.field("parent").exists() {
            let parents = loaded.values().flatten().filter_map(|unit| {
                let parent = unit.parent_id.clone()?;
                Some(OrgUnitById(unit.instance_id.clone(), parent))
            });
            loader.load_many(parents).await?;
        }
    }
    Ok(page.connection(
        rows,
        total,
        |(cursor, _)| cursor.clone(),
        |(_, u)| User::from(u),
    ))
}

#[derive(InputObject, Default)]
pub struct UserFilter {
    /// A prefix of the username or email, any case (at most 254 characters). Username
    /// matches come first, by username in lower case, then users matched by email alone, by
    /// email; each page is one index range, however many users the instance has.
    search: Option<String>,
    /// Exactly this username (case-sensitive, as sign-in matches it).
    username: Option<String>,
    /// Exactly this external id.
    external_id: Option<String>,
    status: Option<UserStatus>,
    /// Members of this group.
    group_id: Option<ID>,
    /// Members of this org unit…
    org_unit_id: Option<ID>,
    /// …and of its sub-units (the default).
    #[graphql(default = true)]
    include_sub_units: bool,
}

impl UserFilter {
    fn into_domain(self) -> user_list::UserFilter {
        user_list::UserFilter {
            search: self.search,
            username: self.username,
            external_id: self.external_id,
            status: self.status.map(Into::into),
            group_id: self.group_id.map(|id| id.0),
            org_unit_id: self.org_unit_id.map(|id| id.0),
            include_sub_units: self.include_sub_units,
        }
    }
}

/// An account of an instance. Its password is never readable.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct User {
    id: ID,
    instance_id: ID,
    username: String,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    status: UserStatus,
    /// Whether a password is set (the password itself is never readable).
    has_password: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[graphql(skip)]
    model: user::Model,
}

impl From<user::Model> for User {
    fn from(m: user::Model) -> Self {
        User {
            id: ID(m.id.clone()),
            instance_id: ID(m.instance_id.clone()),
            username: m.username.clone(),
            display_name: m.display_name.clone(),
            email: m.email.clone(),
            phone: m.phone.clone(),
            external_id: m.external_id.clone(),
            status: m.status.into(),
            has_password: m.password_hash.is_some(),
            created_at: m.created_at,
            updated_at: m.updated_at,
            model: m,
        }
    }
}

#[ComplexObject]
impl User {
    /// The applications this user's authorization scopes let in (enabled, SSO on), by name.
    /// Action: `readApplications`.
    async fn effective_applications(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::apps::Application>> {
        super::access::effective_applications(ctx, &self.model).await
    }

    /// The groups the user is in. Action: `readDirectory`.
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        gate::instance(ctx, actions::ReadDirectory, &self.model.instance_id)?;
        let loader = ctx.data::<Loaders>()?;
        let groups = loader
            .load_one(GroupsOfUser(
                self.model.instance_id.clone(),
                self.model.id.clone(),
            ))
            .await?;
        Ok(groups
            .unwrap_or_default()
            .into_iter()
            .map(Group::from)
            .collect())
    }

    /// The org units the user is a direct member of. Action: `readDirectory`.
    async fn org_units(&self, ctx: &Context<'_>) -> Result<Vec<OrgUnit>> {
        gate::instance(ctx, actions::ReadDirectory, &self.model.instance_id)?;
        let loader = ctx.data::<Loaders>()?;
        let units = loader
            .load_one(OrgUnitsOfUser(
                self.model.instance_id.clone(),
                self.model.id.clone(),
            ))
            .await?;
        Ok(units
            .unwrap_or_default()
            .into_iter()
            .map(OrgUnit::from)
            .collect())
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Group {
    id: ID,
    name: String,
    description: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[graphql(skip)]
    instance_id: String,
}

impl From<group::Model> for Group {
    fn from(m: group::Model) -> Self {
        Group {
            id: ID(m.id),
            name: m.name,
            description: m.description,
            created_at: m.created_at,
            updated_at: m.updated_at,
            instance_id: m.instance_id,
        }
    }
}

#[ComplexObject]
impl Group {
    /// The group's members, ordered by username. Action: `readDirectory`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> Result<Page<User>> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.instance_id)?;
        let page = PageArgs::parse(first, after)?;
        let filter = user_list::UserFilter {
            search,
            group_id: Some(self.id.to_string()),
            ..Default::default()
        };
        users_page(ctx, &permit, &filter, page).await
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct OrgUnit {
    id: ID,
    name: String,
    parent_id: Option<ID>,
    /// How deep in the tree: 1 for a root.
    depth: usize,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[graphql(skip)]
    model: org_unit::Model,
}

impl From<org_unit::Model> for OrgUnit {
    fn from(m: org_unit::Model) -> Self {
        OrgUnit {
            id: ID(m.id.clone()),
            name: m.name.clone(),
            parent_id: m.parent_id.clone().map(ID),
            depth: org_units::depth(&m.path),
            created_at: m.created_at,
            updated_at: m.updated_at,
            model: m,
        }
    }
}

#[ComplexObject]
impl OrgUnit {
    /// The parent unit. Action: `readDirectory`.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<OrgUnit>> {
        gate::instance(ctx, actions::ReadDirectory, &self.model.instance_id)?;
        let Some(parent_id) = &self.model.parent_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loaders>()?;
        Ok(loader
            .load_one(OrgUnitById(
                self.model.instance_id.clone(),
                parent_id.clone(),
            ))
            .await?
            .map(OrgUnit::from))
    }

    /// The units from the root down to this one's parent. Action: `readDirectory`.
    async fn ancestors(&self, ctx: &Context<'_>) -> Result<Vec<OrgUnit>> {
        gate::instance(ctx, actions::ReadDirectory, &self.model.instance_id)?;
        let mut ids = org_units::lineage(&self.model.path);
        ids.pop();
        let loader = ctx.data::<Loaders>()?;
        let found = loader
            .load_many(
                ids.iter()
                    .map(|id| OrgUnitById(self.model.instance_id.clone(), id.clone())),
            )
            .await?;
        Ok(ids
            .into_iter()
            .filter_map(|id| {
                found
                    .get(&OrgUnitById(self.model.instance_id.clone(), id))
                    .cloned()
                    .map(OrgUnit::from)
            })
            .collect())
    }

    /// Direct sub-units. Action: `readDirectory`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<OrgUnit>> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.model.instance_id)?;
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = org_units::children(
            &state(ctx)?.directory,
            &permit,
            Some(&self.model.id),
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |u| u.id.clone(), OrgUnit::from))
    }

    /// Members of this unit, and of its sub-units unless `includeSubUnits` is false.
    /// Action: `readDirectory`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = true)] include_sub_units: bool,
    ) -> Result<Page<User>> {
        let permit = gate::instance(ctx, actions::ReadDirectory, &self.model.instance_id)?;
        let page = PageArgs::parse(first, after)?;
        let filter = user_list::UserFilter {
            org_unit_id: Some(self.model.id.clone()),
            include_sub_units,
            ..Default::default()
        };
        users_page(ctx, &permit, &filter, page).await
    }
}

#[derive(Default)]
pub struct DirectoryQuery;

#[Object]
impl DirectoryQuery {
    /// The instances the caller may read, by id. Action: `readInstance` on each
    /// (`listAllInstances` to see them all).
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn instances(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Instance>> {
        let state = state(ctx)?;
        let caller = principal(ctx).ok_or(crate::error::AppError::Unauthenticated)?;
        let page = PageArgs::parse(first, after)?;
        let all = check_platform(&state.policies, Some(caller), actions::ListAllInstances).ok();
        let readable: Vec<_> = caller
            .admin_of
            .iter()
            .chain(&caller.auditor_of)
            .filter_map(|id| {
                check_instance(&state.policies, Some(caller), actions::ReadInstance, id).ok()
            })
            .collect();
        let listing = match &all {
            Some(permit) => instances::Listing::All(permit),
            None => instances::Listing::Only(&readable),
        };
        let (rows, total) = instances::list(
            &state.directory,
            listing,
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |i| i.id.clone(), Instance::from))
    }

    /// One instance. Action: `readInstance`.
    async fn instance(&self, ctx: &Context<'_>, id: ID) -> Result<Instance> {
        let permit = gate::instance(ctx, actions::ReadInstance, &id)?;
        Ok(Instance::from(
            instances::get(&state(ctx)?.directory, &permit).await?,
        ))
    }
}

#[derive(InputObject)]
pub struct CreateInstanceInput {
    name: String,
    description: Option<String>,
    /// The older form of `signInRules.mfaRequired`; `EMAIL_CODE` also allows emailed codes.
    second_factor: Option<SecondFactor>,
    /// Unless given: a second factor when asked, every factor allowed, passkey sign-in on.
    sign_in_rules: Option<SignInRulesInput>,
}

#[derive(InputObject)]
pub struct UpdateInstanceInput {
    id: ID,
    name: String,
    description: Option<String>,
    /// Unchanged unless given; the older form of `signInRules.mfaRequired`.
    second_factor: Option<SecondFactor>,
    /// Unchanged unless given.
    sign_in_rules: Option<SignInRulesInput>,
}

#[derive(InputObject)]
pub struct DeleteInput {
    id: ID,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    instance_id: ID,
    username: String,
    display_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    /// Optional initial password (8 to 256 characters).
    password: Option<String>,
    #[graphql(default)]
    group_ids: Vec<ID>,
    #[graphql(default)]
    org_unit_ids: Vec<ID>,
}

impl CreateUserInput {
    fn into_domain(self) -> (String, users::NewUser) {
        (
            self.instance_id.0,
            users::NewUser {
                username: self.username,
                display_name: self.display_name,
                email: self.email,
                phone: self.phone,
                external_id: self.external_id,
                password: self.password,
                group_ids: self.group_ids.into_iter().map(|id| id.0).collect(),
                org_unit_ids: self.org_unit_ids.into_iter().map(|id| id.0).collect(),
                ..users::NewUser::default()
            },
        )
    }
}

/// One row of an import; the same fields as `createUser`.
#[derive(InputObject)]
pub struct ImportUserRow {
    username: String,
    display_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    password: Option<String>,
    #[graphql(default)]
    group_ids: Vec<ID>,
    #[graphql(default)]
    org_unit_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct ImportUsersInput {
    instance_id: ID,
    /// 1 to 1000 rows. All are created, or none.
    users: Vec<ImportUserRow>,
}

#[derive(InputObject)]
pub struct UpdateUserInput {
    id: ID,
    instance_id: ID,
    username: Option<String>,
    display_name: Option<String>,
    /// An empty string removes the email.
    email: Option<String>,
    /// An empty string removes the phone number.
    phone: Option<String>,
    /// An empty string removes the external id.
    external_id: Option<String>,
}

#[derive(InputObject)]
pub struct UserRefInput {
    id: ID,
    instance_id: ID,
}

#[derive(InputObject)]
pub struct SetUserStatusInput {
    id: ID,
    instance_id: ID,
    status: UserStatus,
}

#[derive(InputObject)]
pub struct SetUserPasswordInput {
    id: ID,
    instance_id: ID,
    password: String,
}

#[derive(InputObject)]
pub struct CreateGroupInput {
    instance_id: ID,
    name: String,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateGroupInput {
    id: ID,
    instance_id: ID,
    name: Option<String>,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct ObjectRefInput {
    id: ID,
    instance_id: ID,
}

#[derive(InputObject)]
pub struct MembersInput {
    /// The group or org unit.
    id: ID,
    instance_id: ID,
    user_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct CreateOrgUnitInput {
    instance_id: ID,
    name: String,
    /// The parent unit; a root unit without it.
    parent_id: Option<ID>,
}

#[derive(InputObject)]
pub struct RenameOrgUnitInput {
    id: ID,
    instance_id: ID,
    name: String,
}

#[derive(InputObject)]
pub struct MoveOrgUnitInput {
    id: ID,
    instance_id: ID,
    /// The new parent; to the root without it.
    parent_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct InstancePayload {
    instance: Instance,
}

#[derive(SimpleObject)]
pub struct UserPayload {
    user: User,
}

#[derive(SimpleObject)]
pub struct GroupPayload {
    group: Group,
}

#[derive(SimpleObject)]
pub struct OrgUnitPayload {
    org_unit: OrgUnit,
}

#[derive(SimpleObject)]
pub struct DeletePayload {
    deleted_id: ID,
}

#[derive(SimpleObject)]
pub struct ImportRowError {
    /// The row's index in `users`, from 0.
    row: i32,
    field: Option<String>,
    code: String,
    message: String,
}

impl From<users::RowError> for ImportRowError {
    fn from(e: users::RowError) -> Self {
        ImportRowError {
            row: e.row as i32,
            field: e.field,
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ImportUsersPayload {
    /// Whether the rows were created; when false nothing was saved and `errors` says why.
    ok: bool,
    imported_count: i32,
    errors: Vec<ImportRowError>,
    #[graphql(skip)]
    users: Vec<user::Model>,
}

#[ComplexObject]
impl ImportUsersPayload {
    /// The created users (at most the first 100; list the instance's users for all).
    async fn users(&self) -> Vec<User> {
        self.users
            .iter()
            .take(100)
            .cloned()
            .map(User::from)
            .collect()
    }
}

#[derive(Default)]
pub struct DirectoryMutation;

#[Object]
impl DirectoryMutation {
    /// Action: `createInstance`.
    async fn create_instance(
        &self,
        ctx: &Context<'_>,
        input: CreateInstanceInput,
    ) -> Result<InstancePayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::CreateInstance)?;
        let model = instances::create(
            &state.directory,
            &permit,
            instances::InstanceInput {
                name: &input.name,
                description: input.description.as_deref(),
                rules: rules_input(input.sign_in_rules, input.second_factor),
            },
        )
        .await?;
        Ok(InstancePayload {
            instance: Instance::from(model),
        })
    }

    /// Action: `updateInstance`.
    async fn update_instance(
        &self,
        ctx: &Context<'_>,
        input: UpdateInstanceInput,
    ) -> Result<InstancePayload> {
        let permit = gate::instance(ctx, actions::UpdateInstance, &input.id)?;
        let model = instances::update(
            &state(ctx)?.directory,
            &permit,
            instances::InstanceInput {
                name: &input.name,
                description: input.description.as_deref(),
                rules: rules_input(input.sign_in_rules, input.second_factor),
            },
        )
        .await?;
        Ok(InstancePayload {
            instance: Instance::from(model),
        })
    }

    /// Deletes an instance with everything in it. Action: `deleteInstance`.
    async fn delete_instance(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> Result<DeletePayload> {
        let permit = gate::instance(ctx, actions::DeleteInstance, &input.id)?;
        instances::delete(&state(ctx)?.directory, &permit).await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Action: `createUser`.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<UserPayload> {
        let (instance_id, new_user) = input.into_domain();
        let permit = gate::instance(ctx, actions::CreateUser, &instance_id)?;
        Ok(UserPayload {
            user: User::from(users::create(&state(ctx)?.directory, &permit, new_user).await?),
        })
    }

    /// Creates up to 1000 users, all or none; per-row errors when any row is wrong.
    /// Action: `importUsers`.
    async fn import_users(
        &self,
        ctx: &Context<'_>,
        input: ImportUsersInput,
    ) -> Result<ImportUsersPayload> {
        let permit = gate::instance(ctx, actions::ImportUsers, &input.instance_id)?;
        let rows = input
            .users
            .into_iter()
            .map(|row| users::NewUser {
                username: row.username,
                display_name: row.display_name,
                email: row.email,
                phone: row.phone,
                external_id: row.external_id,
                password: row.password,
                group_ids: row.group_ids.into_iter().map(|id| id.0).collect(),
                org_unit_ids: row.org_unit_ids.into_iter().map(|id| id.0).collect(),
                ..users::NewUser::default()
            })
            .collect();
        Ok(
            match users::import(&state(ctx)?.directory, &permit, rows).await? {
                Ok(created) => ImportUsersPayload {
                    ok: true,
                    imported_count: created.len() as i32,
                    errors: vec![],
                    users: created,
                },
                Err(errors) => ImportUsersPayload {
                    ok: false,
                    imported_count: 0,
                    errors: errors.into_iter().map(ImportRowError::from).collect(),
                    users: vec![],
                },
            },
        )
    }

    /// Action: `updateUser`.
    async fn update_user(&self, ctx: &Context<'_>, input: UpdateUserInput) -> Result<UserPayload> {
        let permit = gate::instance(ctx, actions::UpdateUser, &input.instance_id)?;
        let patch = users::UserPatch {
            username: input.username,
            display_name: input.display_name,
            email: input.email,
            phone: input.phone,
            external_id: input.external_id,
        };
        Ok(UserPayload {
            user: User::from(
                users::update(&state(ctx)?.directory, &permit, &input.id, patch).await?,
            ),
        })
    }

    /// Enables (`ACTIVE`), disables or locks a user. Action: `setUserStatus`.
    async fn set_user_status(
        &self,
        ctx: &Context<'_>,
        input: SetUserStatusInput,
    ) -> Result<UserPayload> {
        let permit = gate::instance(ctx, actions::SetUserStatus, &input.instance_id)?;
        let user = users::set_status(
            &state(ctx)?.directory,
            &permit,
            &input.id,
            input.status.into(),
        )
        .await?;
        Ok(UserPayload {
            user: User::from(user),
        })
    }

    /// Action: `setUserPassword`.
    async fn set_user_password(
        &self,
        ctx: &Context<'_>,
        input: SetUserPasswordInput,
    ) -> Result<UserPayload> {
        let permit = gate::instance(ctx, actions::SetUserPassword, &input.instance_id)?;
        let user = users::set_password(&state(ctx)?.directory, &permit, &input.id, &input.password)
            .await?;
        Ok(UserPayload {
            user: User::from(user),
        })
    }

    /// Action: `deleteUser`.
    async fn delete_user(&self, ctx: &Context<'_>, input: UserRefInput) -> Result<DeletePayload> {
        let permit = gate::instance(ctx, actions::DeleteUser, &input.instance_id)?;
        users::delete(&state(ctx)?.directory, &permit, &input.id).await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Action: `createGroup`.
    async fn create_group(
        &self,
        ctx: &Context<'_>,
        input: CreateGroupInput,
    ) -> Result<GroupPayload> {
        let permit = gate::instance(ctx, actions::CreateGroup, &input.instance_id)?;
        let group = groups::create(
            &state(ctx)?.directory,
            &permit,
            &input.name,
            input.description.as_deref(),
        )
        .await?;
        Ok(GroupPayload {
            group: Group::from(group),
        })
    }

    /// Action: `updateGroup`.
    async fn update_group(
        &self,
        ctx: &Context<'_>,
        input: UpdateGroupInput,
    ) -> Result<GroupPayload> {
        let permit = gate::instance(ctx, actions::UpdateGroup, &input.instance_id)?;
        let group = groups::update(
            &state(ctx)?.directory,
            &permit,
            &input.id,
            input.name.as_deref(),
            input.description.as_deref(),
        )
        .await?;
        Ok(GroupPayload {
            group: Group::from(group),
        })
    }

    /// Action: `deleteGroup`.
    async fn delete_group(
        &self,
        ctx: &Context<'_>,
        input: ObjectRefInput,
    ) -> Result<DeletePayload> {
        let permit = gate::instance(ctx, actions::DeleteGroup, &input.instance_id)?;
        groups::delete(&state(ctx)?.directory, &permit, &input.id).await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Adds users to a group; members already in it stay. Action: `changeGroupMembers`.
    async fn add_group_members(
        &self,
        ctx: &Context<'_>,
        input: MembersInput,
    ) -> Result<GroupPayload> {
        let permit = gate::instance(ctx, actions::ChangeGroupMembers, &input.instance_id)?;
        let ids = ids(input.user_ids);
        Ok(GroupPayload {
            group: Group::from(
                groups::add_members(&state(ctx)?.directory, &permit, &input.id, &ids).await?,
            ),
        })
    }

    /// Action: `changeGroupMembers`.
    async fn remove_group_members(
        &self,
        ctx: &Context<'_>,
        input: MembersInput,
    ) -> Result<GroupPayload> {
        let permit = gate::instance(ctx, actions::ChangeGroupMembers, &input.instance_id)?;
        let ids = ids(input.user_ids);
        Ok(GroupPayload {
            group: Group::from(
                groups::remove_members(&state(ctx)?.directory, &permit, &input.id, &ids).await?,
            ),
        })
    }

    /// Action: `createOrgUnit`.
    async fn create_org_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateOrgUnitInput,
    ) -> Result<OrgUnitPayload> {
        let permit = gate::instance(ctx, actions::CreateOrgUnit, &input.instance_id)?;
        let unit = org_units::create(
            &state(ctx)?.directory,
            &permit,
            &input.name,
            input.parent_id.as_ref().map(|id| id.as_str()),
        )
        .await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit::from(unit),
        })
    }

    /// Action: `updateOrgUnit`.
    async fn rename_org_unit(
        &self,
        ctx: &Context<'_>,
        input: RenameOrgUnitInput,
    ) -> Result<OrgUnitPayload> {
        let permit = gate::instance(ctx, actions::UpdateOrgUnit, &input.instance_id)?;
        let unit =
            org_units::rename(&state(ctx)?.directory, &permit, &input.id, &input.name).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit::from(unit),
        })
    }

    /// Moves a unit with its subtree. Action: `moveOrgUnit`.
    async fn move_org_unit(
        &self,
        ctx: &Context<'_>,
        input: MoveOrgUnitInput,
    ) -> Result<OrgUnitPayload> {
        let permit = gate::instance(ctx, actions::MoveOrgUnit, &input.instance_id)?;
        let unit = org_units::move_to(
            &state(ctx)?.directory,
            &permit,
            &input.id,
            input.parent_id.as_ref().map(|id| id.as_str()),
        )
        .await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit::from(unit),
        })
    }

    /// Deletes an empty unit. Action: `deleteOrgUnit`.
    async fn delete_org_unit(
        &self,
        ctx: &Context<'_>,
        input: ObjectRefInput,
    ) -> Result<DeletePayload> {
        let permit = gate::instance(ctx, actions::DeleteOrgUnit, &input.instance_id)?;
        org_units::delete(&state(ctx)?.directory, &permit, &input.id).await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Action: `changeOrgUnitMembers`.
    async fn add_org_unit_members(
        &self,
        ctx: &Context<'_>,
        input: MembersInput,
    ) -> Result<OrgUnitPayload> {
        let permit = gate::instance(ctx, actions::ChangeOrgUnitMembers, &input.instance_id)?;
        let ids = ids(input.user_ids);
        Ok(OrgUnitPayload {
            org_unit: OrgUnit::from(
                org_units::add_members(&state(ctx)?.directory, &permit, &input.id, &ids).await?,
            ),
        })
    }

    /// Action: `changeOrgUnitMembers`.
    async fn remove_org_unit_members(
        &self,
        ctx: &Context<'_>,
        input: MembersInput,
    ) -> Result<OrgUnitPayload> {
        let permit = gate::instance(ctx, actions::ChangeOrgUnitMembers, &input.instance_id)?;
        let ids = ids(input.user_ids);
        Ok(OrgUnitPayload {
            org_unit: OrgUnit::from(
                org_units::remove_members(&state(ctx)?.directory, &permit, &input.id, &ids).await?,
            ),
        })
    }
}

fn ids(ids: Vec<ID>) -> Vec<String> {
    ids.into_iter().map(|id| id.0).collect()
}
