"""The ``pressroom`` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(help="Pressroom: press conferences, journalists' questions and official "
                       "answers for government press offices.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
audit_app = typer.Typer(help="The event record (who did what).", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")

ROOT = Path(__file__).resolve().parent.parent


def _alembic_config(url: str | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini")) if (ROOT / "alembic.ini").exists() else Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade_database(url: str | None = None) -> None:
    from alembic import command

    command.upgrade(_alembic_config(url), "head")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database (PRESSROOM_DATABASE_URL) to the newest schema (and fill the search
    index if it is empty: the first upgrade that has one)."""
    upgrade_database()
    typer.echo("Database is up to date.")
    from sqlalchemy import func, select

    from pressroom.core.db import open_session
    from pressroom.search.models import SearchEntry

    with open_session() as session:
        empty = session.execute(select(func.count()).select_from(SearchEntry)).scalar_one() == 0
    if empty:
        search_reindex()


search_app = typer.Typer(help="The search index.", no_args_is_help=True)
app.add_typer(search_app, name="search")


@search_app.command("reindex")
def search_reindex() -> None:
    """Put every public answer, conference and published transcript in the search index
    again (after an upgrade, or an import that wrote records directly)."""
    from pressroom.core.db import open_session
    from pressroom.publishing.service import rebuild_search, search_sources

    with open_session(writing=True) as session:
        with typer.progressbar(length=search_sources(session), label="Indexing",
                               show_pos=True) as bar:
            count = rebuild_search(session, progress=lambda _done: bar.update(1))
        session.commit()
    typer.echo(f"The search index holds {count} entries.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web pages and the API (and render published PDFs in the background)."""
    import uvicorn

    # Live pages hold event streams open: on shutdown they are closed after a few seconds
    # (the browsers reconnect to another process) instead of being waited for.
    uvicorn.run("pressroom.main:create_app", factory=True, host=host, port=port,
                workers=workers, proxy_headers=True, log_level="info",
                timeout_graceful_shutdown=5)


@app.command()
def worker(
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Render published PDFs.")] = True,
    mail: Annotated[bool, typer.Option("--mail/--no-mail",
                                       help="Send notification mail.")] = True,
) -> None:
    """Render published PDFs and send notification mail without serving pages (when the
    server runs with PRESSROOM_PDF_WORKER=0 and PRESSROOM_MAIL_WORKER=0, e.g. scaled out;
    several workers may run at once). Stops on Ctrl+C or SIGTERM."""
    import signal
    import time

    workers: list[Any] = []
    if pdf:
        from pressroom.publishing.service import PdfWorker

        workers.append(PdfWorker())
    if mail:
        from pressroom.answers.reminders import Reminders
        from pressroom.notifications.dispatcher import MailWorker

        workers.append(MailWorker(jobs=[Reminders()]))
    for started in workers:
        started.start()
    typer.echo(f"Worker running ({', '.join(n for n, on in (('PDFs', pdf), ('mail', mail)) if on)})"
               "; Ctrl+C to stop.")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl+C
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        for running in workers:
            running.stop()


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    serve_site: Annotated[bool, typer.Option("--serve/--no-serve",
                                             help="Serve the site after loading.")] = True,
) -> None:
    """Migrate the database, load the Vietnamese demo data (once, into an empty database),
    print one login per role and serve the site."""
    from sqlmodel import select

    from pressroom.accounts.models import User
    from pressroom.core.config import get_settings
    from pressroom.core.db import open_session
    from pressroom.demo import DEMO_PASSWORD, DEMO_PORTAL, demo_logins, load_demo
    from pressroom.publishing.service import render_pending

    # The demo's portal identity, for this process and the server it starts; an identity set
    # in the environment (or .env) wins.
    if not any(getattr(get_settings(), name) for name in DEMO_PORTAL):
        for name, value in DEMO_PORTAL.items():
            os.environ[f"PRESSROOM_{name.upper()}"] = value
        get_settings.cache_clear()
    upgrade_database()
    with open_session(writing=True) as session:
        if session.exec(select(User)).first() is None:
            logins = load_demo(session)
            session.commit()
            typer.echo("Demo data loaded.")
        else:
            logins = demo_logins(session)
            typer.echo("The database already holds data; demo data not loaded again.")
        render_pending(session)
        session.commit()
    typer.echo(f"\nPressroom demo on http://{host}:{port}/")
    if logins:
        typer.echo(f"Demo logins (password for all: {DEMO_PASSWORD}, unless changed since):")
        for login in logins[:4]:  # one per role: journalist, officer, spokesperson, admin
            typer.echo(f"  {login.role.value:<13} {login.email}  ({login.full_name})")
    else:
        typer.echo("This database holds no demo accounts; log in with your own.")
    sys.stdout.flush()
    if serve_site:
        serve(host=host, port=port, workers=1)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the event record's hash chain; name the first broken link (exit code 1)."""
    from pressroom.core import audit
    from pressroom.core.db import open_session

    with open_session() as session:
        count, broken = audit.verify(session)
    if broken is not None:
        typer.echo(f"BROKEN at event {broken.event_id} (event {count} in order): "
                   f"{broken.reason}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {count} events, the hash chain is intact.")


