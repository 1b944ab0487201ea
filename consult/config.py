"""Documented defaults for every setting; no secrets here.

Order of precedence (create_app): these defaults, then instance/config.py, then environment
variables named in ENV_SETTINGS, then the mapping passed to create_app (tests).
"""
from datetime import timedelta

#: "development" allows a generated SECRET_KEY; anything else requires one to be configured.
ENV = "production"
#: Signs the session cookie and CSRF tokens. Required outside development.
SECRET_KEY = None
#: SQLAlchemy URL; None means the SQLite file instance/consult.sqlite3.
DATABASE_URL = None
SQLALCHEMY_TRACK_MODIFICATIONS = False

#: Interface languages. None: English (the source language) and every language with a catalog
#: in translations/, so adding one is `pybabel init -l xx` plus translating that catalog.
LANGUAGES = None
#: Languages a host may offer a consultation in. None: the interface languages.
CONTENT_LANGUAGES = None
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "UTC"
#: Name of the cookie that remembers the reader's chosen language.
LANGUAGE_COOKIE = "consult_lang"

#: Where the "quick exit" link on every participant page leads: a neutral, common site.
QUICK_EXIT_URL = "https://www.wikipedia.org/"

# Sessions: signed cookies, so any number of app instances can serve the same user.
SESSION_COOKIE_NAME = "consult_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
#: True in production (HTTPS); development over plain http sets it to False.
SESSION_COOKIE_SECURE = True
#: Absolute lifetime of a session (participants and staff alike).
PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
#: A session unused for this long is cleared (a shared phone left on the page).
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
#: Remember-me cookies are never issued; these settings keep Flask-Login's cookie safe anyway.
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SECURE = True
REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

#: CSRF tokens live as long as the session: a slow phone must not lose its answers.
WTF_CSRF_TIME_LIMIT = None
WTF_CSRF_SSL_STRICT = True

#: Largest request body accepted (bytes); larger ones get the translated 413 page.
MAX_CONTENT_LENGTH = 2 * 1024 * 1024
MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

# Rate limits (Flask-Limiter). memory:// is per process; use redis://host:6379 with several.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = False
#: Sign-in attempts allowed per client and per account.
LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
#: Contributions one client may make, by kind (web and API together). A client is a keyed
#: hash of its address and the current UTC day: counters are never linked from one day to the
#: next, and no window may be longer than a day (checked at start-up). Everyone behind one
#: address (a community meeting on one Wi-Fi, a mobile network's shared address) counts as
#: one client: raise these for such events. Over a limit: the translated 429, text kept.
SUBMISSION_RATE_LIMIT = "10 per minute;60 per hour"
COMMENT_RATE_LIMIT = "10 per minute;60 per hour"
VOTE_RATE_LIMIT = "120 per minute;1000 per hour"
REPORT_RATE_LIMIT = "10 per minute;30 per hour"
#: Ceilings per consultation, all clients together, so that many addresses (a botnet) still
#: cannot pad a consultation's figures quickly. Generous: a busy consultation stays open.
CONSULTATION_SUBMISSION_RATE_LIMIT = "600 per hour"
CONSULTATION_COMMENT_RATE_LIMIT = "600 per hour"
CONSULTATION_VOTE_RATE_LIMIT = "10000 per hour"
CONSULTATION_REPORT_RATE_LIMIT = "300 per hour"

#: Days a survey draft is kept after its last save; `consult purge-drafts` deletes older ones.
DRAFT_LIFETIME_DAYS = 30

#: Moderation: open reports from this many different participants hide a published comment
#: until a moderator has looked at it.
MODERATION_REPORTS_TO_HIDE = 3
#: Limits for new participants: those with fewer than NEW_PARTICIPANT_UNTIL comments published
#: before today. Over a limit they get the translated 429 page (links: a form error).
NEW_PARTICIPANT_UNTIL = 5
NEW_PARTICIPANT_COMMENTS_PER_DAY = 10
NEW_PARTICIPANT_SECONDS_BETWEEN_POSTS = 30
NEW_PARTICIPANT_LINKS_PER_COMMENT = 2

#: Time zone of a new consultation's days (IANA name; each consultation can set its own): a
#: consultation takes contributions until the end of its closing day there.
CONSULT_TIME_ZONE = "UTC"

