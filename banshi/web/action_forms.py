"""What the pages' action forms share: each form is one row of a transition table
(banshi.appeals.transitions), parses that action's input and calls the action."""

from collections.abc import Mapping

from django import forms

from banshi.appeals.limits import NOTE_MAX
from banshi.appeals.transitions import Table


def note_field(label="说明", required=False, rows=2, max_length=NOTE_MAX):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class BaseActionForm(forms.Form):
    """One action offered on an object's page (a case, a problem).

    Subclasses name their row of the transition table (`table`, `transition`), set `label`
    and `done`, and call the action in `perform()`. A form is offered exactly when the table
    allows its transition (deny by default: a form without a transition is never shown).
    The object is `self.subject`, also under the name `subject_name` ("appeal", "problem").
    """

    table: Table | None = None
    transition = ""
    subject_name = "subject"
    label = ""
    done = "操作成功"
    button = ""
    danger = False
    primary = False  # shown unfolded on the page
    aliases: dict[str, str] = {}  # an action's field name → this form's field name

    def __init__(self, *args, subject, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject, self.user = subject, user
        setattr(self, self.subject_name, subject)

    @classmethod
    def offered(cls, user, subject) -> bool:
        return cls.table is not None and cls.table.allowed(cls.transition, user, subject)

    def perform(self):
        raise TypeError(f"{type(self).__name__} must define perform()")

    @property
    def submit_label(self) -> str:
        return self.button or self.label


def offered_forms(forms_by_name: Mapping[str, type[BaseActionForm]], user, subject,
                  bound: tuple[str, BaseActionForm] | None = None) -> list:
    """[(name, form)] of the actions `user` may take on `subject` now; `bound` (a form that
    failed) replaces its blank form."""
    result = []
    for name, form_class in forms_by_name.items():
        if not form_class.offered(user, subject):
            continue
        if bound and bound[0] == name:
            result.append(bound)
        else:
            result.append((name, form_class(subject=subject, user=user,
                                            auto_id=f"id_{name}_%s")))
    return result
