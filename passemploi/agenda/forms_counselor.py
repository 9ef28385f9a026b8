"""Forms of the counselor's agenda pages. They parse input and say every mistake at once; the
services check the rules again, and the views put their refusals back onto these fields.

Dates and times are typed in the structure's time zone (`zone`): the forms turn them into aware
datetimes, and a duration or an end time into minutes."""

from datetime import UTC, datetime

from django import forms
from django.utils import timezone

from passemploi.agenda.enums import SESSION_TYPES, AppointmentType, Attendance, Modality
from passemploi.agenda.services import FUTURE_LIMIT, MAX_DURATION, MAX_SEATS, PAST_LIMIT
from passemploi.core.forms import BaseForm

TYPE_MESSAGE = "Choisissez un type de rendez-vous dans la liste."
MODALITY_MESSAGE = "Choisissez une modalité dans la liste."
RANGE_MESSAGE = "Le rendez-vous doit commencer entre il y a un an et dans deux ans."
DATE_INVALID = "Saisissez une date valide, par exemple 31/12/2026."
TIME_INVALID = "Saisissez une heure valide, par exemple 14:30."
DURATION_MESSAGE = "La durée doit être comprise entre 1 minute et 12 heures."
END_BEFORE_START = "L'heure de fin doit être après l'heure de début."
NOT_IN_PORTFOLIO = "Ce bénéficiaire ne fait pas partie de votre portefeuille."
DEADLINE_MESSAGE = "Une date limite doit précéder le début de la session."
# Which form field a service's refusal is about, when their names differ.
SERVICE_FIELDS = {"starts_at": "date", "reason": "reason", "attendance": None}


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def full_name(young_person) -> str:
    return f"{young_person.user.last_name.upper()} {young_person.user.first_name}"


class YoungPeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return full_name(obj)


class YoungPersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return full_name(obj)


