"""Form widgets with the NL Design System classes, and error messages tied to their fields for screen readers."""

from django import forms

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


class NldsFormMixin:
    """Mix into a Form: every widget gets its NL Design System class; a field with an error points at it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next(c for kind, c in WIDGET_CLASSES.items() if isinstance(field.widget, kind))
            field.widget.attrs.setdefault("class", css)
            field.widget.layout = _layout(field.widget)  # how _form_field.html lays the field out

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def _layout(widget) -> str:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "check" if isinstance(widget, forms.CheckboxInput) else "text"