@app.command()
def reminders() -> None:
    """Tell what is due now, once: answers due within two working days or overdue, and
    scheduled publications whose time has come (the mail worker does this every minute)."""
    from pressroom.answers.reminders import remind
    from pressroom.core.db import open_session

    with open_session(writing=True) as session:
        done = remind(session)
        session.commit()
    typer.echo(f"Told: {done.due_soon} due soon, {done.overdue} overdue, "
               f"{done.published} of a publication.")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login e-mail.")],
    full_name: Annotated[str, typer.Option(help="Full name as shown on pages.")],
    role: Annotated[str, typer.Option(help="journalist, unit_officer, spokesperson or admin.")],
    organization_id: Annotated[int | None, typer.Option(
        help="Organisation (id) of a unit officer or spokesperson.")] = None,
    outlet: Annotated[str, typer.Option(help="Press agency of a journalist.")] = "",
    press_card: Annotated[str, typer.Option(help="Press card number of a journalist.")] = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True,
                                          help="At least 10 characters.")] = "",
) -> None:
    """Create an account with a role (and organisation or press agency)."""
    from pressroom.accounts import service
    from pressroom.accounts.enums import Role
    from pressroom.core.db import open_session
    from pressroom.core.errors import PressroomError
    from pressroom.organizations.service import add_member

    try:
        chosen = Role(role)
    except ValueError:
        raise typer.BadParameter("role must be journalist, unit_officer, spokesperson or admin",
                                 param_hint="--role") from None
    with open_session(writing=True) as session:
        try:
            out = service.get_or_create_outlet(session, name=outlet) if outlet else None
            user = service.create_user(session, email=email, full_name=full_name,
                                       password=password, role=chosen, outlet=out,
                                       press_card_number=press_card)
            if chosen in (Role.UNIT_OFFICER, Role.SPOKESPERSON):
                if organization_id is None:
                    raise typer.BadParameter("a unit officer or spokesperson needs an "
                                             "organisation", param_hint="--organization-id")
                add_member(session, user_id=user.id or 0, organization_id=organization_id)
        except PressroomError as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            typer.echo(f"Error: {exc.message} {details}".strip(), err=True)
            raise typer.Exit(1) from None
        session.commit()
    typer.echo(f"Created {chosen.value} {user.email} (id {user.id}).")


# --- pressroom import ---------------------------------------------------------------------
SHOWN_REFUSALS = 100  # refused lines printed at the end; --report FILE holds them all


