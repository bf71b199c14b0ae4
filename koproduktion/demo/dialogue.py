"""The demo dialogue: ideas with places, arguments for and against, an official answer, a
contribution recorded at a workshop, and community rules. Written through the services, so the
counters, follows and notifications are what real use would leave."""

from __future__ import annotations

import datetime

from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality, Neighbourhood, Topic
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Idea, IdeaStatus, Source
from koproduktion.ideas.services import idea_create, idea_set_status, idea_support
from koproduktion.moderation.models import ReportReason
from koproduktion.moderation.services import community_rules_set, report_create
from koproduktion.projects.models import Project
from koproduktion.routing.models import Assignment

from .data import DEMO_PASSWORD
from .history import answered_at

# A fictional town needs a place on the map; this box lies in open country in Lower Saxony.
MUSTERSTADT_AREA = {"area_south": 52.10, "area_west": 9.30, "area_north": 52.16, "area_east": 9.42}

RULES_SUMMARY = (
    "Wir diskutieren sachlich und respektvoll. Beiträge, die beleidigen, diskriminieren, werben oder "
    "Privates über andere verraten, blendet die Moderation mit Begründung aus."
)
RULES_SUMMARY_EN = (
    "We discuss things factually and respectfully. Posts that insult, discriminate, advertise or "
    "reveal private details about others are hidden by the moderators, with a reason."
)
RULES_TEXT_EN = """\
1. **Respect**: criticise ideas, not people.
2. **Stay on topic**: every idea has its own place; please post new topics as a new idea.
3. **No advertising**, and no calls to vote for candidates or parties.
4. **Privacy**: no names, addresses or photos of others without their consent.
5. **Moderation**: we hide posts that break these rules, with a public reason. Whoever breaks
   them repeatedly is warned and may be blocked.
"""
RULES_TEXT = """\
1. **Respekt**: Kritisieren Sie Ideen, nicht Menschen.
2. **Beim Thema bleiben**: Jede Idee hat ihren eigenen Platz; neue Themen bitte als neue Idee.
3. **Keine Werbung** und keine Aufrufe zu Wahlen oder Parteien.
4. **Privatsphäre**: Keine Namen, Adressen oder Fotos anderer ohne deren Einverständnis.
5. **Moderation**: Wir blenden Beiträge, die gegen diese Regeln verstoßen, mit öffentlicher Begründung
   aus. Wer wiederholt verstößt, wird verwarnt und kann gesperrt werden.
"""

NEIGHBOURS = [
    ("anwohnerin@musterstadt.example", "Anwohnerin Hafenallee"),
    ("radler@musterstadt.example", "Radler vom Hafen"),
    ("mama-nordstadt@musterstadt.example", "Mama aus der Nordstadt"),
]


def seed_dialogue() -> None:
    municipality = Municipality.objects.get(slug="musterstadt")
    if municipality.area is None:
        Municipality.objects.filter(pk=municipality.pk).update(**MUSTERSTADT_AREA)
        municipality.refresh_from_db()
    admin = User.objects.get(email="admin@musterstadt.example")
    if not hasattr(municipality, "community_rules"):
        community_rules_set(
            actor=admin,
            municipality=municipality,
            text=RULES_TEXT,
            summary=RULES_SUMMARY,
            text_en=RULES_TEXT_EN,
            summary_en=RULES_SUMMARY_EN,
        )
    project = Project.objects.get(municipality=municipality, slug="fahrradstrasse-hafenallee")
    if Idea.objects.filter(project=project).exists():
        return

    people = []
    for email, name in NEIGHBOURS:
        person = User.objects.filter(email=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, public_name=name, email_confirmed_at=timezone.now()
        )
        membership_grant(user=person, municipality=municipality, role=Role.RESIDENT)
        people.append(person)
    lena = User.objects.get(email="buergerin@musterstadt.example")
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    mobility = Topic.objects.get(municipality=municipality, slug="mobilitaet")
    harbour = Neighbourhood.objects.get(municipality=municipality, slug="am-hafen")

    crossing = idea_create(
        actor=lena,
        project=project,
        topic=mobility,
        neighbourhood=harbour,
        title="Sichere Querung an der Lindenstraße",
        text="Kinder queren hier morgens auf dem Schulweg. Eine Mittelinsel oder ein Zebrastreifen "
        "würde helfen.",
        latitude=52.1312,
        longitude=9.3655,
        address="Hafenallee / Lindenstraße",
    )
    parking = idea_create(
        actor=people[0],
        project=project,
        topic=mobility,
        neighbourhood=harbour,
        title="Anwohnerparken statt Durchgangsverkehr",
        text="Wenn die Hafenallee Fahrradstraße wird, brauchen wir Anwohnerparken in den Seitenstraßen.",
        latitude=52.1298,
        longitude=9.3702,
        address="Kaistraße",
    )
    idea_create(
        actor=staff,
        project=project,
        topic=mobility,
        neighbourhood=harbour,
        source=Source.WORKSHOP,
        contributor_name="Teilnehmende der Quartierswerkstatt",
        title="Fahrradbügel am Hafenbecken",
        text="Beim Workshop im Hafenhaus wünschten sich viele Abstellplätze am Hafenbecken.",
        latitude=52.1285,
        longitude=9.3731,
        address="Am Hafenbecken",
    )
    for person in people:
        idea_support(actor=person, idea=crossing)
    idea_support(actor=lena, idea=parking)
    pro = comment_create(
        actor=people[1],
        idea=crossing,
        stance=Stance.PRO,
        text="Unbedingt! Dort wird oft zu schnell gefahren.",
    )
    narrow = comment_create(
        actor=people[0],
        idea=crossing,
        stance=Stance.CONTRA,
        text="Eine Mittelinsel macht die Straße für Lieferwagen zu eng.",
    )
    # The moderation queue has an idea and a comment to look at.
    report_create(
        reporter=people[1],
        idea=parking,
        reason=ReportReason.OFF_TOPIC,
        explanation="Parken gehört zu einem anderen Vorhaben.",
    )
    report_create(reporter=people[2], comment=narrow, reason=ReportReason.OTHER)
    comment_create(
        actor=people[2],
        idea=crossing,
        stance=Stance.QUESTION,
        parent=pro,
        text="Gibt es schon Zahlen, wie schnell dort gefahren wird?",
    )
    comment_create(
        actor=staff,
        idea=crossing,
        stance=Stance.NEUTRAL,
        official=True,
        text="Wir messen die Geschwindigkeit im Dezember und stellen die Zahlen hier vor.",
    )
    idea_set_status(
        actor=staff,
        idea=crossing,
        status=IdeaStatus.UNDER_REVIEW,
        reason="Die Verkehrsplanung prüft die Querung.",
    )
    # The three came in over the past weeks, the conversation after them.
    now = timezone.now()
    workshop = Idea.objects.get(project=project, source=Source.WORKSHOP)
    for idea, days_ago in ((crossing, 18), (parking, 12), (workshop, 21)):
        created = now - datetime.timedelta(days=days_ago)
        Idea.objects.filter(pk=idea.pk).update(created_at=created)
        Assignment.objects.filter(idea=idea, comment__isnull=True).update(received_at=created)
    for number, comment in enumerate(Comment.objects.filter(idea=crossing).order_by("pk")):
        asked = now - datetime.timedelta(days=16 - 3 * number)
        Comment.objects.filter(pk=comment.pk).update(created_at=asked)
        Assignment.objects.filter(comment=comment).update(received_at=asked)
        answered_at(comment, asked)
