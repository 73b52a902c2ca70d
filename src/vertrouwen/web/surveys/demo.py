"""The demo's questionnaires: the running experiment's waves, and the baseline answered by most participants
through the same service as a personal link or a staff entry. Answers follow a person's latent well-being
(plausible values for a demo, not findings)."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from vertrouwen.core.surveys import INSTRUMENTS
from vertrouwen.web.surveys import services
from vertrouwen.web.surveys.models import Invitation, Wave

ACTOR = "systeem:demo"
BASELINE_RESPONSE = 0.85
MODES = (("online", 0.75), ("papier", 0.2), ("begeleid", 0.05))


def fill_questionnaires(experiment, today: date, seed: int,
                        progress: Callable[[int, int], None] | None = None) -> str:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    services.create_waves(experiment.pk, actor=ACTOR)
    baseline = Wave.objects.get(experiment=experiment, number=0)
    services.invite_participants(baseline.pk, on=baseline.opens_on, actor=ACTOR)
    answered = 0
    invitations = list(Invitation.objects.filter(wave=baseline).order_by("pk"))
    for done, invitation in enumerate(invitations, 1):
        if progress:
            progress(done, len(invitations))
        if rng.random() >= BASELINE_RESPONSE:
            continue
        mode = rng.choices([m for m, _ in MODES], weights=[w for _, w in MODES])[0]
        Invitation.objects.filter(pk=invitation.pk).update(mode=mode)
        day = min(today, baseline.opens_on + timedelta(days=rng.randint(1, 60)), baseline.closes_on)
        wellbeing = rng.gauss(0, 1)
        pages = len(baseline.instruments) if rng.random() < 0.93 else rng.randint(1, len(baseline.instruments) - 1)
        for page in range(pages):
            instrument = INSTRUMENTS[baseline.instruments[page]]
            answers = {item.code: _value(item, wellbeing, rng) for item in instrument.items}
            services.save_page(invitation.pk, page, answers, today=day, actor=ACTOR if mode != "online" else None)
        answered += 1
    return f"Nulmeting: {answered} deelnemers beantwoordden vragen."


def _value(item, wellbeing: float, rng: random.Random) -> str:
    scale = item.scale
    if scale.number:
        return str(max(0, round(rng.expovariate(1 / 3))) if rng.random() < 0.35 else 0)
    middle = (scale.minimum + scale.maximum) / 2
    spread = (scale.maximum - scale.minimum) / 4
    value = middle + (-1 if item.reverse else 1) * wellbeing * spread + rng.gauss(0, spread / 2)
    return str(min(scale.maximum, max(scale.minimum, round(value))))
