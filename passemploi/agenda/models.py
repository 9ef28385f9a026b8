import secrets
import uuid
from datetime import UTC, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from passemploi.accounts.models import Counselor, Structure, YoungPerson
from passemploi.agenda.enums import AppointmentType, Attendance, Modality, State


class Appointment(models.Model):
    """A rendez-vous with one or several young people, or a collective session of a structure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="appointments")
    counselor = models.ForeignKey(
        Counselor, on_delete=models.PROTECT, related_name="appointments", verbose_name="conseiller"
    )
    type = models.CharField("type", max_length=40, choices=AppointmentType.choices)
    type_detail = models.CharField("précision du type", max_length=120, blank=True)
    title = models.CharField("titre", max_length=255)
    description = models.TextField("description", blank=True)
    comment = models.TextField("commentaire du conseiller", blank=True)
    starts_at = models.DateTimeField("début")
    # The start's calendar date in the structure's time zone: weeks are plain date ranges.
    local_date = models.DateField("date locale", editable=False)
    duration_minutes = models.PositiveIntegerField("durée (minutes)")
    modality = models.CharField("modalité", max_length=16, choices=Modality.choices)
    address = models.CharField("adresse", max_length=255, blank=True)
    video_link = models.URLField("lien de visio", blank=True)
    organisation = models.CharField("organisme", max_length=255, blank=True)
    counselor_present = models.BooleanField("conseiller présent", default=True)
    # Collective session fields.
    is_session = models.BooleanField("session collective", default=False)
    max_participants = models.PositiveIntegerField("places", null=True, blank=True)
    visible = models.BooleanField("visible des jeunes de la structure", default=False)
    self_registration = models.BooleanField("inscription par les jeunes", default=False)
    registration_deadline = models.DateTimeField("fin des inscriptions", null=True, blank=True)
    unregistration_deadline = models.DateTimeField("fin des désinscriptions", null=True, blank=True)
    # Life cycle.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    canceled_at = models.DateTimeField(null=True, blank=True)
    canceled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField("motif d'annulation", max_length=255, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Idempotency key of an API creation, unique per creator (a retried request finds it).
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    # iCalendar SEQUENCE: goes up on every change sent to participants.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["structure", "starts_at"]),
            models.Index(fields=["counselor", "starts_at"]),
            models.Index(fields=["local_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="appointment_client_id_unique_per_user",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def ends_at(self):
        # Added in UTC: on a local wall-clock time (as given by a form, before saving) the
        # duration would be an hour off across a summer-time change.
        return self.starts_at.astimezone(UTC) + timedelta(minutes=self.duration_minutes)

    def state(self, now=None) -> State:
        if self.canceled_at:
            return State.CANCELED
        if self.closed_at:
            return State.CLOSED
        if self.starts_at <= (now or timezone.now()):
            return State.TO_CLOSE
        return State.UPCOMING


class Participation(models.Model):
    """One young person at one appointment or session, with their attendance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="participations"
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="participations"
    )
    attendance = models.CharField(
        "présence", max_length=16, choices=Attendance.choices, default=Attendance.EXPECTED
    )
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    unregistered_at = models.DateTimeField(null=True, blank=True)
    unregistration_reason = models.CharField("motif de désinscription", max_length=255, blank=True)

    class Meta:
        verbose_name = "participation"
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "young_person"], name="one_participation_per_young_person"
            )
        ]
        indexes = [models.Index(fields=["young_person", "attendance"])]

    def __str__(self):
        return f"{self.young_person} — {self.appointment}"


class AppointmentChange(models.Model):
    """The change log: who changed what, when ({field: [old, new]} as displayable strings)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(default=timezone.now)
    event = models.CharField(max_length=24)
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = "modification"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.event} {self.at:%Y-%m-%d %H:%M}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar subscription URL of one user. Revoking it gives a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "abonnement agenda"

    def __str__(self):
        return f"Agenda de {self.user_id}"
