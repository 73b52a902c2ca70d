"""The `vertrouwen` command: one subcommand per capability.

Pure subcommands (generate, validate) run without Django; the others set Django up first.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from vertrouwen.core import codes

# The sizes of the synthetic municipality (core.simulation.sizes.SIZES), named here so that the parser does not
# import the generator; tests/test_cli.py checks that they agree.
SIZES = ("XS", "S", "M", "L")
# The evaluation's defaults (core.evaluation.settings), for the help text only; the same test checks them.
EVALUATION_PERMUTATIONS, EVALUATION_SEED = 10_000, 2017


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    args = _parser().parse_args(argv)
    from vertrouwen.web.audit.context import acting  # no Django: who acts, for the audit events of this command

    with acting(f"systeem:{argv[0]}", "opdrachtregel"):
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
    p.add_argument("--research", action="store_true",
                   help="pseudonymized for research: keyed pseudonyms, birth years, a codebook (docs/monitor.md)")
    p.set_defaults(run=_export)

    p = sub.add_parser("power", help="minimum detectable effect and sample size for exit to work")
    p.add_argument("--baseline", type=float, required=True,
                   help="share with a first exit to work in the control arm without effect, e.g. 0.107")
    p.add_argument("--n-per-arm", type=int, required=True, help="persons in each treatment arm")
    p.add_argument("--arms", type=int, required=True, help="treatment arms, each against one control arm")
    p.add_argument("--n-control", type=int, help="persons in the control arm (default: --n-per-arm)")
    p.add_argument("--alpha", type=float, default=0.05, help="two-sided level before Holm (default 0.05)")
    p.add_argument("--power", type=float, default=0.8, help="desired power (default 0.8)")
    p.add_argument("--sided", choices=("one", "two"), default="two",
                   help="two-sided tests (default), or one-sided against an increase only")
    p.add_argument("--effect", type=float, action="append",
                   help="an increase to size for, as a share (0.05 = 5 points); repeatable; default 0.05 and 0.10")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p.set_defaults(run=_power)

    p = sub.add_parser("diagnose", help="diagnose a design by simulating it many times (power, bias, coverage)")
    p.add_argument("--design", default="wageningen", help="template code (default wageningen)")
    p.add_argument("--n-per-arm", type=int, required=True)
    p.add_argument("--replications", type=int, default=200)
    p.add_argument("--seed", type=int, default=2017)
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_diagnose)

    p = sub.add_parser("randomize", help="draw the lottery for a dataset's persons and write enrollments")
    p.add_argument("folder", type=Path, help="dataset folder; persons not yet enrolled are drawn")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", type=Path, required=True, help="the enrollments CSV to write (a new file)")
    p.add_argument("--strata", type=_names, default=(), help="stratum variables, e.g. household_type,"
                   "benefit_duration_band (stratified block randomization)")
    p.add_argument("--arms", type=_names, help="arm codes in order (default: the manifest's arms)")
    p.add_argument("--ratio", type=_names, help="allocation ratio per arm, e.g. 2,1,1 (default: the manifest's)")
    p.add_argument("--method", choices=("complete", "block", "stratified_block"),
                   help="default: stratified_block with --strata, else block")
    p.add_argument("--date", type=_date, help="draw date, YYYY-MM-DD (default: the experiment's start)")
    p.add_argument("--cohort", type=_month, help="draw only the new inflow of this month, YYYY-MM")
    p.add_argument("--min-age", type=int, default=18)
    p.add_argument("--max-age", type=int, default=66)
    p.set_defaults(run=_randomize)

    p = sub.add_parser("monitor", help="the monitor's tables and monthly series of one or more dataset folders")
    p.add_argument("folders", type=Path, nargs="+", help="dataset folders; several are also reported pooled")
    p.add_argument("--date", type=_date, help="the monitor as it stood at this date (default: the count date)")
    p.add_argument("--json", action="store_true", help="print the monitor as JSON (docs/monitor.md)")
    p.set_defaults(run=_monitor)

    p = sub.add_parser("evaluate", help="the randomized evaluation of a dataset folder (docs/evaluation.md)")
    p.add_argument("folder", type=Path)
    p.add_argument("--permutations", type=int,
                   help=f"re-draws for randomization inference, 0 to leave it out (default {EVALUATION_PERMUTATIONS})")
    p.add_argument("--seed", type=int, help=f"seed of the re-draws (default {EVALUATION_SEED})")
    p.add_argument("--strata", type=_names, default=(),
                   help="person attributes the lottery stratified by, besides the draw, e.g. household_type")
    p.add_argument("--date", type=_date, help="the evaluation as it stood at this date (default: the count date, "
                                              "or the day after the data's last event when that is earlier)")
    p.add_argument("--plan", type=Path, help="the analysis plan to follow (default: analyseplan.json in the folder, "
                                             "when there is one)")
    p.add_argument("--json", action="store_true", help="print the evaluation as one JSON object")
    p.set_defaults(run=_evaluate)

    p = sub.add_parser("plan", help="the analysis plan of a dataset folder's experiment: propose one, or check one")
    p.add_argument("folder", type=Path)
    p.add_argument("--out", type=Path, help="write the proposed plan to this file (default: print it)")
    p.add_argument("--check", type=Path, help="check this plan against the folder and print its SHA-256")
    p.set_defaults(run=_plan)

    p = sub.add_parser("report", help="the progress or final report of a dataset folder, as HTML or PDF")
    p.add_argument("folder", type=Path)
    p.add_argument("--kind", required=True, choices=("progress", "final"),
                   help="progress: voortgangsrapportage; final: eindrapportage")
    p.add_argument("--out", type=Path, required=True, help="the file to write: .html or .pdf")
    p.set_defaults(run=_report)

    p = sub.add_parser("calculator", help="what someone keeps each month when working, under a disregard regime")
    p.add_argument("--regime", required=True, choices=tuple(codes.SETTLEMENT_REGIMES))
    p.add_argument("--household", required=True, choices=tuple(codes.HOUSEHOLD_TYPES))
    p.add_argument("--start", type=_month, required=True, help="the first month, YYYY-MM")
    p.add_argument("--earnings", type=_euros, required=True,
                   help="net earnings a month in euro, as on the payslip, e.g. 600 or 612,50")
    p.add_argument("--months", type=int, default=12, help="months to show, 1 to 36 (default 12)")
    p.add_argument("--age", type=int, help="age in years (the standard disregard starts at 27)")
    p.add_argument("--json", action="store_true", help="print the months as JSON")
    p.set_defaults(run=_calculator)

    p = sub.add_parser("settle", help="settle a month for every person on benefit in a municipality")
    p.add_argument("--month", type=_month, required=True, help="the month, YYYY-MM")
    p.add_argument("--municipality", help="CBS municipality code (default: the only one)")
    p.set_defaults(run=_settle)

    p = sub.add_parser("backup", help="back up the PostgreSQL database with pg_dump (docs/operations.md)")
    p.add_argument("--file", type=Path, help="the file to write (default: var/backups/vertrouwen-DB-UTCTIME.dump)")
    p.set_defaults(run=_backup)

    p = sub.add_parser("restore", help="restore a backup into RESTORE_DATABASE_URL, else the app's database")
    p.add_argument("--file", type=Path, help="the backup (default: the newest in var/backups)")
    p.add_argument("--force", action="store_true", help="also into a database that has tables")
    p.set_defaults(run=_restore)

    p = sub.add_parser("worker", help="run background tasks (simulations) until stopped")
    p.set_defaults(run=_worker)

    p = sub.add_parser("verify-allocations", help="recompute every draw and the hash chain; name tampered rows")
    p.add_argument("--plan", type=Path, action="append", default=[],
                   help="also check that this analysis plan file is a registered version, unchanged (repeatable)")
    p.set_defaults(run=_verify_allocations)

    p = sub.add_parser("verify-audit", help="walk the audit trail's hash chain; name every altered or removed row")
    p.set_defaults(run=_verify_audit)

    p = sub.add_parser("purge", help="erase a finished experiment's personal data after its retention term, keeping "
                                     "a pseudonymized research dataset, the lottery's evidence and the audit trail")
    p.add_argument("--experiment", required=True, help="experiment code (or its number)")
    p.add_argument("--municipality", help="CBS municipality code, when experiment codes repeat")
    p.add_argument("--folder", type=Path, help="where the research dataset goes (default var/research/...)")
    p.add_argument("--dry-run", action="store_true", help="count what would be erased; change nothing")
    p.set_defaults(run=_purge)

    p = sub.add_parser("demo", help="prepare the demo municipality Voorbeeldstad and serve it")
    p.add_argument("--reset", action="store_true", help="start over with a new database")
    p.add_argument("--size", default="S", type=str.upper, choices=SIZES,
                   help="size of the synthetic municipality: XS, S, M or L (default S)")
    p.add_argument("--prepare-only", action="store_true", help="prepare, but do not start the server")
    p.add_argument("--bind", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="where the demo's web server listens (default 127.0.0.1:8000; `make demo PORT=8001` "
                        "passes 127.0.0.1:8001)")
    p.set_defaults(run=_demo)
    return parser


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen datum (JJJJ-MM-DD)") from None


def _month(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen maand (JJJJ-MM)") from None


def _monitor(args) -> int:
    import json

    from vertrouwen.core.dataset import DatasetInvalid, read_dataset
    from vertrouwen.core.monitor import monitor, pooled
    from vertrouwen.core.monitor_text import monitor_text

    monitors = []
    for folder in args.folders:
        try:
            monitors.append(monitor(read_dataset(folder), as_of=args.date))
        except DatasetInvalid as invalid:
            print(f"monitor: {folder}: {invalid}", file=sys.stderr)
            return 2
    if args.json:
        result = monitors[0].as_dict() if len(monitors) == 1 else {
            "per_municipality": [m.as_dict() for m in monitors], "pooled": pooled(monitors)}
        print(json.dumps(result, indent=2))
    else:
        print("\n\n".join(monitor_text(m) for m in monitors))
        if len(monitors) > 1:
            print("\n" + monitor_text(pooled(monitors)))
    return 0


def _dataset_or_say(command: str, folder: Path):
    """The dataset of the folder, or None after saying on stderr what is wrong with it."""
    from vertrouwen.core.dataset import DatasetInvalid, read_dataset

    try:
        return read_dataset(folder)
    except DatasetInvalid as invalid:
        print(f"{command}: {folder}: {invalid}", file=sys.stderr)
        return None


def _plan_or_say(command: str, path: Path, *, required: bool):
    """The plan in the file; None when there is none and none was asked for; False after saying what is wrong."""
    from vertrouwen.core.evaluation.plan import PlanError, read_plan

    if not path.exists():
        if required:
            print(f"{command}: {path}: het analyseplan bestaat niet", file=sys.stderr)
            return False
        return None
    try:
        return read_plan(path.read_text(encoding="utf-8"), str(path))
    except (PlanError, UnicodeDecodeError) as problem:
        print(f"{command}: {problem}", file=sys.stderr)
        return False


def _plan(args) -> int:
    from vertrouwen.core.evaluation.evaluate import contrasts_of
    from vertrouwen.core.evaluation.frame import analysis_frame
    from vertrouwen.core.evaluation.plan import default_plan

    dataset = _dataset_or_say("plan", args.folder)
    if dataset is None:
        return 2
    manifest = dataset.manifest
    if args.check:
        plan = _plan_or_say("plan", args.check, required=True)
        if plan is False:
            return 2
        if plan.experiment != manifest.experiment.code:
            print(f"plan: {args.check}: het plan hoort bij experiment {plan.experiment}, de map bij "
                  f"{manifest.experiment.code}", file=sys.stderr)
            return 2
        print("\n".join(plan.described()))
        return 0
    frame = analysis_frame(dataset, manifest.experiment.count_date)
    control = next((arm.code for arm in manifest.arms if arm.is_control), None)
    if control is None:
        print("plan: het experiment heeft geen controlegroep; een plan vergelijkt met de controlegroep",
              file=sys.stderr)
        return 2
    sizes = {arm.code: max(2, int((frame["arm"] == arm.code).sum())) for arm in manifest.arms}
    plan = default_plan(manifest, tuple(c.code for c in contrasts_of(manifest, control, sizes)))
    if args.out:
        args.out.write_text(plan.to_json(), encoding="utf-8")
        print(f"{args.out} geschreven (SHA-256 {plan.hash})")
    else:
        print(plan.to_json(), end="")
    return 0


def _evaluate(args) -> int:
    import json

    from vertrouwen.core.evaluation import evaluate_with, settings_for_dataset
    from vertrouwen.core.evaluation.plan import PLAN_FILE

    dataset = _dataset_or_say("evaluate", args.folder)
    if dataset is None:
        return 2
    chosen = {name: value for name, value in (("permutations", args.permutations), ("seed", args.seed),
                                              ("strata", args.strata)) if value is not None}
    plan = _plan_or_say("evaluate", args.plan or args.folder / PLAN_FILE, required=args.plan is not None)
    if plan is False:
        return 2
    try:
        settings = settings_for_dataset(dataset, as_of=args.date, plan=plan, **chosen)
    except ValueError as refused:
        print(f"evaluate: --{refused}", file=sys.stderr)
        return 2
    result = evaluate_with(dataset, settings)
    print(json.dumps(result.as_json(), indent=1, ensure_ascii=False) if args.json else result.summary())
    if not result.contrasts:  # no control arm, one arm, too few persons: nothing was compared
        print(f"evaluate: {' '.join(result.notes)}", file=sys.stderr)
        return 1
    return 0


def _report(args) -> int:
    from vertrouwen.core.reports import build_report, render_html, render_pdf

    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        print(f"report: --out {args.out}: de naam moet eindigen op .html of .pdf", file=sys.stderr)
        return 2
    dataset = _dataset_or_say("report", args.folder)
    if dataset is None:
        return 2
    from vertrouwen.core.evaluation import settings_for_dataset
    from vertrouwen.core.evaluation.plan import PLAN_FILE

    plan = _plan_or_say("report", args.folder / PLAN_FILE, required=False)
    if plan is False:
        return 2
    html = render_html(build_report(dataset, args.kind, settings=settings_for_dataset(dataset, plan=plan)))
    data = render_pdf(html) if suffix == ".pdf" else html.encode("utf-8")
    partial = args.out.with_name(f".{args.out.name}.deel")  # renamed when whole: never half a report
    partial.write_bytes(data)
    partial.replace(args.out)
    print(f"{args.out} geschreven")
    return 0


def _euros(text: str) -> int:
    """Net earnings a month as typed (core.formatting.parse_euros), as integer cents, within the sane maximum."""
    from vertrouwen.core.formatting import euro, parse_euros
    from vertrouwen.core.rules import MAX_EARNINGS_CENTS

    try:
        cents = parse_euros(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    if cents > MAX_EARNINGS_CENTS:
        raise argparse.ArgumentTypeError(f"{text!r}: meer dan {euro(MAX_EARNINGS_CENTS)} in een maand; controleer "
                                         f"het bedrag")
    return cents


def _calculator(args) -> int:
    import json

    from vertrouwen.core.formatting import euro
    from vertrouwen.core.rules import Regime, RuleMissing, shipped_rulebook
    from vertrouwen.core.rules.calculator import calculate, staleness

    try:
        months = calculate(shipped_rulebook(), regime=args.regime, household_type=args.household, start=args.start,
                           earnings_cents=args.earnings, months=args.months, age=args.age)
    except (ValueError, RuleMissing) as exc:
        print(f"calculator: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([m.as_dict() for m in months], indent=2))
        return 0
    print(f"{Regime(args.regime).label}, {args.household.replace('_', ' ')}, netto inkomsten {euro(args.earnings)}")
    print(f"{'maand':<8} {'vrijgelaten':>13} {'verrekend':>13} {'uitkering':>13} {'totaal':>13} {'erbij':>13}")
    for m in months:
        s = m.settlement
        print(f"{s.month:%Y-%m}  {euro(s.disregarded_cents):>13} {euro(s.deducted_cents):>13} "
              f"{euro(s.benefit_cents):>13} {euro(s.total_income_cents):>13} {euro(m.gain_cents):>13}")
    for line in (staleness(months), *months[0].settlement.lines[:1]):
        if line and not line.startswith("Bijstandsnorm"):
            print(line)
    return 0


def _settle(args) -> int:
    _setup_django()
    from vertrouwen.core.progress import counter
    from vertrouwen.web.registry.models import Municipality
    from vertrouwen.web.settlement.services import SettlementRefused, run_month

    places = Municipality.objects.filter(code=args.municipality) if args.municipality else Municipality.objects.all()
    if places.count() != 1:
        print("settle: kies de gemeente met --municipality CODE" if places.exists() else
              "settle: geen gemeente gevonden", file=sys.stderr)
        return 2

    try:
        result = run_month(places.get().pk, args.month, actor="systeem:cli", progress=counter("personen"))
    except SettlementRefused as refused:
        print(f"settle: {refused}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0


def _power(args) -> int:
    import json

    from vertrouwen.core.power import analyse_design
    from vertrouwen.core.power.report import power_text

    try:
        analysis = analyse_design(args.baseline, args.n_per_arm, args.arms, n_control=args.n_control,
                                  alpha=args.alpha, power=args.power, effects=args.effect or (0.05, 0.10),
                                  sided=1 if args.sided == "one" else 2)
    except ValueError as exc:
        print(f"power: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(analysis.as_dict(), indent=2) if args.json else power_text(analysis))
    return 0


def _diagnose(args) -> int:
    import json

    from vertrouwen.core.power import diagnose
    from vertrouwen.core.power.report import diagnosis_text
    from vertrouwen.core.progress import counter

    try:
        result = diagnose(args.design, args.n_per_arm, replications=args.replications, seed=args.seed,
                          alpha=args.alpha, progress=counter("simulaties"))
    except ValueError as exc:
        print(f"diagnose: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2) if args.json else diagnosis_text(result))
    return 0


def _randomize(args) -> int:
    from vertrouwen.core.dataset import DatasetInvalid
    from vertrouwen.core.lottery.draw_file import DrawFileRefused, draw_dataset

    try:
        result = draw_dataset(args.folder, args.out, seed=args.seed, strata=args.strata, arms=args.arms,
                              ratio=args.ratio, method=args.method, on=args.date, min_age=args.min_age,
                              max_age=args.max_age, cohort_month=args.cohort)
    except (DatasetInvalid, DrawFileRefused) as exc:
        print(f"Loting geweigerd, er is niets geschreven: {exc}", file=sys.stderr)
        return 1
    print(result)
    return 0


def _worker(args) -> int:
    _setup_django()
    from vertrouwen.web.jobs import recover_interrupted

    if marked := recover_interrupted():
        print(f"worker: {marked} onderbroken taken gemarkeerd als mislukt; ze kunnen opnieuw worden gestart",
              file=sys.stderr)
    return _manage(["db_worker", "--interval", "1"])


def _verify_allocations(args) -> int:
    _setup_django()
    from vertrouwen.web.lottery.verification import plan_file_problems, verify_allocations

    result = verify_allocations()
    for file in args.plan:
        try:
            result.problems += plan_file_problems(file.read_text(encoding="utf-8"), str(file))
        except (OSError, UnicodeDecodeError) as unreadable:
            result.problems.append(f"{file}: kan niet worden gelezen ({unreadable.__class__.__name__})")
    print(result.summary())
    return 0 if result.ok else 1


def _verify_audit(args) -> int:
    _setup_django()
    from vertrouwen.web.audit.verification import verify_chain

    checked, findings = verify_chain()
    for finding in findings:
        where = "" if finding.event_id is None else f"auditgebeurtenis {finding.event_id}: "
        print(where + finding.problem)
    print(f"{checked} auditgebeurtenissen gecontroleerd: " + ("de keten is intact" if not findings else
                                                            f"{len(findings)} afwijking(en)"))
    return 1 if findings else 0


def _purge(args) -> int:
    _setup_django()
    from vertrouwen.web.retention import PurgeRefused, find_experiment, purge_experiment

    try:
        experiment = find_experiment(args.experiment, args.municipality)
        result = purge_experiment(experiment.pk, actor="systeem:cli", dry_run=args.dry_run, folder=args.folder)
    except PurgeRefused as exc:
        print(f"Wissen geweigerd: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _configure(args) -> int:
    import secrets

    from cryptography.fernet import Fernet

    generated = {"SECRET_KEY": secrets.token_urlsafe(50), "VERTROUWEN_PSEUDONYM_KEY": secrets.token_urlsafe(48),
                 "VERTROUWEN_BSN_KEY": Fernet.generate_key().decode(),
                 "VERTROUWEN_AUDIT_KEY": secrets.token_urlsafe(48)}
    if args.path.exists():  # an older installation: add the secrets it lacks, never change one it has
        present = {line.split("=", 1)[0].strip() for line in args.path.read_text(encoding="utf-8").splitlines()
                   if "=" in line and not line.lstrip().startswith("#")}
        missing = [name for name in generated if name not in present]
        if not missing:
            print(f"{args.path} bestaat al; niets gewijzigd")
            return 0
        with args.path.open("a", encoding="utf-8") as env:
            env.write("".join(f"{name}={generated[name]}\n" for name in missing))
        print(f"{args.path} bestaat al; aangevuld met {', '.join(missing)}")
        return 0
    args.path.write_text(
        "# Written by `vertrouwen configure`; see docs/configuration.md. Keep it secret, never commit it.\n"
        + "".join(f"{name}={value}\n" for name, value in generated.items())
        + "DEBUG=false\n"
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
    from vertrouwen.web.datasets import ImportRefused, import_dataset

    try:
        result = import_dataset(args.folder, actor="systeem:cli", update=args.update)
    except (DatasetInvalid, ImportRefused) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _export(args) -> int:
    _setup_django()
    from vertrouwen.web.datasets import ExportRefused, export_dataset

    try:
        print(export_dataset(args.folder, experiment_code=args.experiment, municipality_code=args.municipality,
                             actor="systeem:cli", research=args.research))
    except ExportRefused as exc:
        print(f"Export geweigerd: {exc}", file=sys.stderr)
        return 1
    return 0


def _backup(args) -> int:
    _setup_django()
    import psycopg
    from django.conf import settings
    from django.db import transaction

    from vertrouwen.web.audit.services import record
    from vertrouwen.web.backups import BackupRefused, Database, make_backup

    try:
        database = Database.from_settings(settings.DATABASES["default"])
        path = make_backup(database, file=args.file, folder=settings.PROJECT_DIR / "var" / "backups")
    except (BackupRefused, psycopg.Error) as exc:
        print(f"Reservekopie geweigerd, er is niets geschreven: {exc}", file=sys.stderr)
        return 1
    with transaction.atomic():
        record(actor="systeem:backup", action="database.backed_up", object_type="database", object_id=database.name,
               details={"file": path.name, "bytes": path.stat().st_size})
    print(f"{path} geschreven ({path.stat().st_size:,} bytes) van {database.label()}".replace(",", "."))
    return 0


def _restore(args) -> int:
    # The restored database becomes Django's, so that the restore is recorded in its own audit trail.
    if os.environ.get("RESTORE_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["RESTORE_DATABASE_URL"]
    _setup_django()
    import psycopg
    from django.conf import settings
    from django.db import transaction

    from vertrouwen.web.audit.services import record
    from vertrouwen.web.backups import BackupRefused, Database, newest_backup, restore_backup

    try:
        database = Database.from_settings(settings.DATABASES["default"])
        file = args.file or newest_backup(settings.PROJECT_DIR / "var" / "backups")
        tables = restore_backup(database, file, force=args.force)
    except (BackupRefused, psycopg.Error) as exc:
        print(f"Terugzetten geweigerd: {exc}", file=sys.stderr)
        return 1
    with transaction.atomic():
        record(actor="systeem:restore", action="database.restored", object_type="database", object_id=database.name,
               details={"file": Path(file).name, "forced": args.force})
    print(f"{file} teruggezet in {database.label()}: {tables} tabellen. Controleer met `vertrouwen "
          f"verify-allocations` en `vertrouwen verify-audit`.")
    return 0


def _demo(args) -> int:
    started = time.monotonic()
    _setup_django()
    from vertrouwen.core.progress import duration
    from vertrouwen.web.demo import DemoRefused, prepare_demo, serve

    try:
        prepare_demo(size=args.size, reset=args.reset)
        if args.prepare_only:
            print(f"\nDe demo is voorbereid in {duration(time.monotonic() - started)}.")
            return 0
        return serve(args.bind, started=started)
    except DemoRefused as exc:
        print(exc, file=sys.stderr)
        return 1


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
