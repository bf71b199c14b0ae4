"""The honeypot: invisible to people, a trap for form-filling bots."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from koproduktion.accounts.models import User
from koproduktion.core.forms import HoneypotFormMixin, InRangeModelMultipleChoiceField
from koproduktion.core.models import Topic
from koproduktion.core.tests.factories import MunicipalityFactory


class ContactForm(HoneypotFormMixin, forms.Form):
    text = forms.CharField(label="Text")


def test_an_empty_honeypot_passes_and_stays_out_of_the_data():
    form = ContactForm({"text": "Mehr Bänke am Markt", "website": ""})
    assert form.is_valid()
    assert form.cleaned_data == {"text": "Mehr Bänke am Markt"}


def test_a_missing_honeypot_passes():
    assert ContactForm({"text": "Mehr Bänke am Markt"}).is_valid()


def test_a_filled_honeypot_fails_with_a_neutral_message():
    form = ContactForm({"text": "Mehr Bänke am Markt", "website": "http://spam.example"})
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Ihre Eingaben konnten nicht verarbeitet werden. Bitte versuchen Sie es noch einmal."
    ]
    assert not form.errors.get("website")
    assert "website" not in form.cleaned_data


@pytest.mark.django_db
def test_it_works_on_a_model_form_too():
    class TopicForm(HoneypotFormMixin, forms.ModelForm):
        class Meta:
            model = Topic
            fields = ["name"]

    assert not TopicForm({"name": "Verkehr", "website": "x"}).is_valid()
    assert TopicForm({"name": "Verkehr"}).is_valid()


def test_a_form_with_a_field_of_the_honeypots_name_is_refused_at_once():
    """The honeypot would take the real field's place: people could never fill it in."""

    class ProfileForm(HoneypotFormMixin, forms.Form):
        website = forms.URLField(label="Website", assume_scheme="https")

    with pytest.raises(ImproperlyConfigured, match="'website'"):
        ProfileForm()


def test_the_form_template_hides_the_honeypot_from_eyes_keyboards_and_screen_readers():
    html = render_to_string("_form.html", {"form": ContactForm()})
    start = html.index('<div class="honeypot" aria-hidden="true">')
    wrapper = html[start : html.index("</div>", start)]
    assert '<label for="id_website">Bitte dieses Feld leer lassen</label>' in wrapper
    assert 'tabindex="-1"' in wrapper
    assert 'autocomplete="off"' in wrapper
    assert 'name="website"' in wrapper
    # The real field is rendered as usual, outside the wrapper.
    assert '<label for="id_text">Text</label>' in html[:start]


@pytest.mark.django_db
def test_registration_by_a_bot_creates_no_account(client):
    password = "Radweg-am-Fluss-2026"
    response = client.post(
        reverse("accounts:register"),
        {
            "email": "bot@example.org",
            "public_name": "Werbung",
            "municipality": MunicipalityFactory().pk,
            "password1": password,
            "password2": password,
            "accept_terms": "on",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 200
    assert "Ihre Eingaben konnten nicht verarbeitet werden" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_chosen_key_beyond_any_database_integer_is_an_invalid_choice():
    town = MunicipalityFactory()
    topic = Topic.objects.create(municipality=town, name="Mobilität", slug="mobilitaet")
    field = InRangeModelMultipleChoiceField(queryset=Topic.objects.all())
    assert list(field.clean([str(topic.pk)])) == [topic]
    for forged in ("99999999999999999999", "-99999999999999999999"):
        with pytest.raises(ValidationError) as refused:
            field.clean([str(topic.pk), forged])
        assert refused.value.messages == [
            f"Bitte eine gültige Auswahl treffen. {forged} ist keine gültige Auswahl."
        ]
