"""Forms of the working calendar: declare a day off or open, withdraw a declaration."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import CalendarDay

# Declarations reach a year back (a correction) and two years ahead (announced calendars).
YEARS_BACK, YEARS_AHEAD = 1, 2


class CalendarDayForm(forms.ModelForm):
    """Declare a day off (a typhoon day, a City rest day) or a working day."""

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].widget = forms.DateInput(attrs={"type": "date"})

    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name_zh", "name_en", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def clean_day(self):
        day = self.cleaned_data["day"]
        first = self.today.replace(year=self.today.year - YEARS_BACK, month=1, day=1)
        last = self.today.replace(year=self.today.year + YEARS_AHEAD, month=12, day=31)
        if not first <= day <= last:
            raise forms.ValidationError(
                _("Choose a day between %(first)s and %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()}
            )
        return day


class WithdrawDayForm(forms.Form):
    """Why a declaration is withdrawn."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
