#!/usr/bin/env python3
"""Drives Lanyard's SCIM 2.0 endpoint with a client written by someone else: scim2-client over
httpx2, which validates every answer against the models scim2-models builds from what the server
itself publishes on /Schemas and /ResourceTypes, with the strict policy (an attribute no schema
declares, a wrong type, a missing required attribute or a wrong status code is an error).

    scim_client.py BASE_URL TOKEN     (or LANYARD_SCIM_URL and LANYARD_SCIM_TOKEN)

BASE_URL is an instance's endpoint, `…/scim/v2/{instance id}`, in an instance with no users
or groups yet. The script discovers the server, then creates, reads (conditionally too),
filters, pages, sorts, replaces, patches and deletes users and groups, checking each answer and
the SCIM errors of what must be refused. It prints one JSON line a step; on the first mismatch
it prints what was expected and what came, and exits 1. Its last line (`"step": "done"`) says
what it left behind, for the caller to check from Lanyard's side:

- users `ada`, `grace`, `alan`, `barbara` (ids in `users`): `alan` replaced by PUT
  ("Alan M. Turing"), `grace` patched ("Rear Admiral Hopper") and inactive, `barbara` patched
  without a path ("Barbara H. Liskov"); `edsger` created, then deleted (`deleted_user`);
- group `Engineering` (created as `Engineers` with `ada` and `grace`) with members `ada` and
  `alan` (`group`); group `Temporary` created, then deleted (`deleted_group`); no group
  `Ghosts` (refused: its member is no user).
"""

import json
import os
import sys
import traceback

from httpx2 import Client
from scim2_client import Me
from scim2_client import SCIMClientException
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import ListResponse
from scim2_models import PatchOp
from scim2_models import PatchOperation
from scim2_models import Schema
from scim2_models import SCIMException
from scim2_models import SearchRequest

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
DOMAIN = "interop.example"

# The people the script provisions: userName, given and family names, department, employee
# number. Their e-mail addresses are `{userName}@interop.example`, plus a home one for some.
PEOPLE = [
    ("ada", "Ada", "Lovelace", "Analysis", "1815"),
    ("grace", "Grace", "Hopper", "Compilers", "1906"),
    ("alan", "Alan", "Turing", "Analysis", "1912"),
    ("edsger", "Edsger", "Dijkstra", "Compilers", "1930"),
    ("barbara", "Barbara", "Liskov", "Types", "1939"),
]


class Mismatch(Exception):
    """What the server answered is not what the step expected."""


def step(name, **details):
    print(json.dumps({"step": name, "ok": True, **details}, default=str), flush=True)


def expect(condition, message):
    if not condition:
        raise Mismatch(message)


