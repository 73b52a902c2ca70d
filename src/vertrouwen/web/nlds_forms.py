"""Form widgets with the NL Design System classes, error messages tied to their fields for screen readers, and
fields for amounts and percentages as people write them."""

from django import forms
from django.utils.translation import gettext as _

from vertrouwen.core.dataset.schema import DATE_RANGE
from vertrouwen.core.formatting import basis_points, euro, parse_euros, parse_percentage

WIDGET_CLASSES = {
    # Subclasses before their parents: CheckboxSelectMultiple is a RadioSelect.
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.widgets.Input: "utrecht-textbox utrecht-textbox--html-input",
}


class DateInput(forms.DateInput):
    """The browser's own date picker, in ISO form."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EuroField(forms.CharField):
    """An amount typed in euros ('202,00', '€ 1.308,45'), kept in integer cents."""

    def prepare_value(self, value):
        return euro(value).removeprefix("€ ") if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_euros(value)
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None


class PercentageField(forms.CharField):
    """A percentage typed as people write it ('25', '12,5 %'), kept in basis points."""

    def prepare_value(self, value):
        return basis_points(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_percentage(value)
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None


class NldsFormMixin:
    """Mix into a Form: every widget gets its NL Design System class; a field with an error points at it; a date
    lies within the range every entrance keeps (core.dataset.schema.DATE_RANGE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next(c for kind, c in WIDGET_CLASSES.items() if isinstance(field.widget, kind))
            field.widget.attrs.setdefault("class", css)
            field.widget.layout = _layout(field.widget)  # how _form_field.html lays the field out
            if isinstance(field, forms.DateField):
                field.validators = [*field.validators, _within_reason]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def _within_reason(day) -> None:
    earliest, latest = DATE_RANGE
    if not earliest <= day <= latest:
        raise forms.ValidationError(_("Choose a date between %(first)s and %(last)s.")
                                    % {"first": f"{earliest:%d-%m-%Y}", "last": f"{latest:%d-%m-%Y}"})


def _layout(widget) -> str:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "check" if isinstance(widget, forms.CheckboxInput) else "text"
