"""A person who has done everything the platform records, for the privacy tests.

Counted things (supports, comments, answers, sign-ups, ballots, sponsorships) go through the
services, so the counters start right; records only staff make are written directly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from koproduktion.accounts.models import Invitation, RecoveryCode, TwoFactorDevice, User
from koproduktion.accounts.services import api_token_create
from koproduktion.accounts.two_factor import secret_seal
from koproduktion.activity.services import activities_rebuild
from koproduktion.actors.models import RepresentationRequest, RequestKind, RequestStatus
from koproduktion.core.models import AuditEntry, Block, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    person_with_role,
)
from koproduktion.decisions.models import (
    Body,
    CodeBatch,
    Decision,
    DecisionVersion,
    Outcome,
    Verification,
    VerificationCode,
    VerificationMethod,
)
from koproduktion.decisions.services import ballot_cast, ballot_pool_flush
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory, closed
from koproduktion.dialogue.models import Comment
from koproduktion.dialogue.services import comment_create
from koproduktion.evaluation.services import survey_answer
from koproduktion.evaluation.tests.factories import open_survey
from koproduktion.events.services import event_register
from koproduktion.events.tests.factories import EventFactory
from koproduktion.ideas.models import Idea, IdeaStatusChange, Source
from koproduktion.ideas.services import idea_create, idea_support
from koproduktion.implementation.models import CalendarToken, Shift, Task, Update
from koproduktion.implementation.services import task_commit
from koproduktion.implementation.tests.factories import MilestoneFactory, ShiftFactory, TaskFactory
from koproduktion.initiatives import services as initiatives
from koproduktion.initiatives.models import Initiative
from koproduktion.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from koproduktion.notifications.models import Follow, Kind, Notification, NotificationSettings
from koproduktion.opinions.models import PolisImport, Statement
from koproduktion.opinions.services import vote_cast
from koproduktion.opinions.tests.factories import OpinionMapFactory, StatementFactory
from koproduktion.practice.models import PracticeExample
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.sponsorships.models import Sponsorship
from koproduktion.sponsorships.services import sponsorship_apply, sponsorship_approve
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory
from koproduktion.support.models import SupportLink, SupportOffer

PSEUDONYM = "Radlerin vom Hafen"


@dataclass
class World:
    town: Municipality
    person: User
    neighbour: User
    staff: User
    dialogue: Project
    decision: Project
    implementation: Project
    idea: Idea
    task: Task
    shift: Shift
    statement: Statement


def _count_things(world: World) -> None:
    """Supports, comments, answers, sign-ups, a ballot and sponsorships, through the services."""
    person, neighbour, staff = world.person, world.neighbour, world.staff
    own_idea = idea_create(
        actor=person, project=world.dialogue, title="Mehr Bänke am Hafen", text="Zum Ausruhen."
    )
    idea_support(actor=person, idea=world.idea)
    idea_support(actor=person_with_role(world.town, Role.RESIDENT), idea=world.idea)
    idea_support(actor=neighbour, idea=own_idea)
    comment_create(actor=person, idea=world.idea, text="Bin dafür, gerade für Ältere.")
    comment_create(actor=neighbour, idea=own_idea, text="Gute Idee!")
    vote_cast(actor=person, statement=world.statement, value=1)
    vote_cast(actor=neighbour, statement=world.statement, value=-1)
    PolisImport.objects.create(municipality=world.town, project=world.dialogue, created_by=person)
    task_commit(actor=person, task=world.task, phone="0171 1234567", share_contact=True)
    task_commit(actor=person, task=world.shift.task, shift=world.shift)
    task_commit(actor=neighbour, task=world.task)
    poll = PollFactory(project=world.decision)
    option = PollOptionFactory(poll=poll, title="Ja zum Spielplatz")
    ballot_cast(voter=person, poll=poll, choices={option.pk: 1})
    # Counted at the close: from then on the ballot is a row of its own, unlinked to the voter.
    ballot_pool_flush(poll=closed(poll))
    tree = SponsorshipObjectFactory(municipality=world.town, name="Linde am Markt")
    bench = SponsorshipObjectFactory(municipality=world.town, name="Bank am Teich")
    running = sponsorship_apply(actor=person, obj=tree, motivation="Ich wohne gegenüber.")
    today = timezone.localdate()
    sponsorship_approve(
        actor=staff,
        sponsorship=running,
        term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=335),
        duties="Gießen im Sommer.",
    )
    sponsorship_apply(actor=person, obj=bench, motivation="Ich sitze da gern.")
    # A place at a workshop; the neighbour waits for it and moves up when the person leaves.
    workshop = EventFactory(project=world.dialogue, capacity=1)
    event_register(actor=person, event=workshop, note="Rollstuhlplatz")
    event_register(actor=neighbour, event=workshop)
    # An initiative of the person's own; support, a request to join and an offer for another.
    initiatives.initiative_start(
        actor=person,
        municipality=world.town,
        title="Bücherschrank",
        summary="Ein Schrank.",
        why="Für Bücher.",
        contact="0555 1",
    )
    garden = initiatives.initiative_start(
        actor=neighbour,
        municipality=world.town,
        title="Garten",
        summary="Ein Garten.",
        why="Für alle.",
    )
    initiatives.initiative_support(actor=person, initiative=garden)
    initiatives.initiative_join(actor=person, initiative=garden, message="Gern.")
    spades = initiatives.need_add(
        actor=neighbour, initiative=garden, kind="tools", description="Spaten"
    )
    initiatives.need_offer(actor=person, need=spades, message="Ich habe einen.", contact="0555 2")
    # An answer to an evaluation survey, with a free text that may say who wrote it.
    evaluated, _staff, (rating, _yes_no, text) = open_survey(municipality=world.town)
    survey_answer(
        actor=person, project=evaluated, values={rating.pk: 4, text.pk: "Ich wohne gegenüber."}
    )


def _staff_records(world: World) -> None:
    """What the person did as staff, and what others recorded about them."""
    person, town, idea = world.person, world.town, world.idea
    MembershipFactory(user=person, municipality=town, role=Role.STAFF)
    recorded = Idea.objects.create(
        municipality=town,
        project=world.dialogue,
        recorded_by=person,
        source=Source.PAPER,
        contributor_name="Frau Ziegler",
        title="Vom Bürgerfest",
        text="Auf Papier abgegeben.",
        comment_count=1,  # the comment recorded below
    )
    Comment.objects.create(
        municipality=town,
        project=world.dialogue,
        idea=recorded,
        recorded_by=person,
        source=Source.PHONE,
        text="Am Telefon gesagt.",
    )
    IdeaStatusChange.objects.create(
        municipality=town, idea=idea, old_status="new", new_status="new", changed_by=person
    )
    PracticeExample.objects.create(
        municipality=town,
        title="Offene Turnhalle",
        problem="Kein Ort.",
        approach="Aufgeschlossen.",
        year=2025,
        created_by=person,
    )
    Initiative.objects.create(
        municipality=town,
        title="Partnerschaft",
        slug="partnerschaft",
        summary="Angenommen.",
        why="Zum Zählen.",
        created_by=world.neighbour,
        state="accepted",
        partner_department=DepartmentFactory(municipality=town),
        contact_person=person,
    )
    # A support offer the person set up for the town, linked to a project by them.
    advice = SupportOffer.objects.create(
        municipality=town,
        title="Beratung für Initiativen",
        building_block="advice",
        summary="Eine Stunde mit der Koordinationsstelle.",
        state="published",
        created_by=person,
    )
    SupportLink.objects.create(
        municipality=town, offer=advice, project=world.dialogue, note="Passt.", linked_by=person
    )
    # An organisation the person confirmed for the town, a request of theirs to represent it,
    # and a neighbour's request the person declined.
    club = OrganisationFactory(municipality=town, verified_by=person)
    RepresentationRequest.objects.create(
        municipality=town,
        user=person,
        kind=RequestKind.JOIN,
        organisation=club,
        name=club.name,
        message="Kassenwartin seit 2020.",
    )
    RepresentationRequest.objects.create(
        municipality=town,
        user=world.neighbour,
        kind=RequestKind.JOIN,
        organisation=club,
        name=club.name,
        message="Mitglied.",
        status=RequestStatus.DECLINED,
        reason="Nicht im Vorstand.",
        decided_by=person,
        decided_at=timezone.now(),
    )
    Block.objects.create(
        municipality=town,
        user=person,
        reason="Beleidigung",
        created_by=person,
        lifted_at=timezone.now(),
    )
    Report.objects.create(
        municipality=town, reporter=person, idea=idea, reason=ReportReason.choices[0][0]
    )
    for field in ("moderator", "target_user"):
        ModerationAction.objects.create(
            municipality=town,
            kind=ActionKind.DISMISS,
            idea=idea,
            reason="geprüft",
            **{field: person},
        )
    Verification.objects.create(
        municipality=town,
        user=person,
        method=VerificationMethod.choices[0][0],
        birth_date=datetime.date(1980, 5, 17),
        verified_by=person,
    )
    batch = CodeBatch.objects.create(municipality=town, created_by=person, note="Nordstadt")
    VerificationCode.objects.create(
        municipality=town,
        batch=batch,
        code_hash="a" * 64,
        redeemed_by=person,
        redeemed_at=timezone.now(),
    )
    decision = Decision.objects.create(
        municipality=town,
        project=world.decision,
        title="Spielplatz",
        body=Body.COUNCIL,
        decided_on=timezone.localdate(),
        outcome=Outcome.ADOPTED,
        reasons="Mehrheit.",
        recorded_by=person,
    )
    DecisionVersion.objects.create(
        municipality=town,
        decision=decision,
        version=1,
        snapshot={},
        change_note="Tippfehler",
        edited_by=person,
    )
    StatementFactory(project=world.dialogue, author=person, is_seed=False)
    milestone = MilestoneFactory(project=world.implementation, responsible_group="Gartengruppe")
    milestone.group_members.add(person)
    Task.objects.filter(pk=world.task.pk).update(created_by=person)
    Update.objects.create(
        municipality=town, project=world.implementation, author=person, text="Beete angelegt."
    )
    CalendarToken.objects.create(user=person, token_hash="b" * 64)
    Sponsorship.objects.filter(sponsor=person).update(decided_by=person)
    Follow.objects.create(municipality=town, user=person, project=world.implementation)
    Notification.objects.create(
        municipality=town, user=person, kind=Kind.TASK, message="Morgen geht's los", url="/"
    )
    NotificationSettings.objects.create(user=person)
    api_token_create(user=person, name="Auswertung")
    TwoFactorDevice.objects.create(
        user=person, sealed_secret=secret_seal(user_id=person.pk, secret="JBSWY3DPEHPK3PXP")
    )
    RecoveryCode.objects.create(user=person, code_hash="c" * 64)
    LogEntry.objects.create(
        user=person,
        content_type=ContentType.objects.get_for_model(Project),
        object_id=str(world.dialogue.pk),
        object_repr=str(world.dialogue),
        action_flag=ADDITION,
    )
    for field in ("created_by", "accepted_by"):
        Invitation.objects.create(
            municipality=town,
            email=person.email if field == "accepted_by" else "eingeladen@example.org",
            roles=[Role.STAFF.value],
            token_hash=field.ljust(64, "d"),
            expires_at=timezone.now(),
            accepted_at=timezone.now() if field == "accepted_by" else None,
            **{field: person},
        )
    AuditEntry.objects.create(
        municipality=town,
        actor=person,
        actor_name=PSEUDONYM,
        action="projects.project_update",
        target_type="projects.project",
        target_id=world.dialogue.pk,
        target_repr=str(world.dialogue),
    )


def build_world() -> World:
    town = MunicipalityFactory()
    neighbour = person_with_role(town, Role.RESIDENT)
    dialogue = ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE)
    implementation = ProjectFactory(municipality=town, phase=PhaseKind.IMPLEMENTATION)
    OpinionMapFactory(project=dialogue)
    world = World(
        town=town,
        person=person_with_role(town, Role.RESIDENT, public_name=PSEUDONYM),
        neighbour=neighbour,
        staff=person_with_role(town, Role.STAFF),
        dialogue=dialogue,
        decision=ProjectFactory(municipality=town, phase=PhaseKind.DECISION),
        implementation=implementation,
        idea=idea_create(
            actor=neighbour, project=dialogue, title="Spielplatz am Park", text="Für Kinder."
        ),
        task=TaskFactory(project=implementation),
        shift=ShiftFactory(task=TaskFactory(project=implementation, date=None)),
        statement=StatementFactory(project=dialogue),
    )
    _count_things(world)
    _staff_records(world)
    # The acts of all of the above (recorded after a commit, which a test does not reach).
    activities_rebuild(municipality=town)
    return world
