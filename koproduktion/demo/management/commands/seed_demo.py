"""Fill the database with the demo towns. Safe to run again: what exists is left as it is.

The towns first (data.py), then each area in the order a year of participation builds up:
people, the dialogue, decisions, implementation, events, initiatives; then the numbers the texts
quote, and last the apps' own demo data (``seed_apps``). The services' rate limits guard live
requests and are lifted while the seed writes a year in a minute.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.activity.recording import recording_paused
from koproduktion.activity.services import activities_rebuild, funnel_compute
from koproduktion.core.models import Department, Municipality, Neighbourhood, Organisation, Topic
from koproduktion.core.ratelimit import DEFAULT_RATE_LIMITS
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant, town_slug
from koproduktion.demo.actors import seed_actors
from koproduktion.demo.conversation import seed_conversation
from koproduktion.demo.council import seed_council
from koproduktion.demo.data import DEMO_PASSWORD, MUNICIPALITIES, PLATFORM_ADMIN
from koproduktion.demo.decisions import seed_decisions
from koproduktion.demo.dialogue import seed_dialogue
from koproduktion.demo.events import seed_events
from koproduktion.demo.implementation import seed_implementation
from koproduktion.demo.initiatives import seed_initiatives
from koproduktion.demo.moderation import seed_moderation
from koproduktion.demo.numbers import seed_numbers
from koproduktion.demo.opinions import seed_opinion_map
from koproduktion.demo.people import seed_people
from koproduktion.demo.places import seed_places
from koproduktion.evaluation.demo import seed_evaluation
from koproduktion.practice.demo import seed_practice
from koproduktion.projects.models import Project
from koproduktion.projects.services import document_add, phase_schedule, project_create
from koproduktion.support.demo import seed_support
from koproduktion.townadmin.services import ORGANISATION_PATHS


class Command(BaseCommand):
    help = "Legt die Demo-Kommunen mit Quartieren, Vorhaben und Personen in allen Rollen an."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        unlimited = dict.fromkeys(DEFAULT_RATE_LIMITS, (None, None))
        # The acts are rebuilt from the data at the end of ``_seed``, with the demo's times.
        with override_settings(RATE_LIMITS=unlimited), recording_paused():
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind da."))

    def _seed(self) -> None:
        now = timezone.now()
        today = timezone.localdate()
        for spec in MUNICIPALITIES:
            self._municipality(spec, today)
        email, name = PLATFORM_ADMIN
        if not User.objects.filter(email=email).exists():
            User.objects.create_superuser(email, DEMO_PASSWORD, public_name=name)
        seed_dialogue()
        seed_places()
        residents = {}
        for spec in MUNICIPALITIES:
            town = Municipality.objects.get(slug=spec["slug"])
            residents[town.slug] = seed_people(town, now=now)
            seed_conversation(
                town,
                residents=residents[town.slug],
                staff=list(
                    User.objects.filter(
                        memberships__municipality=town,
                        memberships__role__in=(Role.STAFF, Role.COORDINATION),
                    ).order_by("pk")
                ),
                admin=User.objects.filter(
                    memberships__municipality=town,
                    memberships__role__in=(Role.ADMIN, Role.STAFF),
                )
                .order_by("memberships__role", "pk")
                .first(),
                target_phases={p["slug"]: p["phase"] for p in spec["projects"]},
                now=now,
            )
        musterstadt = Municipality.objects.get(slug="musterstadt")
        seed_moderation(musterstadt, now=now)
        seed_decisions(residents=residents["musterstadt"], now=now)
        seed_opinion_map()
        seed_implementation(now=now)
        seed_council()
        seed_events(residents=residents["musterstadt"])
        seed_initiatives(now=now)
        seed_actors()
        for spec in MUNICIPALITIES:
            seed_numbers(Municipality.objects.get(slug=spec["slug"]))
        seed_apps(musterstadt, now=now)
        # The acts of everything above with the times the demo gave it, and the funnel.
        for town in Municipality.objects.all():
            activities_rebuild(municipality=town, fresh=True)
            funnel_compute(municipality=town)

    def _municipality(self, spec: dict[str, Any], today: datetime.date) -> None:
        municipality, _ = Municipality.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "website": spec["website"],
                "support_quorum": spec.get("support_quorum"),
            },
        )
        neighbourhoods = {
            slug: Neighbourhood.objects.get_or_create(
                municipality=municipality, slug=slug, defaults={"name": name, "description": text}
            )[0]
            for slug, name, text in spec["neighbourhoods"]
        }
        departments = {
            name: Department.objects.get_or_create(
                municipality=municipality, name=name, defaults={"email": mail, "phone": phone}
            )[0]
            for name, mail, phone in spec["departments"]
        }
        topics = {
            slug: Topic.objects.get_or_create(
                municipality=municipality, slug=slug, defaults={"name": name}
            )[0]
            for slug, name in spec["topics"]
        }
        organisations = {
            name: Organisation.objects.get_or_create(
                municipality=municipality,
                name=name,
                defaults={
                    "kind": kind,
                    "slug": town_slug(Organisation, municipality.pk, name, ORGANISATION_PATHS),
                    "verified_at": timezone.now(),
                },
            )[0]
            for name, kind in spec["organisations"]
        }
        for name, profile in spec.get("profiles", {}).items():
            self._profile(organisations[name], profile, neighbourhoods, topics)
        for project_spec in spec["projects"]:
            if Project.objects.filter(
                municipality=municipality, slug=project_spec["slug"]
            ).exists():
                continue
            self._project(
                project_spec,
                municipality=municipality,
                neighbourhoods=neighbourhoods,
                departments=departments,
                topics=topics,
                today=today,
            )
        for email, public_name, role, organisation, department_names in spec["people"]:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    DEMO_PASSWORD,
                    public_name=public_name,
                    email_confirmed_at=timezone.now(),
                )
            membership_grant(
                user=user,
                municipality=municipality,
                role=role,
                organisation=organisations.get(organisation) if organisation else None,
                departments=[departments[name] for name in department_names],
            )

    def _profile(
        self,
        organisation: Organisation,
        profile: tuple[str, list[str], list[str], tuple[str, str, str]],
        neighbourhoods: dict[str, Neighbourhood],
        topics: dict[str, Topic],
    ) -> None:
        description, places, themes, (email, phone, address) = profile
        if organisation.description:
            return
        organisation.description = description
        organisation.contact_email, organisation.contact_phone = email, phone
        organisation.contact_address = address
        organisation.save()
        organisation.neighbourhoods.set([neighbourhoods[slug] for slug in places])
        organisation.topics.set([topics[slug] for slug in themes])

    def _project(
        self,
        spec: dict[str, Any],
        *,
        municipality: Municipality,
        neighbourhoods: dict[str, Neighbourhood],
        departments: dict[str, Department],
        topics: dict[str, Topic],
        today: datetime.date,
    ) -> None:
        days = datetime.timedelta
        project = project_create(
            municipality=municipality,
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            description=spec["description"],
            plain_summary=spec.get("plain_summary", ""),
            phase=spec.get("seeded_in", spec["phase"]),
            topic=topics[spec["topic"]],
            neighbourhood=neighbourhoods[spec["neighbourhood"]] if spec["neighbourhood"] else None,
            department=departments[spec["department"]],
            involved_departments=[departments[name] for name in spec.get("involved", ())],
            cost_estimate_cents=spec["cost_eur"] * 100 if spec["cost_eur"] is not None else None,
            next_decision_date=(
                today + days(spec["decision_in_days"]) if spec["decision_in_days"] else None
            ),
            is_published=not spec.get("draft", False),
        )
        for kind, start, end in spec["timeline"]:
            phase_schedule(
                project=project, kind=kind, starts_on=today + days(start), ends_on=today + days(end)
            )
        if project.is_published and spec["timeline"]:
            # As if it had gone public when its timeline began, not when the demo was seeded:
            # the charter measures time on the public list from it.
            first = today + days(min(start for _kind, start, _end in spec["timeline"]))
            Project.objects.filter(pk=project.pk).update(
                published_at=timezone.make_aware(datetime.datetime.combine(first, datetime.time(9)))
            )
        for title, url in spec["documents"]:
            document_add(project=project, title=title, url=url)


def seed_apps(municipality: Municipality, *, now: datetime.datetime) -> None:
    """Each app's own demo data, from its ``<app>/demo.py``: one line per app, in this order.

    A call looks like ``seed_support(municipality, now=now)``; it runs after everything above,
    so it may refer to the town's projects, ideas, people and events.
    """
    seed_support(municipality, now=now)
    seed_practice(municipality, now=now)
    seed_evaluation(municipality_slug=municipality.slug)
