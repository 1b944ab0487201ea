"""The words a participant types to steer an SMS conversation (STOP, HELP, BACK, SKIP; APPEAL
and YES), understood in every language offered and in each catalog's translation."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

#: Command words understood in any language (so STOP works before a language is chosen),
#: besides each catalog's translation of the English word (COMMANDS below).
COMMAND_WORDS = {
    "stop": {"STOP", "ARRET", "ARRÊT", "ALTO", "PARAR", "SIMAMA", "ACHA", "توقف", "قف"},
    "help": {"HELP", "AIDE", "AYUDA", "AJUDA", "MSAADA", "مساعدة"},
    "back": {"BACK", "RETOUR", "ATRAS", "ATRÁS", "VOLTAR", "RUDI", "رجوع"},
    "skip": {"SKIP", "PASSER", "SALTAR", "PULAR", "RUKA", "تخطي"},
}
#: The command words as a participant is told them, translated (one word each).
COMMANDS = {
    # Translators: a one-word SMS command; the participant types it to stop the conversation.
    "stop": _l("STOP"),
    # Translators: a one-word SMS command asking for help.
    "help": _l("HELP"),
    # Translators: a one-word SMS command going back to the previous question.
    "back": _l("BACK"),
    # Translators: a one-word SMS command skipping a question that is not required.
    "skip": _l("SKIP"),
}

#: Words of the comment and "you said, we did" features, in any language (see WORDS).
REPLY_WORDS = {
    "appeal": {"APPEAL", "APPEL", "APELACION", "APELACIÓN", "APELAR", "RECURSO", "RECORRER",
               "RUFAA", "استئناف", "طعن", "اعتراض"},
    "yes": {"YES", "OUI", "SI", "SÍ", "SIM", "NDIO", "NDIYO", "نعم"},
}
#: The same words as a participant is told them, translated (one word each).
WORDS = {
    # Translators: a one-word SMS command; the participant types it, then their reason, to
    # appeal a moderator's decision on their comment.
    "appeal": _l("APPEAL"),
    # Translators: a one-word SMS reply accepting an offer (to be texted the planners' answer).
    "yes": _l("YES"),
}


def command(text: str, language: str | None) -> str | None:
    """The command a message is ("stop", "help", "back", "skip"), or None."""
    word = text.strip().upper()
    if not word or " " in word:
        return None
    for name, words in COMMAND_WORDS.items():
        if word in words:
            return name
    if language:
        with force_locale(language):
            for name, translated in COMMANDS.items():
                if word == str(translated).upper():
                    return name
    return None


def first_word(text: str, name: str, language: str | None) -> bool:
    """Whether text starts with the word name ("appeal", "yes") in any language."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return False
    word = words[0].upper().rstrip(".,:;!")
    if word in REPLY_WORDS[name]:
        return True
    if language:
        with force_locale(language):
            return word == str(WORDS[name]).upper()
    return False