#: Smallest number published in any aggregate unless a consultation sets its own.
DEFAULT_MIN_CELL_SIZE = 10
#: Publish survey counts and public moderation statistics perturbed by the cell-key method
#: (consult/analysis/cell_key.py): each response and comment carries a random key, and each
#: published count moves by -2..+2 as its records' keys decide, the same on every view, so
#: that padding a small group with known answers and subtracting them reveals nothing. Turn
#: off only to publish exact counts (tests that check exact figures do).
CELL_KEY_PERTURBATION = True
#: The public moderation statistics count decisions up to the end of yesterday, so that
#: someone adding comments one at a time gets one perturbed reading a day to average, not one
#: a comment. Turn off only to show decisions as they happen (tests that check counts do).
MODERATION_STATISTICS_UNTIL_YESTERDAY = True
#: Werkzeug hashing method for staff passwords (the test suite uses a cheap one for speed).
PASSWORD_HASH_METHOD = "scrypt"
#: Shortest staff password accepted.
MIN_PASSWORD_LENGTH = 12
#: Days an invitation link (staff invited into an organisation's role) works, once.
INVITATION_DAYS = 7
#: Hours a password reset link works (once) after it was asked for.
PASSWORD_RESET_HOURS = 2
#: Reset links one client, and one e-mail address, may ask for.
PASSWORD_RESET_RATE_LIMIT = "5 per hour;10 per day"
#: Second-factor codes one client, and one account, may try while signing in.
TWO_FACTOR_RATE_LIMIT = "5 per minute;20 per hour"
#: Require two-factor sign-in (an authenticator app, TOTP) of every site administrator, and
#: of every organisation's moderators, admins and hosts (hosts choose who moderates and can
#: switch an organisation's own requirement off, so they are held to it too). An
#: organisation's hosts can require it of its own members on its security page either way.
#: Whoever it applies to and has not set it up is sent to the setup page after signing in.
REQUIRE_TWO_FACTOR_FOR_SITE_ADMINS = False
REQUIRE_TWO_FACTOR_FOR_MODERATORS = False
#: The name authenticator apps show next to the account.
TWO_FACTOR_ISSUER = "Consult"

#: Reverse proxies in front of the app (0: none). With one, the client address used for rate
#: limits and the https scheme come from X-Forwarded-For/-Proto set by that proxy.
TRUSTED_PROXIES = 0

#: Machine translation of participants' words for staff: None (default) sends nothing
#: anywhere. "consult.machine_translation:libretranslate" uses a LibreTranslate server at
#: MACHINE_TRANSLATION_URL (ideally your own); any "module:factory" of your own works too.
MACHINE_TRANSLATOR = None
MACHINE_TRANSLATION_URL = None
MACHINE_TRANSLATION_API_KEY = None
#: Seconds to wait for the translator.
MACHINE_TRANSLATION_TIMEOUT = 10

#: The task queue (Huey). None: a SQLite file in instance/ (one machine, no extra server);
#: "redis://host:6379/0" for production and several nodes; "immediate" runs each task at
#: once in the process that queues it (the tests).
QUEUE_URL = None
#: A running job with no sign of life for this long is queued again (its worker died).
JOB_STALLED_AFTER = timedelta(minutes=15)
#: Exports of more counted responses than this are made by the worker and offered for
#: download when ready (with progress on the page); smaller ones stream at once.
EXPORT_INLINE_MAX_RESPONSES = 5000
#: Hours a finished export (and a background import's report) is kept before it is deleted.
EXPORT_KEEP_HOURS = 24
#: XLSForm and paper (CSV) files larger than this (bytes), or with more rows than
#: IMPORT_INLINE_MAX_ROWS (paper rows; XLSForm questions and choices), are imported by the
#: worker, the page showing its progress; smaller ones at once.
IMPORT_INLINE_MAX_BYTES = 256 * 1024
IMPORT_INLINE_MAX_ROWS = 500