def equal(actual, expected, what):
    expect(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


def refused(call, status, scim_type, what):
    """Runs `call`, which the server must refuse with a SCIM error of `status` and `scim_type`."""
    try:
        answer = call()
    except SCIMException as exc:
        error = exc.to_error()
    else:
        raise Mismatch(f"{what}: expected a {status} SCIM error, got {answer!r}")
    equal(int(error.status), status, f"{what}: status")
    equal(error.scim_type, scim_type, f"{what}: scimType")
    expect(error.detail, f"{what}: the error has no detail")
    return error


class Run:
    def __init__(self, base_url, token):
        self.http = Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        self.scim = SyncSCIMClient(self.http)
        self.users = {}

    # Discovery.

    def discover(self):
        self.scim.discover()
        config = self.scim.provider.config
        equal(config.patch.supported, True, "patch.supported")
        equal(config.filter.supported, True, "filter.supported")
        equal(config.filter.max_results, 200, "filter.maxResults")
        equal(config.sort.supported, True, "sort.supported")
        equal(config.etag.supported, True, "etag.supported")
        equal(config.bulk.supported, True, "bulk.supported")
        equal(
            config.authentication_schemes[0].type,
            "oauthbearertoken",
            "authenticationSchemes[0].type",
        )
        types = {t.name: t for t in self.scim.provider.resource_types}
        equal(sorted(types), ["Group", "User"], "resource types")
        equal(types["User"].endpoint, "/Users", "User endpoint")
        equal(str(types["User"].schema_), USER, "User schema")
        equal(
            [str(e.schema_) for e in types["User"].schema_extensions],
            [ENTERPRISE],
            "User schema extensions",
        )
        equal(types["Group"].endpoint, "/Groups", "Group endpoint")
        schemas = self.scim.query(Schema)
        equal(
            [s.id for s in schemas.resources],
            [USER, ENTERPRISE, GROUP],
            "the Schemas list",
        )
        self.User = self.scim.get_resource_model("User")
        self.Group = self.scim.get_resource_model("Group")
        self.Enterprise = self.scim.provider.model_for(ENTERPRISE)
        expect(self.User is not None, "discover() built no User model")
        expect(self.Group is not None, "discover() built no Group model")
        expect(self.Enterprise is not None, "discover() built no EnterpriseUser model")
        step(
            "discover",
            resource_types=sorted(types),
            schemas=[s.id for s in schemas.resources],
        )

    # Users.

    def person(self, user_name, given, family, department, number, **extra):
        emails = [{"value": f"{user_name}@{DOMAIN}", "type": "work", "primary": True}]
        if user_name in ("ada", "alan"):
            emails.append({"value": f"{user_name}@home.example", "type": "home"})
        return self.User.model_validate(
            {
                "schemas": [USER, ENTERPRISE],
                "userName": user_name,
                "externalId": f"hr-{number}",
                "name": {"givenName": given, "familyName": family},
                "displayName": f"{given} {family}",
                "emails": emails,
                "active": True,
                ENTERPRISE: {
                    "employeeNumber": number,
                    "department": department,
                    "organization": "Interop",
                },
                **extra,
            }
        )

    def check_user(self, user, user_name, given, family, department, number, what):
        expect(isinstance(user, self.User), f"{what}: not a User: {user!r}")
        expect(user.id, f"{what}: no id")
        equal(user.user_name, user_name, f"{what}: userName")
        equal(user.external_id, f"hr-{number}", f"{what}: externalId")
        equal(user.name.given_name, given, f"{what}: name.givenName")
        equal(user.name.family_name, family, f"{what}: name.familyName")
        work = [e for e in user.emails if e.primary]
        equal(len(work), 1, f"{what}: primary emails")
        equal(work[0].value, f"{user_name}@{DOMAIN}", f"{what}: primary email")
        equal(user.active, True, f"{what}: active")
        enterprise = user[self.Enterprise]
        expect(enterprise is not None, f"{what}: no enterprise extension")
        equal(enterprise.employee_number, number, f"{what}: employeeNumber")
        equal(enterprise.department, department, f"{what}: department")
        meta = user.meta
        equal(meta.resource_type, "User", f"{what}: meta.resourceType")
        expect(meta.created and meta.last_modified, f"{what}: meta has no dates")
        expect(
            str(meta.location).endswith(f"/Users/{user.id}"),
            f"{what}: meta.location {meta.location}",
        )
        expect(meta.version and meta.version.startswith('W/"'), f"{what}: meta.version")

    def create_users(self):
        for person in PEOPLE:
            created = self.scim.create(self.person(*person))
            self.check_user(created, *person, what=f"create {person[0]}")
            self.users[person[0]] = created
        step("create users", users={n: u.id for n, u in self.users.items()})
        duplicate = self.person("ada", "Ada", "Again", "Analysis", "0000")
        refused(
            lambda: self.scim.create(duplicate), 409, "uniqueness", "a second ada"
        )
        step("create a duplicate userName", refused="uniqueness")

    def read_user(self):
        ada = self.users["ada"]
        read = self.scim.query(self.User, ada.id)
        self.check_user(read, *PEOPLE[0], what="read ada")
        equal(read.meta.version, ada.meta.version, "read ada: version")
        equal(
            sorted(e.value for e in read.emails),
            ["ada@home.example", f"ada@{DOMAIN}"],
            "read ada: emails",
        )
        projected = self.scim.query(
            self.User,
            ada.id,
            {"attributes": ["userName", "name.familyName"]},
        )
        equal(projected.user_name, "ada", "projected: userName")
        equal(projected.name.family_name, "Lovelace", "projected: name.familyName")
        equal(projected.display_name, None, "projected: displayName left out")
        equal(projected.emails, None, "projected: emails left out")
        missing = "00000000-0000-7000-8000-000000000000"
        refused(lambda: self.scim.query(self.User, missing), 404, None, "a missing user")
        step("read a user", id=ada.id, version=ada.meta.version)
        # Reading a resource the client holds sends its version as If-None-Match; the client
        # keeps its own copy when the server answers 304 Not Modified.
        again = self.scim.query(read)
        expect(again is read, f"a conditional read of ada was not answered 304: {again!r}")
        step("read a user again, unchanged", answered=304)

    def search(self, filter=None, **params):
        request = SearchRequest(filter=filter, **params) if filter else SearchRequest(**params)
        page = self.scim.query(self.User, request)
        expect(isinstance(page, ListResponse), f"{filter}: not a ListResponse: {page!r}")
        return page

    def names(self, page):
        return [u.user_name for u in page.resources or []]

    def filter_users(self):
        cases = [
            ('userName eq "ada"', ["ada"]),
            ('userName eq "GRACE"', ["grace"]),
            (f'emails.value co "@{DOMAIN}"', ["ada", "alan", "barbara", "edsger", "grace"]),
            ('emails.value co "@home."', ["ada", "alan"]),
            ('emails[value sw "bar"]', ["barbara"]),
            ('name.familyName sw "h" or name.familyName ew "ace"', ["ada", "grace"]),
            (
                f'emails.value co "{DOMAIN}" and (userName sw "a" or userName eq "edsger")',
                ["ada", "alan", "edsger"],
            ),
            ('not (userName sw "a") and active eq true', ["barbara", "edsger", "grace"]),
            ('externalId eq "hr-1912"', ["alan"]),
            ('userName eq "nobody"', []),
        ]
        for text, wanted in cases:
            page = self.search(text, sort_by="userName")
            equal(page.total_results, len(wanted), f"{text}: totalResults")
            equal(self.names(page), wanted, f"{text}: users")
            step("filter users", filter=text, found=self.names(page))
        # A well-formed filter on an attribute the server keeps as sent, unindexed: refused,
        # rather than answered wrong.
        refused(
            lambda: self.search('title eq "Reader"'), 400, "invalidFilter", "title eq"
        )
        step("filter on an unindexed attribute", refused="invalidFilter")

    def unsupported(self):
        # What ServiceProviderConfig and the RFC leave optional is refused with a SCIM error.
        refused(
            lambda: self.scim.search(self.User, SearchRequest(filter='userName eq "ada"')),
            501,
            None,
            "POST /Users/.search",
        )
        refused(lambda: self.scim.query(), 501, None, "a query of every resource type")
        refused(lambda: self.scim.query(Me), 501, None, "/Me")
        step("optional endpoints", refused=501)

    def page_and_sort(self):
        everyone = sorted(p[0] for p in PEOPLE)
        seen = []
        for start in (1, 3, 5):
            page = self.search(start_index=start, count=2, sort_by="userName")
            equal(page.total_results, 5, f"page at {start}: totalResults")
            equal(page.start_index, start, f"page at {start}: startIndex")
            size = min(2, 5 - start + 1)
            equal(page.items_per_page, size, f"page at {start}: itemsPerPage")
            equal(len(page.resources or []), size, f"page at {start}: resources")
            seen += self.names(page)
            step("page", start_index=start, users=self.names(page))
        equal(seen, everyone, "the pages, one after the other")
        beyond = self.search(start_index=9, count=2)
        equal(beyond.total_results, 5, "past the end: totalResults")
        equal(beyond.resources or [], [], "past the end: resources")
        counted = self.search(count=0)
        equal(counted.total_results, 5, "count=0: totalResults")
        equal(counted.resources or [], [], "count=0: resources")
        step("page past the end and count=0", total=5)
        down = self.search(sort_by="name.familyName", sort_order="descending")
        equal(
            self.names(down),
            ["alan", "ada", "barbara", "grace", "edsger"],
            "sorted by familyName descending",
        )
        step("sort users", sort_by="name.familyName", users=self.names(down))

    def replace_user(self):
        alan = self.scim.query(self.User, self.users["alan"].id)
        alan.display_name = "Alan M. Turing"
        alan.title = "Reader"
        alan.nick_name = "Prof"
        alan[self.Enterprise].department = "Computing"
        alan[self.Enterprise].cost_center = "CC-42"
        replaced = self.scim.replace(alan)
        equal(replaced.display_name, "Alan M. Turing", "PUT: displayName")
        equal(replaced.title, "Reader", "PUT: title")
        equal(replaced.nick_name, "Prof", "PUT: nickName")
        equal(replaced[self.Enterprise].department, "Computing", "PUT: department")
        equal(replaced[self.Enterprise].cost_center, "CC-42", "PUT: costCenter")
        equal(replaced[self.Enterprise].employee_number, "1912", "PUT: employeeNumber")
        expect(
            replaced.meta.version != alan.meta.version,
            f"PUT: the version did not change: {replaced.meta.version}",
        )
        # The version the client read is now stale: a second PUT with it is refused.
        alan.title = "Stale"
        refused(lambda: self.scim.replace(alan), 412, None, "PUT with a stale If-Match")
        self.users["alan"] = replaced
        step("replace a user", id=replaced.id, version=replaced.meta.version)

    def patch_user(self):
        grace = self.users["grace"]
        operations = [
            PatchOperation[self.User](op="replace", path="displayName", value="Rear Admiral Hopper"),
            PatchOperation[self.User](op="add", path="title", value="Commodore"),
            PatchOperation[self.User](
                op="add",
                path="emails",
                value=[{"value": "grace@navy.example", "type": "other"}],
            ),
            PatchOperation[self.User](
                op="replace",
                path=f"{ENTERPRISE}:department",
                value="Navy",
            ),
            PatchOperation[self.User](op="remove", path=f"{ENTERPRISE}:organization"),
            PatchOperation[self.User](op="replace", path="active", value=False),
        ]
        patched = self.scim.modify(
            self.User, grace.id, PatchOp[self.User](operations=operations)
        )
        expect(isinstance(patched, self.User), f"PATCH: not a User: {patched!r}")
        equal(patched.display_name, "Rear Admiral Hopper", "PATCH: displayName")
        equal(patched.title, "Commodore", "PATCH: title")
        equal(
            sorted(e.value for e in patched.emails),
            [f"grace@{DOMAIN}", "grace@navy.example"],
            "PATCH: emails",
        )
        equal(patched[self.Enterprise].department, "Navy", "PATCH: department")
        equal(patched[self.Enterprise].organization, None, "PATCH: organization removed")
        equal(patched[self.Enterprise].employee_number, "1906", "PATCH: employeeNumber")
        equal(patched.active, False, "PATCH: active")
        removed = self.scim.modify(
            self.User,
            grace.id,
            PatchOp[self.User](
                operations=[
                    PatchOperation[self.User](
                        op="remove", path='emails[value eq "grace@navy.example"]'
                    ),
                    PatchOperation[self.User](op="remove", path="title"),
                ]
            ),
        )
        equal([e.value for e in removed.emails], [f"grace@{DOMAIN}"], "PATCH: emails after remove")
        equal(removed.title, None, "PATCH: title removed")
        equal(removed.active, False, "PATCH: still inactive")
        inactive = self.search("active eq false")
        equal(self.names(inactive), ["grace"], "active eq false")
        self.users["grace"] = removed
        step("patch a user", id=grace.id, active=removed.active)

    def patch_without_path(self):
        # Okta's shape: the value is an object of the attributes to replace.
        barbara = self.users["barbara"]
        ada = self.users["ada"]
        manager = {"value": ada.id, "$ref": str(ada.meta.location), "displayName": "Ada Lovelace"}
        patched = self.scim.modify(
            self.User,
            barbara.id,
            PatchOp[self.User](
                operations=[
                    PatchOperation[self.User](
                        op="replace",
                        value={"displayName": "Barbara H. Liskov", "nickName": "Babs"},
                    ),
                    PatchOperation[self.User](
                        op="add", path=f"{ENTERPRISE}:manager", value=manager
                    ),
                    # The extension's URN as a path is the extension as a whole.
                    PatchOperation[self.User](
                        op="add", path=ENTERPRISE, value={"division": "Research"}
                    ),
                ]
            ),
        )
        equal(patched.display_name, "Barbara H. Liskov", "PATCH without a path: displayName")
        equal(patched.nick_name, "Babs", "PATCH without a path: nickName")
        equal(patched[self.Enterprise].manager.value, ada.id, "PATCH: manager.value")
        equal(patched[self.Enterprise].manager.display_name, "Ada Lovelace", "PATCH: manager")
        equal(patched.user_name, "barbara", "PATCH without a path: userName kept")
        equal(patched[self.Enterprise].division, "Research", "PATCH: the extension as a whole")
        equal(patched[self.Enterprise].department, "Types", "PATCH: department kept")
        projected = self.scim.query(self.User, barbara.id, {"attributes": [ENTERPRISE]})
        equal(projected[self.Enterprise].division, "Research", "attributes=the extension")
        equal(projected.user_name, None, "attributes=the extension: userName left out")
        self.users["barbara"] = patched
        step("patch a user without a path", id=barbara.id)

    def delete_user(self):
        edsger = self.users.pop("edsger")
        equal(self.scim.delete(self.User, edsger.id), None, "DELETE edsger")
        refused(lambda: self.scim.query(self.User, edsger.id), 404, None, "edsger, deleted")
        refused(lambda: self.scim.delete(self.User, edsger.id), 404, None, "edsger, again")
        equal(self.search().total_results, 4, "users after the deletion")
        self.deleted_user = edsger.id
        step("delete a user", id=edsger.id)

    # Groups.

    def member(self, name):
        return {"value": self.users[name].id}

    def member_ids(self, group):
        return sorted(m.value for m in group.members or [])

    def ids(self, *names):
        return sorted(self.users[n].id for n in names)

    def groups(self):
        engineers = self.scim.create(
            self.Group.model_validate(
                {
                    "schemas": [GROUP],
                    "displayName": "Engineers",
                    "externalId": "hr-group-7",
                    "members": [self.member("ada"), self.member("grace")],
                }
            )
        )
        expect(isinstance(engineers, self.Group), f"create group: {engineers!r}")
        equal(engineers.display_name, "Engineers", "create group: displayName")
        equal(engineers.external_id, "hr-group-7", "create group: externalId")
        equal(self.member_ids(engineers), self.ids("ada", "grace"), "create group: members")
        equal(engineers.meta.resource_type, "Group", "create group: meta.resourceType")
        step("create a group", id=engineers.id)

        read = self.scim.query(self.Group, engineers.id)
        equal(self.member_ids(read), self.ids("ada", "grace"), "read group: members")
        ada = self.scim.query(self.User, self.users["ada"].id)
        equal([g.value for g in ada.groups or []], [engineers.id], "ada's groups")
        equal([g.display for g in ada.groups], ["Engineers"], "ada's group names")
        step("read a group", id=engineers.id)

        stranger = {"value": "00000000-0000-7000-8000-000000000000"}
        refused(
            lambda: self.scim.create(
                self.Group.model_validate(
                    {"schemas": [GROUP], "displayName": "Ghosts", "members": [stranger]}
                )
            ),
            400,
            "invalidValue",
            "a group with a member who is no user",
        )
        ghosts = self.scim.query(self.Group, SearchRequest(filter='displayName eq "Ghosts"'))
        equal(ghosts.total_results, 0, "the refused group was left behind")
        step("create a group with a stranger", refused="invalidValue")

        temporary = self.scim.create(
            self.Group.model_validate({"schemas": [GROUP], "displayName": "Temporary"})
        )
        found = self.scim.query(
            self.Group, SearchRequest(filter='displayName eq "engineers"')
        )
        equal([g.id for g in found.resources or []], [engineers.id], "displayName eq")
        by_member = self.scim.query(
            self.Group,
            SearchRequest(filter=f'members[value eq "{self.users["grace"].id}"]'),
        )
        equal([g.id for g in by_member.resources or []], [engineers.id], "members[value eq]")
        listed = self.scim.query(
            self.Group, SearchRequest(sort_by="displayName", count=1, start_index=2)
        )
        equal(listed.total_results, 2, "groups: totalResults")
        equal([g.display_name for g in listed.resources], ["Temporary"], "groups: page 2")
        step("filter and page groups", found=[g.id for g in found.resources])

        grace = self.users["grace"].id
        patched = self.scim.modify(
            self.Group,
            engineers.id,
            PatchOp[self.Group](
                operations=[
                    PatchOperation[self.Group](
                        op="add", path="members", value=[self.member("alan")]
                    ),
                    PatchOperation[self.Group](
                        op="remove", path=f'members[value eq "{grace}"]'
                    ),
                ]
            ),
        )
        equal(self.member_ids(patched), self.ids("ada", "alan"), "PATCH group: members")
        expect(
            patched.meta.version != read.meta.version,
            f"PATCH group: the version did not change: {patched.meta.version}",
        )
        # The version read before the membership change is stale.
        read.display_name = "Stale"
        refused(lambda: self.scim.replace(read), 412, None, "PUT group with a stale If-Match")
        step("patch group members", members=self.member_ids(patched))

        patched.display_name = "Engineering"
        replaced = self.scim.replace(patched)
        equal(replaced.display_name, "Engineering", "PUT group: displayName")
        equal(self.member_ids(replaced), self.ids("ada", "alan"), "PUT group: members")
        alan = self.scim.query(self.User, self.users["alan"].id)
        equal([g.display for g in alan.groups or []], ["Engineering"], "alan's groups")
        grace_now = self.scim.query(self.User, grace)
        equal(grace_now.groups or [], [], "grace's groups")
        step("replace a group", display_name=replaced.display_name)

        equal(self.scim.delete(self.Group, temporary.id), None, "DELETE group")
        refused(lambda: self.scim.query(self.Group, temporary.id), 404, None, "deleted group")
        self.group = replaced.id
        self.deleted_group = temporary.id
        step("delete a group", id=temporary.id)

    def run(self):
        self.discover()
        self.create_users()
        self.read_user()
        self.filter_users()
        self.page_and_sort()
        self.replace_user()
        self.patch_user()
        self.patch_without_path()
        self.unsupported()
        self.groups()
        self.delete_user()
        step(
            "done",
            users={n: u.id for n, u in self.users.items()},
            deleted_user=self.deleted_user,
            group=self.group,
            deleted_group=self.deleted_group,
        )


def main():
    args = sys.argv[1:]
    base_url = args[0] if args else os.environ.get("LANYARD_SCIM_URL")
    token = args[1] if len(args) > 1 else os.environ.get("LANYARD_SCIM_TOKEN")
    if not base_url or not token:
        sys.exit(__doc__)
    try:
        Run(base_url, token).run()
    except (Mismatch, SCIMException, SCIMClientException) as exc:
        kind = type(exc).__name__
        notes = "\n".join(getattr(exc, "__notes__", []))
        source = getattr(exc, "source", None)
        body = getattr(source, "text", None)
        print(
            json.dumps({"step": "failed", "ok": False, "error": f"{kind}: {exc}", "notes": notes, "body": body}),
            flush=True,
        )
        traceback.print_exc()
        if body:
            print(f"the server answered: {body}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
