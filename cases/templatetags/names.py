"""Names in the script they are written in: tagged with their language and direction, so that
browsers pick a Chinese or Uyghur font, shape Arabic script and lay it out right to left."""

from __future__ import annotations

import unicodedata

from django import template
from django.utils.html import format_html

from cases.models import Script

register = template.Library()

# (BCP 47 language tag, writing direction) for each script a name can be in.
SCRIPT_LANGUAGE = {
    Script.HAN_SIMPLIFIED: ("zh-Hans", "ltr"),
    Script.HAN_TRADITIONAL: ("zh-Hant", "ltr"),
    Script.UYGHUR_ARABIC: ("ug-Arab", "rtl"),
    Script.TIBETAN: ("bo", "ltr"),
    Script.CYRILLIC: ("und-Cyrl", "ltr"),
}


def detected_script(text: str) -> str:
    """The script of a name nobody classified, from its first letter outside Latin."""
    for char in text:
        if not char.isalpha() or char.isascii():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CJK"):
            return Script.HAN_SIMPLIFIED
        if name.startswith("ARABIC"):
            return Script.UYGHUR_ARABIC
        if name.startswith("TIBETAN"):
            return Script.TIBETAN
        if name.startswith("CYRILLIC"):
            return Script.CYRILLIC
    return Script.LATIN


@register.simple_tag
def name_in_script(text: str, script: str = "") -> str:
    """``text`` in a <bdi> carrying its language and direction; Latin-script text as it is."""
    if not text:
        return ""
    script = script if script and script != Script.OTHER else detected_script(text)
    if script not in SCRIPT_LANGUAGE:
        return format_html("{}", text)
    language, direction = SCRIPT_LANGUAGE[script]
    return format_html('<bdi lang="{}" dir="{}">{}</bdi>', language, direction, text)


@register.simple_tag(takes_context=True)
def original_name_of(context, person) -> str:
    """A person's name in its original script, as the visibility policy lets this reader see it."""
    from extraditions.visibility import original_name

    return original_name(person, context["request"].user)