#: The site's public address, for links in e-mail (no trailing slash).
BASE_URL = "http://127.0.0.1:5000"
#: "smtp" sends mail through MAIL_SERVER; "console" prints it (the default of `make run`).
MAIL_BACKEND = "smtp"
MAIL_SERVER = "localhost"
MAIL_PORT = 587
#: STARTTLS on MAIL_PORT (587); MAIL_USE_SSL for implicit TLS (465) instead.
MAIL_USE_TLS = True
MAIL_USE_SSL = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = "Consult <no-reply@localhost>"
#: Seconds to wait for the mail server.
MAIL_TIMEOUT = 30
#: Hour of the day (UTC, 0-23) from which the daily digest goes to the staff who asked for it
#: (accounts/notifications.py); a worker that was down at that hour sends it when it is back.
DIGEST_HOUR = 6

# SMS and USSD channels (consult/channels). Credentials live here, never in the database.
#: Secret for the keyed hash (HMAC-SHA256) that stands for a participant's phone number, and
#: for sealing a number that travels to the task queue. Required for any channel; changing it
#: starts every conversation afresh.
CHANNEL_NUMBER_KEY = None
#: Seconds to wait for a provider's API when sending.
CHANNEL_SEND_TIMEOUT = 15
#: Inbound messages one number may send (a survey takes about 15), and all numbers together
#: to one consultation's channels; over a limit a message is dropped without a reply (so a
#: flood costs the host nothing). Windows of at most a day, as the web's limits.
CHANNEL_NUMBER_RATE_LIMIT = "20 per minute;300 per day"
CHANNEL_CONSULTATION_RATE_LIMIT = "3000 per hour"
#: Africa's Talking: account user name and API key (sandbox: "sandbox" and the sandbox key).
CHANNEL_AFRICASTALKING_USERNAME = None
CHANNEL_AFRICASTALKING_API_KEY = None
#: Messaging API (the sandbox is https://api.sandbox.africastalking.com/version1/messaging).
CHANNEL_AFRICASTALKING_API_URL = "https://api.africastalking.com/version1/messaging"
#: Africa's Talking does not sign its callbacks: the callback URL carries this shared secret
#: (/channels/africastalking/sms/<secret>) or sends it in the header below. Unset: refused.
CHANNEL_AFRICASTALKING_CALLBACK_SECRET = None
CHANNEL_AFRICASTALKING_SECRET_HEADER = "X-Consult-Channel-Secret"
#: Kannel: its sendsms interface (smsbox's sendsms-port) and a send-sms user's credentials.
CHANNEL_KANNEL_SENDSMS_URL = "http://127.0.0.1:13013/cgi-bin/sendsms"
CHANNEL_KANNEL_USERNAME = None
CHANNEL_KANNEL_PASSWORD = None
#: The shared secret smsbox's get-url carries: /channels/kannel/sms/<secret>?... Unset: refused.
CHANNEL_KANNEL_CALLBACK_SECRET = None
#: Twilio: the account SID and its auth token (the token also verifies X-Twilio-Signature).
#: Twilio signs the webhook URL set in its console: set it to BASE_URL + /channels/twilio/sms
#: exactly (BASE_URL is the public address, so the signature holds behind a reverse proxy).
CHANNEL_TWILIO_ACCOUNT_SID = None
CHANNEL_TWILIO_AUTH_TOKEN = None
#: The REST API's base (…/2010-04-01/Accounts/{Sid}/Messages.json is added).
CHANNEL_TWILIO_API_URL = "https://api.twilio.com"
#: RapidPro or TextIt: the workspace's broadcasts endpoint and API token (replies go out as
#: broadcasts; TextIt: https://textit.com/api/v2/broadcasts.json).
CHANNEL_RAPIDPRO_API_URL = "https://app.rapidpro.io/api/v2/broadcasts.json"
CHANNEL_RAPIDPRO_API_TOKEN = None
#: RapidPro does not sign its webhooks: the flow's "Call Webhook" sends this shared secret in
#: the header below, or as the URL's last segment (/channels/rapidpro/sms/<secret>). Unset:
#: refused.
CHANNEL_RAPIDPRO_CALLBACK_SECRET = None
CHANNEL_RAPIDPRO_SECRET_HEADER = "X-Consult-Channel-Secret"

