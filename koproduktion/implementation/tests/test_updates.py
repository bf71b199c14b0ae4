"""Progress updates with photos: real images only, resized, without metadata; refusals store nothing."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from koproduktion.implementation import services
from koproduktion.implementation.images import MAX_UPLOAD_BYTES
from koproduktion.implementation.models import Update, UpdatePhoto
from koproduktion.implementation.tests.factories import resident_of, staff_of
from koproduktion.notifications.models import Notification
from koproduktion.notifications.services import follow
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps(width: int = 3000, height: int = 2000) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 7.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("baustelle.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_photo_is_resized_and_stripped_and_followers_hear(tmp_path):
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    follower = resident_of(project)
    follow(user=follower, project=project)
    update = services.update_post(
        actor=staff_of(project),
        project=project,
        text="Die Wände sind **gestrichen**.",
        posted_as="Fachbereich Soziales",
        photos=[(jpeg_with_gps(), "Frisch gestrichener Raum")],
    )
    photo = update.photos.get()
    assert (photo.width, photo.height) == (1600, 1067)
    with Image.open(photo.image.path) as stored:
        assert max(stored.size) == 1600
        assert not stored.getexif()
    note = Notification.objects.get(user=follower)
    assert "Fortschrittsbericht" in note.message
    assert note.get_kind_display() == "Umsetzung"


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (
            SimpleUploadedFile("boese.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
            "kein Foto",
        ),
        (
            SimpleUploadedFile("text.png", b"\x89PNG\r\n\x1a\nkaputt", content_type="image/png"),
            "kein Foto",
        ),
        (
            SimpleUploadedFile(
                "riesig.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1), content_type="image/jpeg"
            ),
            "8 MB",
        ),
    ],
)
def test_non_images_and_oversized_files_are_refused_and_nothing_is_stored(upload, reason, tmp_path):
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    with pytest.raises(ValidationError, match=reason):
        services.update_post(
            actor=staff_of(project),
            project=project,
            text="Bericht",
            photos=[(jpeg_with_gps(40, 30), "gut"), (upload, "schlecht")],
        )
    assert not Update.objects.exists()
    assert not UpdatePhoto.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_gif_is_not_accepted_and_photos_need_a_description():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    gif = SimpleUploadedFile("a.gif", buffer.getvalue())
    with pytest.raises(ValidationError, match="JPEG, PNG oder WebP"):
        services.update_post(
            actor=staff_of(project), project=project, text="x", photos=[(gif, "Bild")]
        )
    with pytest.raises(ValidationError, match="beschreiben"):
        services.update_post(
            actor=staff_of(project),
            project=project,
            text="x",
            photos=[(jpeg_with_gps(20, 20), " ")],
        )


def test_residents_without_responsibility_may_not_post():
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    with pytest.raises(PermissionDenied):
        services.update_post(actor=resident_of(project), project=project, text="Hallo")
