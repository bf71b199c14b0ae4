from __future__ import annotations

import factory
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import (
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Topic,
)
from koproduktion.core.roles import Role

PASSWORD = "ein-sicheres-Passwort-42"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Fachbereich {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Verein {n}")
    slug = factory.Sequence(lambda n: f"verein-{n}")
    # Confirmed by the town, as every organisation a town's admins set up.
    verified_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    public_name = factory.Sequence(lambda n: f"Person {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.RESIDENT
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda m: m.role == Role.ORGANISATION),
        yes_declaration=factory.SubFactory(
            OrganisationFactory, municipality=factory.SelfAttribute("..municipality")
        ),
        no_declaration=None,
    )


def person_with_role(
    municipality: Municipality, role: Role | None, *, departments=(), **user_fields
) -> User:
    """A confirmed person holding ``role`` in ``municipality`` (no role for ``None``), working in
    ``departments`` (staff)."""
    user = UserFactory(**user_fields)
    if role is not None:
        membership = MembershipFactory(user=user, municipality=municipality, role=role)
        if departments:
            membership.departments.set(departments)
    return user
