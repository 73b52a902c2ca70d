"""The case manager's forms and the project lead's reassignment forms.

Forms check types and lengths; the rules (not in the future, at least one goal, not after stopping, not for an
exempt group) are the services', which name the field they refuse. Fields the services check are therefore
optional here, so that their message is the one shown.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vertrouwen.core import codes
from vertrouwen.web.casework.models import TEXT_MAX_LENGTH
from vertrouwen.web.lottery.forms import MonthInput, person_numbers
from vertrouwen.web.nlds_forms import DateInput, NldsFormMixin
from vertrouwen.web.registry.models import choices
from vertrouwen.web.surveys.forms import STAFF_MODES

YES_NO = (("ja", _("Yes")), ("nee", _("No")))


class TodayByDefault(NldsFormMixin, forms.Form):
    """A form whose date fields start at today."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in self.date_fields:
            initial.setdefault(name, timezone.localdate())
        super().__init__(*args, **kwargs)


class SearchForm(NldsFormMixin, forms.Form):
    query = forms.CharField(label=_("Person number or citizen service number"), max_length=64,
                            help_text=_("A BSN is searched exactly, and never kept in the address or a log."))


class ConversationForm(TodayByDefault):
    date_fields = ("held_on",)
    held_on = forms.DateField(label=_("Date of the conversation"), widget=DateInput())
    summary = forms.CharField(label=_("Summary"), required=False, max_length=TEXT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 4}))
    goals_in_own_words = forms.CharField(label=_("Goal in the participant's own words"), required=False,
                                         max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.MultipleChoiceField(label=_("Personal goals"), required=False, choices=choices(codes.GOALS),
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("One or more; the highest attainable goal follows from them."))
    ladder_rung = forms.TypedChoiceField(label=_("Participation ladder"), choices=choices(codes.LADDER_RUNGS),
                                         coerce=int, widget=forms.RadioSelect)
    good_prospects = forms.TypedChoiceField(label=_("Good prospects of exit"), choices=YES_NO,
                                            coerce=lambda v: v == "ja", widget=forms.RadioSelect,
                                            help_text=_("Your judgement: can this person leave the benefit "
                                                        "within the experiment?"))


class ReviewForm(ConversationForm):
    """A half-yearly review also sets the new status of every open action."""

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_names = []
        for action in actions:
            name = f"action_{action.pk}"
            self.fields[name] = forms.ChoiceField(label=action.description, choices=choices(codes.ACTION_STATUSES),
                                                  initial=action.status, required=False)
            self.fields[name].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
            self.fields[name].widget.layout = "text"
            self.action_names.append(name)

    def action_fields(self):
        return [self[name] for name in self.action_names]

    def action_statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("action_")): self.cleaned_data[name] for name in self.action_names
                if self.cleaned_data.get(name)}


class ActionForm(NldsFormMixin, forms.Form):
    description = forms.CharField(label=_("What"), required=False, max_length=300,
                                  help_text=_("Specific and measurable: what is done, and when is it done?"))
    owner = forms.ChoiceField(label=_("Who"), choices=choices(codes.ACTION_OWNERS), initial="deelnemer")
    due_on = forms.DateField(label=_("By when"), required=False, widget=DateInput())
    goal = forms.ChoiceField(label=_("For the goal"), required=False,
                             choices=[("", _("(no particular goal)")), *choices(codes.GOALS)])


class ActionStatusForm(NldsFormMixin, forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("case", "Status"), choices=choices(codes.ACTION_STATUSES))


