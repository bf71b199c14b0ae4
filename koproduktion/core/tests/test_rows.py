"""Rows of hand-written SQL made into instances: the same values as the ORM reads, on SQLite
and PostgreSQL alike (dates with their time zone, booleans as booleans)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.roles import Role
from koproduktion.core.rows import columns, from_row
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role


def _read(model, pk):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(model, connection)} FROM {model._meta.db_table} "  # noqa: S608
            f"WHERE {model._meta.pk.column} = %s",
            [pk],
        )
        return from_row(model, cursor.fetchone(), connection)


@pytest.mark.django_db
def test_a_person_read_by_hand_is_the_person_the_orm_reads():
    person = person_with_role(MunicipalityFactory(), Role.RESIDENT)
    person.last_login = timezone.now() - datetime.timedelta(days=2)
    person.is_staff = True
    person.save()

    made, read = _read(User, person.pk), User.objects.get(pk=person.pk)

    for field in User._meta.concrete_fields:
        assert getattr(made, field.attname) == getattr(read, field.attname), field.name
    assert made.last_login.tzinfo is not None
    assert made.is_staff is True
    assert made.is_active is True
    assert made._state.adding is False
    assert made._state.db == connection.alias


@pytest.mark.django_db
def test_a_session_read_by_hand_is_the_session_the_orm_reads():
    expires = timezone.now() + datetime.timedelta(hours=1)
    Session.objects.create(session_key="k" * 32, session_data="data", expire_date=expires)

    made = _read(Session, "k" * 32)

    assert (made.session_key, made.session_data, made.expire_date) == ("k" * 32, "data", expires)
