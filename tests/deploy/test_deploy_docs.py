"""docs/deploy.md: every command in it is run by a test (listed here with the test), and the
commands an administrator types are run here, pointed at a temporary folder."""
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.deploy.guide import DEPLOY, ROOT, command, commands, localise

BIN = os.path.dirname(sys.executable)
HERE = "tests/deploy/test_deploy_docs.py::"
UNITS = "tests/deploy/test_units.py::"
WHEEL = "tests/deploy/test_wheel.py::test_installed_wheel_migrates_postgresql_and_serves_arabic"

#: Each command of the guide (a regular expression) and the test that runs it. systemctl needs
#: a running systemd: for it, the units it starts are verified and their commands run.
EXERCISED = [
    (r"\.venv/bin/pip wheel --no-deps --wheel-dir dist \.", WHEEL),
    (r"python3 -m venv /opt/consult", WHEEL),
    (r"/opt/consult/bin/pip install (--upgrade )?dist/consult-[\d.]+-py3-none-any\.whl", WHEEL),
    (r"sudo -u postgres create(user|db) .*", HERE + "test_the_guides_database_commands_work"),
    (r"install -d -m 0755 /etc/consult|install -m 0600 deploy/consult\.env\.example .*|"
     r"install -m 0644 deploy/.*|ln -s /etc/nginx/.*",
     HERE + "test_the_guides_install_commands_place_the_files"),
    (r"set -a; \. /etc/consult/consult\.env; set \+a|/opt/consult/bin/consult .*",
     HERE + "test_the_guides_consult_commands_run_in_order"),
    (r"systemctl (daemon-reload|(enable --now|start|stop|restart) consult-.*)",
     UNITS + "test_units_pass_systemd_analyze_verify"),
    (r"curl -fsS http://127\.0\.0\.1:8000/healthz", UNITS + "test_web_unit_command_serves_healthz"),
    (r"systemctl start consult-backup\.service|ls -l /var/lib/consult-backups/",
     UNITS + "test_backup_unit_commands_make_a_private_dated_backup"),
    (r"caddy validate .*|systemctl reload caddy", HERE + "test_the_caddyfile_validates"),
    (r"nginx -t|systemctl reload nginx", HERE + "test_the_nginx_site_passes_nginx_t"),
]


def test_every_command_of_the_guide_is_run_by_a_test():
    guide = commands()
    unexercised = [c for c in guide if not any(re.fullmatch(p, c) for p, _ in EXERCISED)]
    unused = [p for p, _ in EXERCISED if not any(re.fullmatch(p, c) for c in guide)]
    missing = [where for _, where in EXERCISED
               if f"def {where.split('::')[1]}(" not in (ROOT / where.split("::")[0]).read_text()]
    assert (unexercised, unused, missing) == ([], [], [])


def run_lines(lines: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-euc", "\n".join(lines)], env=env, capture_output=True,
                          text=True, **kwargs)
    assert done.returncode == 0, f"{lines}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL (a PostgreSQL server)")
def test_the_guides_database_commands_work():
    """createuser/createdb as the guide says, as the server's administrator (here the test
    server's, not sudo), under a scratch name; the new role signs in with its password."""
    from sqlalchemy import create_engine, text

    server = make_url(POSTGRES_URL)
    name = f"{server.database}_guide"
    admin = {**os.environ, "PGHOST": server.host or "127.0.0.1", "PGPORT": str(server.port or 5432),
             "PGUSER": server.username or "postgres", "PGDATABASE": "postgres"}
    drop = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"DROP ROLE IF EXISTS {name}"]
    for statement in drop:
        subprocess.run(["psql", "-qc", statement], env=admin, check=True, capture_output=True)
    try:
        for line in (command("sudo -u postgres createuser"), command("sudo -u postgres createdb")):
            line = re.sub(r"\bconsult\b", name, line.removeprefix("sudo -u postgres "))
            # No terminal: createuser --pwprompt reads the password twice from stdin.
            run_lines([line], admin, input="a-long-role-password\n" * 2, start_new_session=True)
        engine = create_engine(server.set(drivername="postgresql+psycopg", username=name,
                                          password="a-long-role-password", database=name))
        with engine.connect() as connection:
            owner = connection.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                                            "WHERE datname = current_database()")).scalar()
        engine.dispose()
        assert owner == name
    finally:
        for statement in drop:
            subprocess.run(["psql", "-qc", statement], env=admin, capture_output=True)


def server_places(tmp_path) -> dict:
    """The server's paths the guide names, inside tmp_path (deploy/ is the checkout's)."""
    return {"/etc/": f"{tmp_path}/etc/", "/var/lib/consult-backups": tmp_path / "backups",
            "/var/backups": tmp_path / "var-backups", "/opt/consult/bin": BIN,
            "deploy/": f"{DEPLOY}/", "dist/": f"{tmp_path}/dist/"}


