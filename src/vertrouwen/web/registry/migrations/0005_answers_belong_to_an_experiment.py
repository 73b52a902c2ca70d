"""Answers belong to an experiment: a person may answer the baseline of two experiments of one municipality.

Each existing answer is given an experiment by the first rule that decides:

1. the person is in exactly one experiment (enrolled, or in its reference group): that experiment, where every
   export showed the answer so far;
2. the person saved that wave's instrument through an invitation (personal link or staff entry) in exactly one
   experiment: that experiment, whose questionnaire wrote the answer last;
3. saved through no invitation, so written by a dataset import, and exactly one of the person's experiments had a
   dataset imported (the audit trail's dataset.imported): that experiment;
4. otherwise every experiment the person is in or saved the instrument in gets the answer, the original to the
   first created and a copy to each other one, so that no export loses an answer it showed; the copies are listed
   in the audit event;
5. an answer of a person in no experiment and without such an invitation stops the migration before any answer is
   changed: no export ever showed it, and no rule can tell whose it is.

Before this migration a questionnaire answered in the app overwrote an imported answer of the same person, wave
and item; rule 2 gives such an answer to the experiment that wrote it. Importing the earlier experiment's
manifest.json, persons.csv and survey_responses.csv again brings its own answers back.

One audit event has the number of answers each rule decided, and the copies (the first 1000). Going back is
refused by the old constraint once a person has answered the same item in two experiments.
"""

from collections import defaultdict

from django.db import migrations

ACTOR = "systeem:migratie"
BATCH = 2000
LISTED = 1000


def _memberships(apps) -> dict[int, set[int]]:
    """person -> the experiments the person is enrolled in or a reference group member of."""
    members = defaultdict(set)
    for model in ("Enrollment", "ReferenceMember"):
        for person, experiment in apps.get_model("registry", model).objects.values_list("person_id",
                                                                                        "experiment_id"):
            members[person].add(experiment)
    return members


def _saved_through_invitations(apps) -> dict[tuple[int, int, str], set[int]]:
    """(person, wave number, instrument) -> the experiments in which the person saved that instrument's page.
    An invitation's page is the next page to answer, and pages are saved in order."""
    saved = defaultdict(set)
    invitations = apps.get_model("surveys", "Invitation").objects.filter(page__gt=0)
    for person, experiment, number, instruments, page in invitations.values_list(
            "person_id", "wave__experiment_id", "wave__number", "wave__instruments", "page"):
        for code in instruments[:page]:
            saved[(person, number, code)].add(experiment)
    return saved


def _imported(apps) -> set[int]:
    """The experiments a dataset was ever imported into."""
    events = apps.get_model("audit", "AuditEvent").objects.filter(action="dataset.imported", object_type="experiment")
    return {int(pk) for pk in events.values_list("object_id", flat=True) if pk.isdigit()}


def decide(member_of: set[int], through: set[int], imported: set[int]) -> tuple[str, list[int]]:
    """The rule that decides, and the answer's experiments (none: no rule decides), the first keeping the row."""
    if len(member_of) == 1:
        return "enrollment", sorted(member_of)
    if len(through) == 1:
        return "invitation", sorted(through)
    if not through and len(member_of & imported) == 1:
        return "import", sorted(member_of & imported)
    return "shared", sorted(member_of | through)


def assign_experiments(apps, schema_editor):
    Answer = apps.get_model("registry", "SurveyResponse")
    if not Answer.objects.exists():
        return
    members, saved, imported = _memberships(apps), _saved_through_invitations(apps), _imported(apps)
    counts = {"enrollment": 0, "invitation": 0, "import": 0, "shared": 0}
    chosen: dict[int, list[int]] = defaultdict(list)
    copies: dict[int, list[int]] = {}
    unassignable = []
    for pk, person, wave, instrument in Answer.objects.order_by("pk").values_list(
            "pk", "person_id", "wave", "instrument").iterator(BATCH):
        rule, experiments = decide(members.get(person, set()), saved.get((person, wave, instrument), set()),
                                   imported)
        if not experiments:
            unassignable.append(pk)
            continue
        counts[rule] += 1
        chosen[experiments[0]].append(pk)
        if len(experiments) > 1:
            copies[pk] = experiments[1:]
    if unassignable:
        raise RuntimeError(
            f"{len(unassignable)} survey answers (ids {unassignable[:20]}) belong to persons in no experiment, "
            "without an invitation to their wave: no rule can tell their experiment. No answer was changed; enroll "
            "these persons, or delete these answers, and migrate again.")
    for experiment, ids in chosen.items():
        for start in range(0, len(ids), BATCH):
            Answer.objects.filter(pk__in=ids[start:start + BATCH]).update(experiment_id=experiment)
    copied, listed = _copy(Answer, copies, apps)
    apps.get_model("audit", "AuditEvent").objects.create(
        actor_label=ACTOR, action="surveys.answers_assigned", object_type="survey_response",
        details={"counts": counts, "copied": copied, "copies": listed})


def _copy(Answer, copies: dict[int, list[int]], apps) -> tuple[int, list[dict]]:
    """A copy of each answer for every other experiment it belongs to: how many, and the first as listed."""
    fields = ("person_id", "wave", "instrument", "item", "value", "mode")
    made = []
    ids = list(copies)
    for start in range(0, len(ids), BATCH):
        batch = Answer.objects.filter(pk__in=ids[start:start + BATCH]).values("pk", *fields)
        made += [Answer(experiment_id=experiment, **{f: row[f] for f in fields})
                 for row in batch for experiment in copies[row["pk"]]]
    Answer.objects.bulk_create(made, batch_size=BATCH)
    listed = made[:LISTED]
    persons = dict(apps.get_model("registry", "Person").objects
                   .filter(pk__in={a.person_id for a in listed}).values_list("pk", "external_id"))
    experiments = dict(apps.get_model("registry", "Experiment").objects.values_list("pk", "code"))
    return len(made), [{"person": persons[a.person_id], "wave": a.wave, "instrument": a.instrument, "item": a.item,
                        "experiment": experiments[a.experiment_id]} for a in listed]


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('registry', '0004_surveyresponse_experiment'),
        ('surveys', '0001_initial'),
    ]

    # Schema changes stay out of this migration: PostgreSQL alters no table with row checks pending from its writes.
    operations = [
        migrations.RunPython(assign_experiments, migrations.RunPython.noop),
    ]
