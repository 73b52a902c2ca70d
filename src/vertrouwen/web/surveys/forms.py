"""The questionnaire page (built from an instrument) and the staff's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vertrouwen.core.surveys import Instrument
from vertrouwen.web.nlds_forms import DateInput, NldsFormMixin

STAFF_MODES = (("papier", _("Paper questionnaire")), ("begeleid", _("Answered with help (walk-in session)")),
               ("telefonisch", _("By telephone")))


class PageForm(NldsFormMixin, forms.Form):
    """One instrument: a choice per scale item, a number field per number item; every item may stay empty (the
    service checks the range and names the item)."""

    def __init__(self, instrument: Instrument, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            if item.scale.number:
                field = forms.CharField(label=item.text, required=False, max_length=8,
                                        help_text=item.scale.unit,
                                        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
            else:
                # A text field with radio buttons: the range is the service's to check, in its own words.
                field = forms.CharField(label=item.text, required=False, widget=forms.RadioSelect(
                    choices=[(str(v), label) for v, label in item.scale.options()]))
                if item.scale.low:
                    field.help_text = (f"{item.scale.minimum} = {item.scale.low}, "
                                       f"{item.scale.maximum} = {item.scale.high}")
            self.fields[item.code] = field
        for field in self.fields.values():  # the mixin styled the fields of the class; style these too
            field.widget.attrs.setdefault("class", "utrecht-radio-button utrecht-radio-button--html-input"
                                          if isinstance(field.widget, forms.RadioSelect)
                                          else "utrecht-textbox utrecht-textbox--html-input")
            field.widget.layout = "choices" if isinstance(field.widget, forms.RadioSelect) else "text"


class PeriodForm(NldsFormMixin, forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