# Grievances (consult/grievances/): what people write to an independent reviewer is sealed to
# the reviewer's key, whose private half is stored under its staff's passphrase.
#: Argon2id cost of deriving the key from that passphrase: "moderate" (256 MiB, about a
#: second per unlock), "sensitive" (1 GiB) or "interactive" (64 MiB, for small servers;
#: cheaper to guess).
GRIEVANCE_KDF_COST = "moderate"
#: How long an opened inbox stays open for one staff session, in minutes.
GRIEVANCE_UNLOCK_MINUTES = 60
#: Public grievance statistics count cases up to yesterday (today's few would be traceable).
GRIEVANCE_STATISTICS_UNTIL_YESTERDAY = True

#: Environment variables read into settings, with the setting each one sets.
ENV_SETTINGS = {
    "CONSULT_ENV": "ENV",
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "DATABASE_URL",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED": "RATELIMIT_ENABLED",
    "QUICK_EXIT_URL": "QUICK_EXIT_URL",
    "CELL_KEY_PERTURBATION": "CELL_KEY_PERTURBATION",
    "MODERATION_STATISTICS_UNTIL_YESTERDAY": "MODERATION_STATISTICS_UNTIL_YESTERDAY",
    "CONSULT_TIME_ZONE": "CONSULT_TIME_ZONE",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "REQUIRE_TWO_FACTOR_FOR_SITE_ADMINS": "REQUIRE_TWO_FACTOR_FOR_SITE_ADMINS",
    "REQUIRE_TWO_FACTOR_FOR_MODERATORS": "REQUIRE_TWO_FACTOR_FOR_MODERATORS",
    "MACHINE_TRANSLATOR": "MACHINE_TRANSLATOR",
    "MACHINE_TRANSLATION_URL": "MACHINE_TRANSLATION_URL",
    "MACHINE_TRANSLATION_API_KEY": "MACHINE_TRANSLATION_API_KEY",
    "QUEUE_URL": "QUEUE_URL",
    "BASE_URL": "BASE_URL",
    "MAIL_BACKEND": "MAIL_BACKEND",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USE_SSL": "MAIL_USE_SSL",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_FROM": "MAIL_FROM",
    "DIGEST_HOUR": "DIGEST_HOUR",
    "CHANNEL_NUMBER_KEY": "CHANNEL_NUMBER_KEY",
    "GRIEVANCE_KDF_COST": "GRIEVANCE_KDF_COST",
    "GRIEVANCE_UNLOCK_MINUTES": "GRIEVANCE_UNLOCK_MINUTES",
    "GRIEVANCE_STATISTICS_UNTIL_YESTERDAY": "GRIEVANCE_STATISTICS_UNTIL_YESTERDAY",
    "CHANNEL_AFRICASTALKING_USERNAME": "CHANNEL_AFRICASTALKING_USERNAME",
    "CHANNEL_AFRICASTALKING_API_KEY": "CHANNEL_AFRICASTALKING_API_KEY",
    "CHANNEL_AFRICASTALKING_API_URL": "CHANNEL_AFRICASTALKING_API_URL",
    "CHANNEL_AFRICASTALKING_CALLBACK_SECRET": "CHANNEL_AFRICASTALKING_CALLBACK_SECRET",
    "CHANNEL_KANNEL_SENDSMS_URL": "CHANNEL_KANNEL_SENDSMS_URL",
    "CHANNEL_KANNEL_USERNAME": "CHANNEL_KANNEL_USERNAME",
    "CHANNEL_KANNEL_PASSWORD": "CHANNEL_KANNEL_PASSWORD",
    "CHANNEL_KANNEL_CALLBACK_SECRET": "CHANNEL_KANNEL_CALLBACK_SECRET",
    "CHANNEL_TWILIO_ACCOUNT_SID": "CHANNEL_TWILIO_ACCOUNT_SID",
    "CHANNEL_TWILIO_AUTH_TOKEN": "CHANNEL_TWILIO_AUTH_TOKEN",
    "CHANNEL_TWILIO_API_URL": "CHANNEL_TWILIO_API_URL",
    "CHANNEL_RAPIDPRO_API_URL": "CHANNEL_RAPIDPRO_API_URL",
    "CHANNEL_RAPIDPRO_API_TOKEN": "CHANNEL_RAPIDPRO_API_TOKEN",
    "CHANNEL_RAPIDPRO_CALLBACK_SECRET": "CHANNEL_RAPIDPRO_CALLBACK_SECRET",
}
