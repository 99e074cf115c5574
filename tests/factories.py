"""factory-boy factories for every model the tests build."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Account, AccountTeamMember, Contact, Department, User


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"dept-{n}")


PASSWORD = "secret-pass-123"  # every test user's


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.KAM
    # Hashed as the user is built, so that creating one is one INSERT (and one audit entry), not an
    # INSERT and then a save for the password.
    password = factory.LazyFunction(lambda: make_password(PASSWORD))

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class AccountFactory(DjangoModelFactory):
    """Builds accounts with their hierarchy path, as the services would."""

    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n:03d}")
    external_id = factory.Sequence(lambda n: f"F{n:05d}")
    status = Account.Status.ACTIVE
    owner = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        account = model_class(*args, **kwargs)
        account.save()
        parent_path = account.parent.path if account.parent else "/"
        account.path = f"{parent_path}{account.pk}/"
        account.save(update_fields=["path"])
        return account


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = AccountTeamMember

    account = factory.SubFactory(AccountFactory)
    user = factory.SubFactory(UserFactory)
    team_role = AccountTeamMember.TeamRole.SERVICE


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    position = "Head of Procurement"
    email = factory.LazyAttribute(lambda c: f"{c.first_name}.{c.last_name}@client.example".lower())
    dmu_role = Contact.DmuRole.BUYER
    influence = 3
    birthday = factory.Faker("date_of_birth", minimum_age=25, maximum_age=65)
    hobbies = "sailing"
    family = "married, two children"
    values = "reliability"
    private_phone = "+358 40 123 4567"
    consent_given = True


# --- dossiers ---


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = "dossiers.Interaction"

    account = factory.SubFactory(AccountFactory)
    kind = "meeting"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    summary = "Discussed next year's volumes"


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = "dossiers.Task"

    owner = factory.SubFactory(UserFactory)
    title = "Call back about the samples"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class CompetitorFactory(DjangoModelFactory):
    class Meta:
        model = "dossiers.Competitor"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Rival {n}")


class TenderFactory(DjangoModelFactory):
    class Meta:
        model = "dossiers.Tender"

    account = factory.SubFactory(AccountFactory)
    title = factory.Sequence(lambda n: f"Tender {n}")
    announced_on = dt.date(2026, 1, 10)
    submission_on = dt.date(2026, 10, 15)


class ComplaintFactory(DjangoModelFactory):
    """A case as stored (no service): medium, open, due in ten days unless told otherwise."""

    class Meta:
        model = "dossiers.ComplaintCase"

    account = factory.SubFactory(AccountFactory)
    owner = factory.LazyAttribute(lambda o: o.account.owner)
    severity = "medium"
    description = factory.Sequence(lambda n: f"Complaint {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))


class PresenceFactory(DjangoModelFactory):
    class Meta:
        model = "dossiers.CompetitorPresence"

    account = factory.SubFactory(AccountFactory)
    competitor = factory.SubFactory(CompetitorFactory)
    pressure = "price"
    threat_level = 3


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = "dossiers.AccountPlan"

    account = factory.SubFactory(AccountFactory)
    year = 2026


# --- retention: satisfaction surveys ---


DEFAULT_SURVEY_QUESTIONS = [
    ("How satisfied are you with us?", "scale", True),
    ("What could we do better?", "text", False),
]


class SurveyFactory(DjangoModelFactory):
    """A survey with a required scale question and an optional text one, unless `questions=[…]`
    gives (text, kind, required) tuples."""

    class Meta:
        model = "retention.Survey"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Satisfaction {n}")
    intro = "Tell us how we are doing."

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create:
            return
        rows = DEFAULT_SURVEY_QUESTIONS if extracted is None else extracted
        for position, (text, kind, required) in enumerate(rows):
            SurveyQuestionFactory(survey=self, position=position, text=text, kind=kind, required=required)


class SurveyQuestionFactory(DjangoModelFactory):
    class Meta:
        model = "retention.SurveyQuestion"

    survey = factory.SubFactory(SurveyFactory, questions=[])
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}")
    kind = "scale"
    required = True


class CommitmentFactory(DjangoModelFactory):
    """An open promise, due in a week, kept by the account's owner."""

    class Meta:
        model = "dossiers.Commitment"

    account = factory.SubFactory(AccountFactory)
    what = "Send the samples"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    owner = factory.LazyAttribute(lambda o: o.account.owner)
