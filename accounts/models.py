"""Users and roles, departments, key accounts and the client's decision-making unit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth
from django.db.models.lookups import Lookup, StartsWith
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        KAM = "kam", _("Key account manager")
        HEAD = "head", _("Department head")
        ANALYST = "analyst", _("Analyst")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.KAM)
    # A KAM belongs to one department; a head may lead several.
    departments = models.ManyToManyField(
        Department, blank=True, related_name="members", verbose_name=_("departments")
    )
    # Blank: the browser's language (Accept-Language) decides.
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES, default=""
    )
    # Kept by accounts/two_factor.py from the user's confirmed authenticator: every request asks
    # whether the session still owes a code, without a query of its own.
    two_factor_enabled = models.BooleanField(_("two-factor sign-in"), default=False, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        # Administrators have every right, in the admin site as well.
        if self.role == self.Role.ADMIN:
            self.is_staff = self.is_superuser = True
        super().save(*args, **kwargs)

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_head(self) -> bool:
        return self.role == self.Role.HEAD

    @property
    def is_analyst(self) -> bool:
        return self.role == self.Role.ANALYST

    @property
    def is_kam(self) -> bool:
        return self.role == self.Role.KAM

    @property
    def sees_every_account(self) -> bool:
        """Admins and analysts see every account; KAMs and heads only some (ARCHITECTURE.md)."""
        return self.is_admin_role or self.is_analyst


class PathRoot(Func):
    """The id, as text, of the top of an account's group: "3" for the path "/3/17/42/" ("" for "").

    Indexed (`account_path_root_idx`): the accounts of a group are one equality look-up, which the
    planner can hash or probe, where "this path starts with that one" is a comparison of every
    account with every candidate ancestor.
    """

    arity = 1
    output_field = CharField()
    template = "split_part(%(expressions)s, '/', 2)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no split_part: the text between the first two slashes.
        template = "substr(%(expressions)s, 2, instr(substr(%(expressions)s, 2), '/') - 1)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class IdArray:
    """Integer ids as the text of one PostgreSQL array ("{3,17,42}"), written once. Given a list,
    Django walks it item by item each time it builds a query, and the driver dumps it item by item
    each time it sends one: a KAM's page filters ten queries on the same 500 ids."""

    __slots__ = ("text",)

    def __init__(self, ids: Iterable[int]):
        self.text = "{" + ",".join(str(int(pk)) for pk in ids) + "}"


