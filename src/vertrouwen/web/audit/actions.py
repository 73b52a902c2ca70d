"""Every audit action, declared once: its code, its label on the trail's pages, and what kind of event it is. Only
a change moves the data version that stored evaluations and reports belong to (web/audit/selectors.py); a reading
(a BSN shown, a file exported or downloaded) and a session or account event do not. record() refuses an action that
is not declared here, and tests/web/audit/test_actions.py finds every action the code records.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CHANGE, READING, SESSION = "change", "reading", "session"


@dataclass(frozen=True)
class Action:
    code: str
    label: Promise
    kind: str  # CHANGE, READING or SESSION
    administration: bool = False  # listed on the beheerder's start page (accounts, configuration, data in and out)

    @property
    def changes_data(self) -> bool:
        return self.kind == CHANGE


ACTIONS: dict[str, Action] = {action.code: action for action in (
    Action("user.created", _("account created"), SESSION, administration=True),
    Action("user.changed", _("account changed"), SESSION, administration=True),
    Action("user.role_changed", _("role changed"), SESSION, administration=True),
    Action("user.password_changed", _("password changed"), SESSION, administration=True),
    Action("user.password_disabled", _("password login switched off"), SESSION, administration=True),
    Action("user.two_factor_set_up", _("authenticator app set up"), SESSION, administration=True),
    Action("user.two_factor_reset", _("authenticator app reset"), SESSION, administration=True),
    Action("user.logged_in", _("logged in"), SESSION),
    Action("user.logged_out", _("logged out"), SESSION),
    Action("user.login_failed", _("login failed"), SESSION),
    Action("login.locked_out", _("login locked after failed attempts"), SESSION, administration=True),
    Action("api_token.issued", _("API token issued"), SESSION, administration=True),
    Action("api_token.revoked", _("API tokens revoked"), SESSION, administration=True),
    Action("audit.key_destroyed", _("key destroyed: the person's recorded values are unreadable"), SESSION),
    Action("person.bsn_read", _("BSN shown"), READING),
    Action("api.person_read", _("person read through the API"), READING),
    Action("report.downloaded", _("report downloaded"), READING),
    Action("dataset.exported", _("dataset exported"), READING, administration=True),
    Action("dataset.research_exported", _("research dataset exported"), READING),
    Action("survey.links_exported", _("questionnaire links exported"), READING),
    Action("user.oidc_bound", _("account bound to the identity provider"), CHANGE),
    Action("surveys.staff_entry_read", _("questionnaire opened by staff"), READING),
    Action("database.backed_up", _("backup made"), READING),
    Action("dataset.imported", _("dataset imported"), CHANGE, administration=True),
    Action("database.restored", _("backup restored"), CHANGE),
    Action("configuration.added", _("added"), CHANGE, administration=True),
    Action("configuration.changed", _("changed"), CHANGE, administration=True),
    Action("configuration.deleted", _("deleted"), CHANGE, administration=True),
    Action("record.created", _("record added"), CHANGE),
    Action("record.changed", _("record changed"), CHANGE),
    Action("record.deleted", _("record deleted"), CHANGE),
    Action("api.benefit_spells_delivered", _("benefit spells delivered through the API"), CHANGE),
    Action("api.earnings_delivered", _("earnings delivered through the API"), CHANGE),
    Action("benefit.ended", _("benefit ended"), CHANGE),
    Action("benefit.started", _("benefit started"), CHANGE),
    Action("benefit.reentry", _("back on benefit"), CHANGE),
    Action("caseload.assigned", _("put on a caseload"), CHANGE),
    Action("caseload.moved", _("caseload moved"), CHANGE),
    Action("casework.startgesprek", _("intake held"), CHANGE),
    Action("casework.halfjaargesprek", _("half-yearly review held"), CHANGE),
    Action("casework.action_added", _("action added to the plan"), CHANGE),
    Action("casework.action_status", _("status of an action changed"), CHANGE),
    Action("casework.contact", _("contact recorded"), CHANGE),
    Action("casework.earnings_declared", _("earnings declared"), CHANGE),
    Action("casework.sanction", _("sanction recorded"), CHANGE),
    Action("casework.stopped", _("participation stopped"), CHANGE),
    Action("casework.story", _("story recorded"), CHANGE),
    Action("casework.story_consent_withdrawn", _("consent for a story withdrawn"), CHANGE),
    Action("design.diagnosis_requested", _("design simulation requested"), CHANGE),
    Action("experiment.created", _("experiment set up"), CHANGE),
    Action("experiment.changed", _("experiment changed"), CHANGE),
    Action("experiment.purged", _("personal data of the experiment erased"), CHANGE),
    Action("lottery.drawn", _("lottery drawn"), CHANGE),
    Action("lottery.imported", _("allocations imported"), CHANGE),
    Action("lottery.plan_registered", _("analysis plan registered or amended"), CHANGE),
    Action("lottery.invited", _("invitation recorded"), CHANGE),
    Action("lottery.consented", _("rules signed after an invitation"), CHANGE),
    Action("lottery.declined", _("invitation declined"), CHANGE),
    Action("rules.saved", _("rule table saved"), CHANGE),
    Action("settlement.run_requested", _("monthly run requested"), CHANGE),
    Action("settlement.month_run", _("month settled"), CHANGE),
    Action("settlement.month_failed", _("monthly run failed"), CHANGE),
    Action("settlement.corrected", _("settlement corrected"), CHANGE),
    Action("settlement.sub_n_decided", _("decision on the standard disregard recorded"), CHANGE),
    Action("surveys.waves_created", _("measurements created"), CHANGE),
    Action("surveys.wave_period", _("period of a measurement changed"), CHANGE),
    Action("surveys.invited", _("invited to a questionnaire"), CHANGE),
    Action("surveys.reminded", _("reminder sent"), CHANGE),
    Action("surveys.staff_entry_started", _("entry of a questionnaire started"), CHANGE),
    Action("surveys.staff_page", _("questionnaire page entered"), CHANGE),
    Action("surveys.case_manager_answered", _("case manager's questionnaire answered"), CHANGE),
    Action("surveys.answers_assigned", _("answers assigned to an experiment"), CHANGE),
)}


def label_of(code: str) -> str:
    """The action's readable label; an unknown code (from an older version) as it is."""
    action = ACTIONS.get(code)
    return str(action.label) if action else code