@app.command("import")
def import_archive(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="JSON Lines (.jsonl) or CSV (.csv), UTF-8: one question and its "
                             "answer a line (the README gives the fields).")],
    by: Annotated[str, typer.Option(
        "--by", metavar="EMAIL", help="The account that imports: an administrator, or a "
                                      "spokesperson (their ministries' records only); recorded "
                                      "as approver and in the event record.")],
    report: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Also write the refused lines (line, source_id, reason) to this "
                             "CSV file.")] = None,
    batch: Annotated[int, typer.Option(min=1, max=5000,
                                       help="Records committed together.")] = 500,
) -> None:
    """Publish past questions and answers from an archive, line by line: good lines are
    imported, refused ones listed with their reason. Records imported before (same source_id)
    are left as they are, so running it again imports nothing new. Exit code 0: every line
    imported or already there; 1: some lines refused (the others are imported); 2: the file
    or the account could not be used (nothing imported)."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import IntegrityError

    from pressroom.accounts.models import User
    from pressroom.answers import archive
    from pressroom.answers.service import import_archive as import_records
    from pressroom.core.db import open_session
    from pressroom.core.errors import PressroomError

    def fail(message: str) -> NoReturn:
        typer.echo(f"Error: {message}", err=True)
        raise typer.Exit(2)

    try:
        lines = archive.read_file(file)
    except archive.FileUnreadable as exc:
        fail(str(exc))
    imported = 0
    refused: list[archive.Refusal] = []
    already: list[archive.Refusal] = []
    with open_session(writing=True) as session:
        actor = session.execute(select(User).where(
            func.lower(User.email) == by.strip().lower())).scalar_one_or_none()
        if actor is None or not actor.is_active:
            fail(f"no active account with the e-mail {by!r} (--by).")
        checker = archive.Checker(session, actor)
        with typer.progressbar(length=len(lines), label="Importing", show_pos=True,
                               file=sys.stderr) as bar:
            for chunk in archive.batches(lines, batch):
                records, refusals, done = checker.check(chunk)
                try:
                    imported += len(import_records(session, actor=actor, records=records))
                    session.commit()
                except PressroomError as exc:
                    session.rollback()
                    fail(exc.message)
                except IntegrityError as exc:  # another import of the same ids at this moment
                    session.rollback()
                    refusals += [archive.Refusal(r.number, r.source_id, "not saved: "
                                                 f"{type(exc.orig).__name__} (run it again)")
                                 for r in records]
                    refusals.sort(key=lambda r: r.number)
                refused += refusals
                already += done
                bar.update(len(chunk))
    _tell_import(imported, already, refused, report)
    if refused:
        raise typer.Exit(1)


def _tell_import(imported: int, already: list[Any], refused: list[Any],
                 report: Path | None) -> None:
    import csv

    def records(count: int) -> str:
        return f"{count} record" + ("" if count == 1 else "s")

    if imported == 0 and already and not refused:
        typer.echo(f"Nothing new: all {records(len(already))} were imported before.")
    else:
        typer.echo(f"Imported {records(imported)}"
                   + (f"; {records(len(already))} imported before, left as they are"
                      if already else "")
                   + (f"; {len(refused)} refused:" if refused else "."))
    for refusal in refused[:SHOWN_REFUSALS]:
        typer.echo(f"  line {refusal.number}"
                   + (f" ({refusal.source_id})" if refusal.source_id else "")
                   + f": {refusal.reason}")
    if len(refused) > SHOWN_REFUSALS:
        typer.echo(f"  … and {len(refused) - SHOWN_REFUSALS} more"
                   + ("" if report else " (--report FILE writes them all)") + ".")
    if report is not None:
        try:
            with report.open("w", encoding="utf-8-sig", newline="") as out:  # for Excel
                writer = csv.writer(out)
                writer.writerow(["line", "source_id", "reason"])
                writer.writerows([r.number, r.source_id, r.reason] for r in refused)
        except OSError as exc:
            typer.echo(f"Error: cannot write {report}: {exc.strerror or exc}.", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"Refused lines written to {report}.")


# --- pressroom duplicates ------------------------------------------------------------------
duplicates_app = typer.Typer(help="Duplicate questions (text similarity).", no_args_is_help=True)
app.add_typer(duplicates_app, name="duplicates")


def _read_pairs(file: str) -> list[tuple[str, str]]:
    """The (a, b) texts of a JSON Lines file ("-": standard input), blank lines skipped;
    exits 1 naming the first line that is not a JSON object with string "a" and "b"."""
    import json

    def fail(message: str) -> NoReturn:
        typer.echo(f"Error: {message}", err=True)
        raise typer.Exit(1)

    try:
        data = (typer.get_binary_stream("stdin").read() if file == "-"
                else Path(file).read_bytes())
        text = data.decode("utf-8-sig")
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}.")
    except UnicodeDecodeError:
        fail(f"{'standard input' if file == '-' else file} is not UTF-8 text.")
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            fail(f"line {number} is not valid JSON ({exc.msg}).")
        if not (isinstance(row, dict) and isinstance(row.get("a"), str)
                and isinstance(row.get("b"), str)):
            fail(f'line {number} needs "a" and "b", each a question\'s title and text '
                 "as a string.")
        pairs.append((row["a"], row["b"]))
    return pairs


@duplicates_app.command("reindex")
def duplicates_reindex() -> None:
    """Read every stored question again into the duplicate index (after an upgrade that
    changed the text engine, or an import that wrote questions directly)."""
    from sqlmodel import select

    from pressroom.core.db import open_session
    from pressroom.questions.models import Question
    from pressroom.questions.service import index_terms

    count = 0
    with open_session(writing=True) as session:
        for question in session.exec(select(Question)):
            index_terms(session, question)
            count += 1
        session.commit()
    typer.echo(f"Indexed {count} questions.")


@duplicates_app.command("score")
def duplicates_score(
    file: Annotated[str, typer.Argument(
        metavar="FILE", help='JSON Lines, one {"a": "...", "b": "..."} a line (each a '
                             'question\'s title, a newline and its text; other keys are '
                             'ignored); "-" reads standard input.')],
) -> None:
    """Print each pair's similarity score (0 to 1, four decimals), one a line in input order;
    a pair scoring at least the shipped threshold is a duplicate."""
    from pressroom.questions.similarity import profile, score_profiles

    pairs = _read_pairs(file)
    if pairs:
        typer.echo("\n".join(f"{score_profiles(profile(a), profile(b)):.4f}" for a, b in pairs))


if __name__ == "__main__":
    app()


reach_app = typer.Typer(help="Reach: page views and PDF downloads, counted per day.",
                        no_args_is_help=True)
app.add_typer(reach_app, name="reach")


@reach_app.command("import-log")
def reach_import_log(
    file: Annotated[Path, typer.Argument(help="A proxy access log in the combined format "
                                              "(nginx, Apache); .gz is read too.",
                                         exists=True, dir_okay=False, readable=True)],
) -> None:
    """Add the page views and PDF downloads in a proxy's access log (what a shared cache or a
    mirror served) to the day counters, as PRESSROOM_REACH_VIEWS / PRESSROOM_REACH_DOWNLOADS
    say (=log). Import each log once: a file already imported, or the part of a grown file
    already read, is not counted again."""
    import gzip

    from pressroom.core.config import get_settings
    from pressroom.core.db import open_session
    from pressroom.core.errors import ValidationFailed
    from pressroom.core.i18n import in_locale
    from pressroom.reach.service import import_log

    with open_session(writing=True) as session, (
            gzip.open(file, "rb") if file.suffix == ".gz" else file.open("rb")) as log, \
            in_locale(get_settings().default_locale):
        try:
            report = import_log(session, log=log)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(1) from exc
        session.commit()
    skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(report.skipped.items()))
    resumed = (f" (its first {report.already_read} bytes were imported before)"
               if report.already_read else "")
    typer.echo(f"{file.name}{resumed}: {report.lines} lines, {report.views} page views and "
               f"{report.downloads} PDF downloads added; skipped: {skipped or 'none'}.")
