"""The `vertrouwen` command: one subcommand per capability.

Pure subcommands (generate, validate) run without Django; the others set Django up first.
"""

import argparse
import os
import sys
from pathlib import Path

# The sizes of the synthetic municipality (core.simulation.sizes.SIZES), named here so that the parser does not
# import the generator; tests/test_cli.py checks that they agree.
SIZES = ("XS", "S", "M", "L")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    args = _parser().parse_args(argv)
    return args.run(args) or 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vertrouwen", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("configure", help="write .env with fresh secrets, unless it exists")
    p.add_argument("--path", type=Path, default=Path(".env"))
    p.set_defaults(run=_configure)

    p = sub.add_parser("generate", help="write a synthetic municipality as a dataset folder")
    p.add_argument("folder", type=Path)
    p.add_argument("--size", default="S", type=str.upper, choices=SIZES, help="XS, S, M or L (default S)")
    p.add_argument("--seed", type=int, default=2017)
    p.set_defaults(run=_generate)

    p = sub.add_parser("validate", help="check a dataset folder and list every problem")
    p.add_argument("folder", type=Path)
    p.set_defaults(run=_validate)

    p = sub.add_parser("import", help="import a dataset folder into the database (all or nothing)")
    p.add_argument("folder", type=Path)
    p.add_argument("--update", action="store_true", help="overwrite records that differ from the dataset")
    p.set_defaults(run=_import)

    p = sub.add_parser("export", help="export an experiment from the database as a dataset folder")
    p.add_argument("folder", type=Path)
    p.add_argument("--experiment", help="experiment code (default: the only one)")
    p.add_argument("--municipality", help="CBS municipality code, when experiment codes repeat")
    p.set_defaults(run=_export)

    p = sub.add_parser("demo", help="prepare the demo municipality Voorbeeldstad and serve it")
    p.add_argument("--reset", action="store_true", help="start over with a new database")
    p.add_argument("--size", default="S", type=str.upper, choices=SIZES,
                   help="size of the synthetic municipality: XS, S, M or L (default S)")
    p.add_argument("--prepare-only", action="store_true", help="prepare, but do not start the server")
    p.add_argument("--bind", default="127.0.0.1:8000")
    p.set_defaults(run=_demo)
    return parser


def _configure(args) -> int:
    import secrets

    from cryptography.fernet import Fernet

    if args.path.exists():
        print(f"{args.path} bestaat al; niets gewijzigd")
        return 0
    args.path.write_text(
        "# Written by `vertrouwen configure`; see docs/configuration.md. Keep it secret, never commit it.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"VERTROUWEN_PSEUDONYM_KEY={secrets.token_urlsafe(48)}\n"
        f"VERTROUWEN_BSN_KEY={Fernet.generate_key().decode()}\n"
        "DEBUG=false\n"
        "# Served over plain http on this machine only; set true behind https.\n"
        "SESSION_COOKIE_SECURE=false\n",
        encoding="utf-8",
    )
    args.path.chmod(0o600)
    print(f"{args.path} geschreven met nieuwe geheimen")
    return 0


def _generate(args) -> int:
    folder = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"Genereren geweigerd: {folder} bestaat al en is niet leeg; kies een nieuwe map", file=sys.stderr)
        return 1
    from vertrouwen.core.dataset import write_dataset
    from vertrouwen.core.formatting import dutch_number
    from vertrouwen.core.simulation import generate

    dataset = generate(size=args.size, seed=args.seed)
    write_dataset(folder, dataset)
    rows = ", ".join(f"{name} {dutch_number(len(frame))}" for name, frame in dataset.tables.items())
    print(f"{folder}: {rows}")
    return 0


def _validate(args) -> int:
    from vertrouwen.core.dataset import validate_dataset
    from vertrouwen.core.formatting import dutch_number

    problems = validate_dataset(args.folder)
    for problem in problems:
        print(problem)
    found = "1 probleem" if len(problems) == 1 else f"{dutch_number(len(problems))} problemen"
    print(f"{found} gevonden" if problems else f"{args.folder}: geen problemen gevonden")
    return 1 if problems else 0


def _import(args) -> int:
    _setup_django()
    from vertrouwen.core.dataset import DatasetInvalid
    from vertrouwen.web.registry.services import ImportRefused, import_dataset

    try:
        result = import_dataset(args.folder, actor="systeem:cli", update=args.update)
    except (DatasetInvalid, ImportRefused) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _export(args) -> int:
    _setup_django()
    from vertrouwen.web.registry.services import ExportRefused, export_dataset

    try:
        print(export_dataset(args.folder, experiment_code=args.experiment, municipality_code=args.municipality,
                             actor="systeem:cli"))
    except ExportRefused as exc:
        print(f"Export geweigerd: {exc}", file=sys.stderr)
        return 1
    return 0


def _demo(args) -> int:
    _setup_django()
    from vertrouwen.web.demo import DemoRefused, prepare_demo, serve

    try:
        prepare_demo(size=args.size, reset=args.reset)
    except DemoRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    if not args.prepare_only:
        serve(args.bind)
    return 0


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vertrouwen manage", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