class _AppointmentBase(BaseForm):
    """Fields and checks shared by appointments and sessions: what, when, where."""

    type = forms.ChoiceField(
        label="Type",
        choices=[("", "Sélectionnez un type")] + AppointmentType.choices,
        error_messages={"required": TYPE_MESSAGE, "invalid_choice": TYPE_MESSAGE},
    )
    title = forms.CharField(
        label="Titre",
        max_length=255,
        error_messages={
            "required": "Le titre est obligatoire.",
            "max_length": "Le titre ne doit pas dépasser 255 caractères.",
        },
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    date = forms.DateField(
        label="Date",
        help_text="Format attendu : JJ/MM/AAAA",
        widget=date_input(),
        error_messages={"required": "La date est obligatoire.", "invalid": DATE_INVALID},
    )
    start_time = forms.TimeField(
        label="Heure de début",
        help_text="Format attendu : HH:MM",
        widget=time_input(),
        error_messages={
            "required": "L'heure de début est obligatoire.",
            "invalid": TIME_INVALID,
        },
    )
    duration_minutes = forms.IntegerField(
        label="Durée (en minutes)",
        required=False,
        min_value=1,
        max_value=MAX_DURATION,
        help_text="Indiquez la durée ou l'heure de fin.",
        error_messages={
            "invalid": "Saisissez une durée en minutes, par exemple 45.",
            "min_value": DURATION_MESSAGE,
            "max_value": DURATION_MESSAGE,
        },
    )
    end_time = forms.TimeField(
        label="Heure de fin",
        required=False,
        help_text="Format attendu : HH:MM",
        widget=time_input(),
        error_messages={"invalid": TIME_INVALID},
    )
    modality = forms.ChoiceField(
        label="Modalité",
        choices=[("", "Sélectionnez une modalité")] + Modality.choices,
        error_messages={"required": MODALITY_MESSAGE, "invalid_choice": MODALITY_MESSAGE},
    )
    address = forms.CharField(label="Adresse", required=False, max_length=255)
    video_link = forms.URLField(
        label="Lien de la visio",
        required=False,
        max_length=200,
        help_text="Obligatoire pour un rendez-vous par visio, par exemple https://visio.fr/abc",
        error_messages={"invalid": "Saisissez une adresse web valide, commençant par https://"},
    )

    def __init__(self, *args, zone, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.today = today

    def clean(self):
        data = super().clean()
        self._clean_timing(data)
        if data.get("modality") == Modality.VIDEO and "video_link" in data:
            if not data["video_link"]:
                self.add_error("video_link", "Indiquez le lien de la visio.")
        return data

    def _clean_timing(self, data) -> None:
        day, start = data.get("date"), data.get("start_time")
        # The service checks the exact instant; a day far out never reaches it.
        if day is not None and not (self.today - PAST_LIMIT <= day <= self.today + FUTURE_LIMIT):
            self.add_error("date", RANGE_MESSAGE)
            return
        if day is None or start is None:
            return
        starts_at = datetime.combine(day, start, tzinfo=self.zone)
        data["starts_at"] = starts_at
        if "duration_minutes" not in data or "end_time" not in data:
            return  # already refused as typed
        duration, end = data["duration_minutes"], data["end_time"]
        if end is None:
            if duration is None:
                self.add_error("duration_minutes", "Indiquez la durée ou l'heure de fin.")
            return
        # In UTC: an aware subtraction in one zone would ignore a summer-time change.
        ends_at = datetime.combine(day, end, tzinfo=self.zone)
        minutes = int((ends_at.astimezone(UTC) - starts_at.astimezone(UTC)).total_seconds() // 60)
        if minutes <= 0:
            self.add_error("end_time", END_BEFORE_START)
        elif minutes > MAX_DURATION:
            self.add_error("end_time", DURATION_MESSAGE)
        elif duration is not None and duration != minutes:
            self.add_error(
                "end_time",
                "La durée et l'heure de fin ne concordent pas : indiquez l'une ou l'autre.",
            )
        else:
            data["duration_minutes"] = minutes

    @staticmethod
    def timing_initial(appointment) -> dict:
        local = timezone.localtime(appointment.starts_at)
        return {
            "date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": appointment.duration_minutes,
        }

    def _common_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "title": data["title"],
            "description": data["description"],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "modality": data["modality"],
            "address": data["address"],
            "video_link": data["video_link"],
        }


class AppointmentForm(_AppointmentBase):
    """An individual appointment: the three fieldsets Bénéficiaires, Modalités pratiques, Accès."""

    young_people = YoungPeopleField(
        label="Bénéficiaires concernés",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque bénéficiaire coché reçoit une invitation par e-mail.",
        error_messages={
            "required": "Choisissez au moins un bénéficiaire.",
            "invalid_choice": NOT_IN_PORTFOLIO,
            "invalid_pk_value": NOT_IN_PORTFOLIO,
        },
    )
    type_detail = forms.CharField(
        label="Précisez le type",
        required=False,
        max_length=120,
        help_text="Obligatoire pour le type « Autre ».",
        error_messages={"max_length": "La précision ne doit pas dépasser 120 caractères."},
    )
    organisation = forms.CharField(label="Organisme", required=False, max_length=255)
    counselor_present = forms.BooleanField(
        label="Le conseiller est présent", required=False, initial=True
    )
    comment = forms.CharField(
        label="Commentaire pour le bénéficiaire",
        required=False,
        help_text="Le bénéficiaire le lit sur la page du rendez-vous.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FIELDS = ("type_detail", "organisation", "counselor_present", "comment")

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_people"].queryset = young_people

    def clean(self):
        data = super().clean()
        if data.get("type") == AppointmentType.AUTRE and "type_detail" in data:
            if not data["type_detail"].strip():
                self.add_error("type_detail", "Précisez le type de rendez-vous.")
        elif data.get("type"):
            data["type_detail"] = ""  # a detail only goes with « Autre »
        return data

    @classmethod
    def initial_for(cls, appointment, young_people) -> dict:
        initial = {name: getattr(appointment, name) for name in cls.FIELDS}
        initial |= {
            name: getattr(appointment, name)
            for name in ("type", "title", "description", "modality", "address", "video_link")
        }
        initial["young_people"] = [yp.pk for yp in young_people]
        return initial | cls.timing_initial(appointment)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = self._common_arguments()
        arguments |= {name: data[name] for name in self.FIELDS}
        arguments["young_people"] = list(data["young_people"])
        return arguments


class SessionForm(_AppointmentBase):
    """A collective session of the structure: an atelier or an information collective."""

    max_participants = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        max_value=MAX_SEATS,
        error_messages={
            "required": f"Indiquez un nombre de places entre 1 et {MAX_SEATS}.",
            "invalid": f"Indiquez un nombre de places entre 1 et {MAX_SEATS}.",
            "min_value": f"Indiquez un nombre de places entre 1 et {MAX_SEATS}.",
            "max_value": f"Indiquez un nombre de places entre 1 et {MAX_SEATS}.",
        },
    )
    visible = forms.BooleanField(
        label="Visible des bénéficiaires de la structure",
        required=False,
        initial=True,
        help_text="La session apparaît dans leurs Événements.",
    )
    self_registration = forms.BooleanField(
        label="Les bénéficiaires peuvent s'inscrire eux-mêmes",
        required=False,
        initial=True,
    )
    registration_deadline = forms.DateTimeField(
        label="Fin des inscriptions",
        required=False,
        help_text="Facultatif : jusqu'au début de la session par défaut.",
        widget=datetime_input(),
        error_messages={"invalid": "Saisissez une date et une heure valides."},
    )
    unregistration_deadline = forms.DateTimeField(
        label="Fin des désinscriptions",
        required=False,
        help_text="Facultatif : jusqu'au début de la session par défaut.",
        widget=datetime_input(),
        error_messages={"invalid": "Saisissez une date et une heure valides."},
    )

    FIELDS = ("max_participants", "visible", "self_registration")
    DEADLINES = ("registration_deadline", "unregistration_deadline")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type_field = self.fields["type"]
        type_field.choices = [("", "Sélectionnez un type")] + [
            (t.value, t.label) for t in SESSION_TYPES
        ]
        type_field.error_messages["invalid_choice"] = (
            "Une session collective est un atelier ou une information collective."
        )

    def clean(self):
        data = super().clean()
        for name in self.DEADLINES:
            deadline = data.get(name)
            if deadline is None:
                continue
            # Typed in the structure's time zone, whatever zone the request runs in.
            deadline = timezone.make_naive(deadline).replace(tzinfo=self.zone)
            data[name] = deadline
            if data.get("starts_at") and deadline > data["starts_at"]:
                self.add_error(name, DEADLINE_MESSAGE)
        return data

    @classmethod
    def initial_for(cls, appointment) -> dict:
        initial = {
            name: getattr(appointment, name)
            for name in ("type", "title", "description", "modality", "address", "video_link")
        }
        initial |= {name: getattr(appointment, name) for name in cls.FIELDS}
        for name in cls.DEADLINES:
            value = getattr(appointment, name)
            initial[name] = timezone.localtime(value) if value else None
        return initial | cls.timing_initial(appointment)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = self._common_arguments()
        arguments |= {name: data[name] for name in self.FIELDS + self.DEADLINES}
        return arguments


class CancelForm(BaseForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=255,
        help_text="Les bénéficiaires inscrits le reçoivent avec l'annulation.",
        error_messages={
            "required": "Indiquez le motif de l'annulation.",
            "max_length": "Le motif ne doit pas dépasser 255 caractères.",
        },
    )


class RegisterForm(BaseForm):
    young_person = YoungPersonField(
        label="Bénéficiaire",
        queryset=None,
        empty_label="Sélectionnez un bénéficiaire",
        help_text="Les bénéficiaires de la structure qui ne sont pas encore inscrits.",
        error_messages={
            "required": "Choisissez le bénéficiaire à inscrire.",
            "invalid_choice": "Ce bénéficiaire ne peut pas être inscrit à cette session.",
        },
    )

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = young_people


class UnregisterForm(BaseForm):
    young_person = YoungPersonField(
        label="Bénéficiaire",
        queryset=None,
        empty_label="Sélectionnez un bénéficiaire",
        error_messages={
            "required": "Choisissez le bénéficiaire à désinscrire.",
            "invalid_choice": "Ce bénéficiaire n'est pas inscrit à cette session.",
        },
    )
    reason = forms.CharField(
        label="Motif de la désinscription",
        max_length=255,
        error_messages={
            "required": "Indiquez le motif de la désinscription.",
            "max_length": "Le motif ne doit pas dépasser 255 caractères.",
        },
    )

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = young_people


ATTENDANCE_CHOICES = [
    (Attendance.PRESENT.value, "Présent"),
    (Attendance.ABSENT.value, "Absent"),
    (Attendance.EXCUSED.value, "Excusé"),
]


class CloseForm(BaseForm):
    """One radio group per expected participant: present, absent or excused."""

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = list(participations)
        for participation in self.participations:
            name = full_name(participation.young_person)
            self.fields[self.field_name(participation)] = forms.ChoiceField(
                label=name,
                choices=ATTENDANCE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Indiquez la présence de {name}.",
                    "invalid_choice": "Choisissez présent, absent ou excusé.",
                },
            )

    @staticmethod
    def field_name(participation) -> str:
        return f"presence_{participation.young_person_id}"

    def attendance(self) -> dict:
        return {
            p.young_person_id: self.cleaned_data[self.field_name(p)] for p in self.participations
        }