def test_the_guides_install_commands_place_the_files(tmp_path):
    for folder in ("systemd/system", "caddy", "nginx/sites-available", "nginx/sites-enabled"):
        (tmp_path / "etc" / folder).mkdir(parents=True)
    lines = [c for c in commands() if c.startswith(("install ", "ln -s "))]
    run_lines([localise(line, server_places(tmp_path)) for line in lines], dict(os.environ))

    etc = tmp_path / "etc"
    assert stat.S_IMODE((etc / "consult" / "consult.env").stat().st_mode) == 0o600  # secrets
    assert sorted(p.name for p in (etc / "systemd" / "system").iterdir()) == [
        "consult-backup.service", "consult-backup.timer", "consult-web.service",
        "consult-worker.service"]
    assert (etc / "caddy" / "Caddyfile").read_text() == (DEPLOY / "Caddyfile").read_text()
    assert (etc / "nginx" / "sites-enabled" / "consult").resolve() == \
        etc / "nginx" / "sites-available" / "consult"


@pytest.mark.slow
def test_the_guides_consult_commands_run_in_order(tmp_path):
    """Every `consult` command of the guide, in the guide's order, with the example
    environment file (a SQLite database here): set up, back up, restore, upgrade."""
    env_file = tmp_path / "etc" / "consult" / "consult.env"
    env_file.parent.mkdir(parents=True)
    (tmp_path / "var-backups").mkdir()
    backups = tmp_path / "backups"
    backups.mkdir()
    # The example as the administrator fills it in; here SQLite and a queue file.
    env_file.write_text((DEPLOY / "consult.env.example").read_text() + "\n".join([
        f"DATABASE_URL=sqlite:///{tmp_path}/consult.sqlite3",
        f"QUEUE_URL=sqlite:///{tmp_path}/queue.sqlite3", "RATELIMIT_STORAGE_URI=memory://",
        f"CONSULT_INSTANCE_PATH={tmp_path}/instance", ""]))
    places = server_places(tmp_path)
    lines = [c for c in commands() if c.startswith(("/opt/consult/bin/consult ", "set -a"))]
    restore_line = command("/opt/consult/bin/consult restore")
    # The guide restores last night's backup: make one there first, as the timer would.
    nightly = f"/opt/consult/bin/consult backup {restore_line.split()[-1]}"
    lines = [f"{nightly}\n{line}" if line == restore_line else line for line in lines]
    # Answers to the prompts: create-user's password (twice), restore's "replace?".
    answers = {"/opt/consult/bin/consult create-user": "<<< $'a-long-admin-password\\n"
                                                       "a-long-admin-password'",
               restore_line: "<<< y"}
    lines = [next((f"{line} {answer}" for start, answer in answers.items()
                   if line.split("\n")[-1].startswith(start)), line) for line in lines]
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    done = run_lines([localise(line, places) for line in lines], env, cwd=tmp_path,
                     start_new_session=True)

    assert done.stdout.count("The database is up to date.") == 3  # set-up, restore, upgrade
    assert "Created organisation coastal-voices." in done.stdout
    assert "Created admin@example.org." in done.stdout
    assert done.stdout.count("Backed up to") == 2 and "Restored" in done.stdout
    assert len(list((tmp_path / "var-backups").glob("consult-before-upgrade-*.dump"))) == 1


@pytest.mark.skipif(shutil.which("caddy") is None,
                    reason="caddy is not installed (Debian package caddy)")
def test_the_caddyfile_validates(tmp_path):
    line = localise(command("caddy validate"), {"/etc/caddy/Caddyfile": DEPLOY / "Caddyfile"})
    home = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path)}
    done = run_lines([line], {"PATH": os.environ["PATH"], **home})
    assert "Valid configuration" in done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"),
                    reason="nginx is not installed (Debian package nginx)")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    """nginx -t on the example site inside a minimal nginx.conf, with a throw-away
    certificate where the example expects Let's Encrypt's."""
    live = "/etc/letsencrypt/live/consult.example.org"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=consult.example.org", "-keyout", tmp_path / "privkey.pem",
                    "-out", tmp_path / "fullchain.pem"], check=True, capture_output=True)
    site = tmp_path / "consult"
    site.write_text((DEPLOY / "nginx.conf").read_text().replace(live, str(tmp_path)))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n    include {site};\n}}\n")
    line = command("nginx -t") + f" -c {main} -p {tmp_path} -e {tmp_path}/error.log"
    done = run_lines([line], {"PATH": f"{os.environ['PATH']}:/usr/sbin"})
    assert "test is successful" in done.stderr
