"""The NL Design System tables of the start pages, written once.

    {% load nlds_tables %}
    {% table "development" caption=caption size="medium" %}
      {% column _("Group") %}
      {% column _("Participants") numeric=True %}
    {% body %}
      <tr class="utrecht-table__row" data-arm="...">... {% figure "participants" col.participants %}</tr>
    {% total %}
      {% figure "participants" development.total.participants %}
    {% footer %}
      <tr class="utrecht-table__row">...</tr>
    {% endtable %}

`table` draws the scrollable region, the table, its caption and its header row (the header cells come
before `{% body %}`); the rows go between `{% body %}` and the optional `{% total %}`, which holds the cells
of the "Total" row at the foot; `{% footer %}` holds further rows at the foot. `size` is the width modifier
of the region (narrow, medium), none for the full width. The markup is in accounts/_table.html.

`column` is a header cell; `figure`, `percentage_figure` and `response_figure` are the cells with a number
that carry data-figure (accounts/_figure.html). A label given as _("...") must not contain a percent sign
(Django keeps it doubled there): translate it with {% translate "..." as label %} first.
"""

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

TABLE_SECTIONS = ("body", "total", "footer")  # in this order, after the header cells; body is required


class TableNode(template.Node):
    def __init__(self, table_id, options, sections):
        self.table_id = table_id
        self.options = options
        self.sections = sections
        self.nodelist = template.NodeList(node for nodelist in sections.values() for node in nodelist)

    def render(self, context):
        values = {"id": self.table_id.resolve(context)}
        values.update((name, value.resolve(context)) for name, value in self.options.items())
        with context.push():  # what a section sets ({% translate ... as label %}) stays inside the table
            values.update((name, mark_safe(nodelist.render(context)))  # noqa: S308 - rendered by the engine
                          for name, nodelist in self.sections.items())
        markup = context.template.engine.get_template("accounts/_table.html")
        return markup.render(context.new(values))


@register.tag
def table(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'table' needs the table's id: {% table \"id\" caption=... %}")
    options = token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2 or "caption" not in options or set(options) - {"caption", "size"}:
        raise template.TemplateSyntaxError("'table' takes the table's id, caption=... and optionally size=...")
    sections, name, following = {}, "head", list(TABLE_SECTIONS)
    while True:
        sections[name] = parser.parse((*following, "endtable"))
        name = parser.next_token().contents
        if name == "endtable":
            break
        following = following[following.index(name) + 1:]
    if "body" not in sections:
        raise template.TemplateSyntaxError("'table' needs {% body %} between its header cells and its rows")
    return TableNode(parser.compile_filter(bits[1]), options, sections)


@register.simple_tag
def column(label, numeric=False):
    """A header cell of the table's header row; numeric=True aligns it with the numbers below it."""
    modifier = " utrecht-table__header-cell--numeric-column" if numeric else ""
    return format_html('<th scope="col" class="utrecht-table__header-cell{}">{}</th>', modifier, label)


@register.inclusion_tag("accounts/_figure.html")
def figure(name, value):
    """A cell with a count, marked data-figure=name."""
    return {"name": name, "value": value, "kind": "count"}


@register.inclusion_tag("accounts/_figure.html")
def percentage_figure(name, value):
    """A cell with a percentage (or a dash when there is none), marked data-figure=name."""
    return {"name": name, "value": value, "kind": "percentage"}


@register.inclusion_tag("accounts/_figure.html")
def response_figure(name, cell, strong=False):
    """A cell with the response "respondents of participants (percentage)", marked data-figure=name."""
    return {"name": name, "value": cell, "kind": "response", "strong": strong}
