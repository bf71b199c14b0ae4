from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koproduktion.core.forms import HoneypotFormMixin, ReadabilityFormMixin
from koproduktion.ideas.models import Source

from .models import TEXT_MAX, Comment, Stance


class CommentForm(ReadabilityFormMixin, HoneypotFormMixin, forms.Form):
    stance = forms.ChoiceField(
        label=_("Ihre Haltung"),
        choices=Stance.choices,
        initial=Stance.NEUTRAL,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Ihr Kommentar"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        Comment._meta.get_field("text").run_validators(text)
        return text

    def __init__(
        self,
        *args: Any,
        official: bool = False,
        on_behalf: bool = False,
        readability_minimum: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if official:
            self.fields["official"] = forms.BooleanField(
                label=_("Als offizielle Antwort der Verwaltung kennzeichnen"), required=False
            )
            # Staff see how readable an answer is; an official one meets the town's minimum.
            self.enable_readability("text", minimum=readability_minimum)
        if on_behalf:
            self.fields["source"] = forms.ChoiceField(
                label=_("Herkunft"),
                choices=Source.choices,
                initial=Source.ONLINE,
                help_text=_("„online“ für Ihren eigenen Kommentar; sonst im Auftrag erfasst."),
            )
            self.fields["contributor_name"] = forms.CharField(
                label=_("Name der Person (bei Erfassung im Auftrag)"), max_length=80, required=False
            )