class AnyOf(Lookup):
    """`field__any_of=ids` (a list or an `IdArray`): `field = ANY(%s::bigint[])`, the ids sent as one
    array (PostgreSQL). As an IN list of as many parameters, 500 ids took longer to format and to
    plan than the query took to run. Given an `ArraySubquery`, `field = ANY(ARRAY(SELECT …))`: the
    server works the array out once, before the outer rows, where an IN would be planned as a join."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "as_sql"):
            array, array_params = self.process_rhs(compiler, connection)
            return f"{lhs} = ANY({array})", [*params, *array_params]
        ids = self.rhs if isinstance(self.rhs, IdArray) else IdArray(self.rhs)
        return f"{lhs} = ANY(%s::bigint[])", [*params, ids.text]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # relations keep lookups of their own


def among(lookup: str, ids: list[int] | QuerySet[Any]) -> Q:
    """`lookup` is one of `ids`: one array parameter on PostgreSQL, an IN list elsewhere. Given a
    query of ids, on PostgreSQL its array, worked out once before the outer rows (`AnyOf`): as an IN
    or an EXISTS the planner may walk the outer rows and probe the query for each instead."""
    if connection.vendor == "postgresql":
        array = ArraySubquery(ids) if isinstance(ids, QuerySet) else IdArray(ids)
        return Q(**{f"{lookup}__any_of": array})
    return Q(**{f"{lookup}__in": ids})


def _kept_ids(user: User | AnonymousUser) -> list[int] | None:
    """The kept ids of the accounts a KAM sees (`accounts.visibility.cached_subtree_ids`); None for
    whoever sees accounts by role or department, or when none are kept."""
    from .visibility import cached_subtree_ids  # the cache module imports this one

    if not user.is_authenticated or user.sees_every_account or user.is_head:
        return None
    return cached_subtree_ids(user)


def in_led_departments(user: User, lookup: str = "") -> Q:
    """Accounts (reached through `lookup`) in a department the user leads: what a head sees. Tested on
    the account's own row, which a query through `lookup` joins anyway; as `IN (the visible
    accounts)` the planner hashed the ids of every account the head sees first."""
    return Q(**{f"{lookup}__department__in" if lookup else "department__in": user.departments.all()})


def of_visible_accounts(user: User | AnonymousUser, lookup: str = "account") -> Q:
    """Rows whose account (reached through `lookup`) the user may see.

    For a KAM whose account ids are kept (`accounts.visibility.cached_subtree_ids`) the ids
    themselves, a list PostgreSQL hashes and estimates exactly; as a subquery it would join the
    accounts once more and often loop over them.
    """
    ids = _kept_ids(user)
    if ids is not None:
        return among(lookup, ids)
    if user.is_authenticated and user.is_head and not user.sees_every_account:
        return in_led_departments(user, lookup)
    return Q(**{f"{lookup}__in": Account.objects.visible_to(user)})


class AccountQuerySet(models.QuerySet["Account"]):
    def visible_to(self, user: User | AnonymousUser) -> AccountQuerySet:
        """Accounts the user may see (ARCHITECTURE.md, "Visibility")."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_every_account:
            return self
        if user.is_head:
            return self.filter(in_led_departments(user))
        ids = _kept_ids(user)
        if ids is not None:
            return self.filter(among("pk", ids))
        return self.in_managed_subtrees(user)

    def in_managed_subtrees(self, user: User) -> AccountQuerySet:
        """Accounts in the subtree of one the user manages: that one's path is their prefix. Both are
        in the same group first (an indexed equality), so the prefix test runs within a group."""
        managed_ancestor = (
            self.model.objects.managed_by(user)
            .exclude(path="")
            .alias(root=PathRoot("path"))
            .filter(root=PathRoot(OuterRef("path")))
            .filter(StartsWith(OuterRef("path"), F("path")))
        )
        return self.filter(Exists(managed_ancestor))

    def managed_by(self, user: User) -> AccountQuerySet:
        """Accounts the user owns or works on as a team member (without their subsidiaries)."""
        on_team = AccountTeamMember.objects.filter(account=OuterRef("pk"), user=user)
        return self.filter(Q(owner=user) | Exists(on_team))


PATH_MAX_LENGTH = 255


class LeadSource(models.Model):
    """Where an account came from (cold call, referral, exhibition…): an editable list, in the admin."""

    # The sources the code itself names: a referral files its prospect under REFERRAL.
    REFERRAL = "referral"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered on forms"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("lead source")
        verbose_name_plural = _("lead sources")

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    class Status(models.TextChoices):
        """The buying status, one for every page and the API. A customer's is computed by the nightly
        run from its own buying rhythm (active, at risk, lost); a loss recorded with its reason keeps
        it lost until the account buys again; an account that never bought is a prospect."""

        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        AT_RISK = "at_risk", _("At risk")
        LOST = "lost", _("Lost")

    class KeyClientType(models.TextChoices):
        REVENUE_CONTRIBUTOR = "revenue_contributor", _("Revenue contributor")
        PROSPECT = "prospect", _("Prospect")
        IMAGE_MAKER = "image_maker", _("Image-maker")
        EXPERT = "expert", _("Expert")

    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    # Text, kept exactly as imported: "00017" stays "00017".
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=80, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    # The client's own turnover (not our sales to it: those are in the ledger of the sales app).
    annual_revenue = models.DecimalField(
        _("client's own annual turnover"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("buying status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROSPECT,
        editable=False,
        help_text=_(
            "Computed from the buying rhythm; a recorded loss keeps it lost until the next purchase."
        ),
    )
    key_client_type = models.CharField(
        _("key-client type"), max_length=24, choices=KeyClientType.choices, blank=True
    )
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
        verbose_name=_("owner KAM"),
        db_index=False,  # account_owner_name_idx leads with it
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("department"),
        db_index=False,  # account_dept_name_idx leads with it
    )
    lead_source = models.ForeignKey(
        LeadSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("lead source"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name=_("parent account"),
    )
    # Materialised path of ids, "/3/17/42/": subtree look-ups and cycle checks in one query.
    path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False, default="")
    # Optimistic lock: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="account_external_id_unique",
                violation_error_message=_("An account with this external id already exists."),
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="account_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["status"], name="account_status_idx"),
            models.Index(fields=["key_client_type"], name="account_type_idx"),
            models.Index(fields=["owner", "name"], name="account_owner_name_idx"),
            models.Index(fields=["department", "name"], name="account_dept_name_idx"),
            models.Index(PathRoot("path"), name="account_path_root_idx"),
            # A subtree: `path LIKE '/3/17/%'` (the tree, a move, the parent's choices). Only the
            # pattern operator class answers a prefix under any collation; a plain index on the path
            # (with this one, what `db_index` gave) served no query.
            models.Index(fields=["path"], name="account_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # The default order (name, pk): a page sorted by name reads its rows, not a sort of all.
            models.Index(fields=["name", "id"], name="account_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class AccountTeamMember(models.Model):
    """A member of the cross-functional account team."""

    class TeamRole(models.TextChoices):
        KAM = "kam", _("Key account manager")
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
        SERVICE = "service", _("Service")
        FINANCE = "finance", _("Finance")
        LOGISTICS = "logistics", _("Logistics")
        TECHNICAL = "technical", _("Technical")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="team_members", verbose_name=_("account")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="account_teams", verbose_name=_("user")
    )
    team_role = models.CharField(_("team role"), max_length=20, choices=TeamRole.choices)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["account", "team_role", "user"]
        verbose_name = _("account team member")
        verbose_name_plural = _("account team members")
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="team_member_once_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_team_role_display()}) on {self.account}"


# A birthday as month*100+day (1 March → 301), indexed: "birthdays in the next 14 days" is an IN list.
BIRTHDAY_MMDD = ExtractMonth("birthday") * 100 + ExtractDay("birthday")


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User | AnonymousUser) -> ContactQuerySet:
        return self.filter(of_visible_accounts(user))


class Contact(models.Model):
    """A member of the client's decision-making unit (buying centre)."""

    class DmuRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        INFLUENCER = "influencer", _("Influencer")
        USER_INITIATOR = "user_initiator", _("User / initiator")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        BUYER = "buyer", _("Buyer")
        FINANCIAL_APPROVER = "financial_approver", _("Financial approver")
        TECHNICAL_EXPERT = "technical_expert", _("Technical expert")

    class Attitude(models.TextChoices):
        CHAMPION = "champion", _("Champion")
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        SCEPTIC = "sceptic", _("Sceptic")
        OPPONENT = "opponent", _("Opponent")

    # Shown only to the account's owner and team, department heads and admins; views are logged.
    PERSONAL_FIELDS = ("birthday", "family", "hobbies", "values", "private_phone")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("account")
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    position = models.CharField(_("position"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    dmu_role = models.CharField(_("DMU role"), max_length=20, choices=DmuRole.choices, blank=True)
    influence = models.PositiveSmallIntegerField(
        _("influence"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = little, 5 = decisive"),
    )
    attitude = models.CharField(
        _("attitude"), max_length=10, choices=Attitude.choices, default=Attitude.NEUTRAL
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("reports to"),
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # Personal data.
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    family = models.TextField(_("family"), blank=True)
    hobbies = models.TextField(_("hobbies"), blank=True)
    values = models.TextField(_("values"), blank=True)
    private_phone = models.CharField(_("private phone"), max_length=40, blank=True)
    consent_given = models.BooleanField(_("consent to keep personal data"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    # Set by `consent_withdraw` (accounts.consent): while set, the personal fields are shown nowhere.
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="contact_influence_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["account"], condition=Q(is_primary=True), name="contact_one_primary_per_account"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "last_name"], name="contact_account_name_idx"),
            models.Index(BIRTHDAY_MMDD, name="contact_birthday_mmdd_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:contact", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonalDataAccess(models.Model):
    """One showing (or edit) of contacts' personal fields: who, when, through what, which contacts.

    One row per view of a page or API response, listing every contact whose personal fields it showed.
    """

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command")

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        EDIT = "edit", _("Edit")
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    # None: run from the command line without naming who (`export_personal_data`).
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal_data_accesses",
        verbose_name=_("user"),
    )
    contacts = models.ManyToManyField(
        Contact, related_name="personal_data_accesses", verbose_name=_("contacts")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.VIEW)
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user or '—'} {self.action} ({self.channel}) at {self.accessed_at:%Y-%m-%d %H:%M}"


class ContactConsent(models.Model):
    """When and how a contact agreed to us keeping their personal fields, and when they withdrew.

    The newest record is the contact's consent in force; `Contact.consent_given`, `consent_date` and
    `consent_withdrawn_on` repeat it so lists can filter on it (written by accounts.consent only).
    """

    class Channel(models.TextChoices):
        WRITTEN = "written", _("Written (signed form or letter)")
        EMAIL = "email", _("E-mail")
        VERBAL = "verbal", _("Verbal")
        WEB = "web", _("Web form")
        UNSPECIFIED = "unspecified", _("Not specified (recorded before the consent register)")

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consents", verbose_name=_("contact")
    )
    given_on = models.DateField(_("given on"))
    channel = models.CharField(_("how it was given"), max_length=12, choices=Channel.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["contact", "-given_on"], name="consent_contact_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.get_channel_display()} {self.given_on}"


class AccountChange(models.Model):
    """A change of an account's status, owner or key-client type: who, when, old → new (the timeline)."""

    TRACKED_FIELDS = ("status", "owner", "key_client_type")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="changes", verbose_name=_("account")
    )
    field = models.CharField(_("field"), max_length=40)
    old = models.CharField(_("old value"), max_length=200, blank=True)
    new = models.CharField(_("new value"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        indexes = [models.Index(fields=["account", "-changed_at"], name="accountchange_account_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.field}: {self.old} → {self.new}"


class TokenProfile(models.Model):
    """What knox does not keep about an API token: whether it may only read, and when it was last used."""

    token = models.OneToOneField(
        "knox.AuthToken",
        verbose_name=_("token"),
        to_field="digest",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("The token may only read (GET, HEAD, OPTIONS).")
    )
    # Written at most once a minute per token (accounts.token_services), not on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    def __str__(self) -> str:
        return self.token_id