class ContactForm(TodayByDefault):
    date_fields = ("contact_on",)
    contact_on = forms.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=choices(codes.CHANNELS))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440, initial=30)
    initiated_by = forms.ChoiceField(label=_("Initiative"), choices=choices(codes.INITIATORS),
                                     widget=forms.RadioSelect, initial="klantmanager")
    note = forms.CharField(label=_("Short note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class EarningsForm(NldsFormMixin, forms.Form):
    month = forms.DateField(label=_("Month"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"])
    earnings = forms.DecimalField(label=_("Net earnings (euro), from the payslip"), max_digits=9, decimal_places=2,
                                  localize=True)
    hours = forms.DecimalField(label=_("Hours worked"), required=False, min_value=Decimal(0),
                               max_value=Decimal(744), max_digits=5, decimal_places=2, localize=True)

    def earnings_cents(self) -> int:
        return int(self.cleaned_data["earnings"] * 100)


class RevealBsnForm(forms.Form):
    """Why the case manager needs the BSN: the reason goes into the audit trail with the reading."""

    reason = forms.ChoiceField(label=_("Why do you need the BSN?"), widget=forms.RadioSelect, choices=[
        ("uitkeringsadministratie", _("To check the benefit administration")),
        ("andere_instantie", _("For contact with another agency")),
        ("deelnemer", _("The participant asks for it")),
    ])


class StopForm(TodayByDefault):
    date_fields = ("stopped_on",)
    stopped_on = forms.DateField(label=_("Stops on"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=choices(codes.STOP_REASONS), widget=forms.RadioSelect)


class SanctionForm(TodayByDefault):
    date_fields = ("started_on",)
    started_on = forms.DateField(label=_("Start of the measure"), widget=DateInput())
    obligation = forms.CharField(label=_("Obligation not met"), required=False, max_length=300)


class StoryForm(TodayByDefault):
    date_fields = ("told_on",)
    told_on = forms.DateField(label=_("Told on"), widget=DateInput())
    text = forms.CharField(label=_("Story"), required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("In the participant's own words; no name, address or other detail that "
                                       "identifies them."))
    consent = forms.BooleanField(label=_("The participant agrees that this story is used, without their name, in "
                                         "the experiment's reports."), required=False)


class AssignForm(TodayByDefault):
    date_fields = ("on",)
    person_numbers = forms.CharField(label=_("Person numbers"), widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=_("One per line. Never a citizen service number."))
    case_manager = forms.TypedChoiceField(label=_("Case manager"), coerce=int)
    on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].choices = [(m.pk, m.get_full_name() or m.username) for m in managers]

    def numbers(self) -> list[str]:
        return person_numbers(self.cleaned_data["person_numbers"])


class MoveForm(TodayByDefault):
    date_fields = ("on",)
    from_case_manager = forms.TypedChoiceField(label=_("The caseload of"), coerce=int)
    to_case_manager = forms.TypedChoiceField(label=_("Moves to"), coerce=int)
    on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = [(m.pk, m.get_full_name() or m.username) for m in managers]
        self.fields["from_case_manager"].choices = names
        self.fields["to_case_manager"].choices = names


class EndBenefitForm(TodayByDefault):
    date_fields = ("end_on",)
    end_on = forms.DateField(label=_("Last day of the benefit"), widget=DateInput())
    reason = forms.ChoiceField(label=_("End reason"), choices=[("", _("(choose)")), *choices(codes.END_REASONS)],
                               required=False)


class StartBenefitForm(TodayByDefault):
    date_fields = ("start_on",)
    start_on = forms.DateField(label=_("First day of the new benefit"), widget=DateInput())


class CorrectionForm(NldsFormMixin, forms.Form):
    month = forms.DateField(label=_("Settled month"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"])
    earnings = forms.DecimalField(label=_("Correct net earnings (euro)"), max_digits=9, decimal_places=2,
                                  localize=True)
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=300)

    def earnings_cents(self) -> int:
        return int(self.cleaned_data["earnings"] * 100)


class SubNDecisionForm(TodayByDefault):
    """The college's decision on the standard disregard (art. 31 lid 2 sub n Pw) for this person."""

    date_fields = ("valid_from",)
    granted = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "ja",
        choices=[("ja", _("Granted: the disregard helps this person towards work")),
                 ("nee", _("Not granted"))])
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionnaireEntryForm(NldsFormMixin, forms.Form):
    """Which open wave the participant answered outside the link, and how."""

    wave = forms.ChoiceField(label=_("Questionnaire"))
    mode = forms.ChoiceField(label=_("How it was answered"), choices=STAFF_MODES, widget=forms.RadioSelect,
                             initial="papier")

    def __init__(self, *args, waves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].choices = [(str(w.pk), f"{w.name} ({w.experiment.name})") for w in waves]
        self.waves = list(waves)
