"""Free text keeps the language it is written in: declared, corrected only when clear."""
import pytest

from consult.analysis.languages import written_language

SHIPPED = ["en", "fr", "es", "pt", "ar", "sw"]


@pytest.mark.parametrize("text,expected", [
    ("The street lights by the market have been broken for months.", "en"),
    ("Les lampadaires près du marché sont cassés depuis des mois.", "fr"),
    ("Las farolas junto al mercado llevan meses rotas.", "es"),
    ("Os postes de luz perto do mercado estão quebrados há meses.", "pt"),
    ("مصابيح الشارع قرب السوق معطلة منذ أشهر", "ar"),
    ("Taa za barabarani karibu na soko zimeharibika kwa miezi kadhaa.", "sw"),
])
def test_text_clearly_in_another_language_is_relabelled(text, expected):
    declared = "fr" if expected != "fr" else "en"
    assert written_language(text, declared, SHIPPED) == expected


def test_text_in_the_declared_language_keeps_it():
    assert written_language("Nous voulons plus de patrouilles le soir.", "fr", SHIPPED) == "fr"


@pytest.mark.parametrize("text", ["ok", "Yes!", "Sawa kabisa", "12345 67890 1234567"])
def test_short_text_keeps_the_declared_language(text):
    assert written_language(text, "ar", SHIPPED) == "ar"


def test_regional_codes_come_back_as_given():
    text = "Os postes de luz perto do mercado estão quebrados há meses."
    assert written_language(text, "en", ["en", "pt-BR"]) == "pt-BR"
