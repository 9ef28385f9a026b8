"""The notification centre and the preference pages."""

import pytest
from django.urls import reverse

from passemploi.notifications import services
from passemploi.notifications.enums import Kind, Topic
from passemploi.notifications.models import Notification, NotificationPreferences
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def notices(user, count, start=0):
    for n in range(start, start + count):
        services.notify(
            user,
            kind=Kind.APPOINTMENT,
            topic=Topic.APPOINTMENTS,
            title=f"Nouveau rendez-vous {n}",
            body="Entretien individuel le 12/03/2026 à 10:00.",
            link="/app/",
            key=f"test:{n}:{user.pk}",
        )


def test_centre_lists_and_badges(young_client, young_person):
    notices(young_person.user, 3)
    response = young_client.get(reverse("notifications_young:centre"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("pe-notification__button") == 3
    assert "Notifications, 3 non lues" in html  # the header link's name
    assert "Tout marquer comme lu" in html


def test_reading_one_opens_its_object(young_client, young_person):
    notices(young_person.user, 1)
    notice = Notification.objects.get()
    response = young_client.post(reverse("notifications_young:read", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/app/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_read_all(young_client, young_person):
    notices(young_person.user, 2)
    response = young_client.post(reverse("notifications_young:read_all"), follow=True)
    assert "Toutes vos notifications sont marquées comme lues." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "non lue" not in response.content.decode()


def test_someone_elses_notification_is_a_404(young_client):
    other = YoungPersonFactory()
    notices(other.user, 1)
    notice = Notification.objects.get()
    response = young_client.post(reverse("notifications_young:read", args=[notice.pk]))
    assert response.status_code == 404


def test_constant_queries(young_client, young_person, django_assert_max_num_queries):
    notices(young_person.user, 3)
    url = reverse("notifications_young:centre")
    young_client.get(url)
    with django_assert_max_num_queries(12) as small:
        young_client.get(url)
    notices(young_person.user, 40, start=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        young_client.get(url)


def test_young_preferences_page(young_client, young_person):
    url = reverse("notifications_young:preferences")
    response = young_client.get(url)
    html = response.content.decode()
    assert "Nouveaux messages" in html and "Actualités de ma structure" in html
    # Unchecked boxes are not posted: everything else goes off.
    response = young_client.post(url, {"messages": "on"}, follow=True)
    assert "Vos préférences sont enregistrées." in response.content.decode()
    prefs = NotificationPreferences.objects.get(user=young_person.user)
    assert prefs.messages and not prefs.news and not prefs.appointments


def test_counselor_preferences_page(counselor_client, counselor):
    url = reverse("notifications_counselor:preferences")
    html = counselor_client.get(url).content.decode()
    assert "E-mail récapitulatif des messages non lus" in html
    counselor_client.post(url, {})
    assert NotificationPreferences.objects.get(user=counselor.user).digest is False
    counselor_client.post(url, {"digest": "on"})
    assert NotificationPreferences.objects.get(user=counselor.user).digest is True


def test_roles(young_client, counselor_client):
    assert counselor_client.get(reverse("notifications_young:centre")).status_code == 403
    assert young_client.get(reverse("notifications_counselor:preferences")).status_code == 403
