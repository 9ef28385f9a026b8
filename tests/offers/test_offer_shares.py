"""A counselor shares an offer: an offer card in each recipient's conversation."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from passemploi.broadcasts.models import BroadcastList
from passemploi.chat import services as chat_services
from passemploi.chat import shared
from passemploi.chat.models import Message
from passemploi.core.errors import ServiceError
from passemploi.offers import shares
from passemploi.offers.models import OfferShare, OfferShareRecipient
from tests.factories import YoungPersonFactory
from tests.offers.factories import OfferFactory


@pytest.fixture
def offer(db):
    return OfferFactory(title="Vendeur en boulangerie", company="Boulangerie Martin")


def test_share_to_young_people_and_lists_once_each(counselor, young_person, offer, published):
    second = YoungPersonFactory(counselor=counselor)
    third = YoungPersonFactory(counselor=counselor)
    broadcast_list = BroadcastList.objects.create(owner=counselor, name="Vente")
    broadcast_list.members.set([second, third])
    client_id = uuid.uuid4()
    share, created = shares.share_offer(
        counselor.user,
        offer,
        client_id=client_id,
        young_person_ids=[young_person.pk, second.pk],
        list_ids=[broadcast_list.pk],
        body="Regarde celle-ci",
    )
    assert created and share.recipient_count == 3
    messages = Message.objects.filter(shared_type="offer")
    assert messages.count() == 3
    assert {m.shared_id for m in messages} == {shares.offer_shared_id(offer.pk)}
    assert {m.conversation.young_person for m in messages} == {young_person, second, third}
    offer_events = [e for _, e in published if e["type"] == "offer.shared"]
    assert offer_events == [
        {"type": "offer.shared", "share_id": str(share.pk), "offer_id": offer.pk}
    ]

    # A retry with the same client id sends nothing again.
    again, created_again = shares.share_offer(
        counselor.user, offer, client_id=client_id, young_person_ids=[young_person.pk]
    )
    assert again == share and not created_again
    assert Message.objects.filter(shared_type="offer").count() == 3
    with pytest.raises(ServiceError) as error:
        shares.share_offer(
            counselor.user, OfferFactory(), client_id=client_id, young_person_ids=[second.pk]
        )
    assert error.value.code == "client_id_reused"


def test_the_card_for_each_side(counselor, young_person, offer):
    shares.share_offer(
        counselor.user, offer, client_id=uuid.uuid4(), young_person_ids=[young_person.pk]
    )
    message = Message.objects.get(shared_type="offer")
    young_card = shared.resolve(young_person.user, [message], "young_person")[message.pk]
    assert young_card.title == "Vendeur en boulangerie"
    assert young_card.detail == "Offre · Emploi · Boulangerie Martin · Lyon"
    assert young_card.url == reverse("offers_young:detail", args=[offer.pk])
    counselor_card = shared.resolve(counselor.user, [message], "counselor")[message.pk]
    assert counselor_card.url == reverse("offers_counselor:detail", args=[offer.pk])
    # Once expired (and not followed), the card says it is no longer available.
    offer.expires_at = timezone.now() - timedelta(days=1)
    offer.save()
    assert not shared.resolve(young_person.user, [message], "young_person")[message.pk].available


def test_only_ones_own_portfolio(counselor, young_person, offer, other_structure_counselor):
    with pytest.raises(ServiceError) as error:
        shares.share_offer(
            other_structure_counselor.user,
            offer,
            client_id=uuid.uuid4(),
            young_person_ids=[young_person.pk],
        )
    assert error.value.status == 404
    with pytest.raises(ServiceError) as error:
        shares.share_offer(counselor.user, offer, client_id=uuid.uuid4())
    assert error.value.code == "no_recipient"
    with pytest.raises(ServiceError) as error:
        shares.share_offer(
            young_person.user, offer, client_id=uuid.uuid4(), young_person_ids=[young_person.pk]
        )
    assert error.value.status == 403
    assert not OfferShare.objects.exists() and not Message.objects.exists()


def test_share_form_on_the_counselor_offer_page(counselor_client, counselor, young_person, offer):
    detail = reverse("offers_counselor:detail", args=[offer.pk])
    html = counselor_client.get(detail).content.decode()
    assert "Partager cette offre" in html
    client_id = str(uuid.uuid4())
    url = reverse("offers_counselor:share", args=[offer.pk])
    data = {"client_id": client_id, "young_people": [str(young_person.pk)], "body": ""}
    response = counselor_client.post(url, data, follow=True)
    assert "Offre partagée à 1 bénéficiaire." in response.content.decode()
    counselor_client.post(url, data)  # a double submit
    assert OfferShareRecipient.objects.count() == 1
    response = counselor_client.post(url, {"client_id": str(uuid.uuid4())}, follow=True)
    assert "Choisissez au moins un bénéficiaire" in response.content.decode()


def test_shared_offers_reach_the_young_persons_pages_and_api(
    young_client, counselor, young_person, offer
):
    shares.share_offer(
        counselor.user, offer, client_id=uuid.uuid4(), young_person_ids=[young_person.pk]
    )
    html = young_client.get(reverse("offers_young:alerts")).content.decode()
    assert "Offres partagées par votre conseiller" in html and "Vendeur en boulangerie" in html
    body = young_client.get("/api/v1/shares").json()
    assert body["count"] == 1 and body["items"][0]["offer"]["id"] == offer.pk
    conversation = chat_services.conversation_of(young_person)
    messages = young_client.get(f"/api/v1/conversations/{conversation.pk}/messages").json()
    assert messages["items"][0]["shared"]["title"] == "Vendeur en boulangerie"


def test_shares_api(counselor_client, young_person, offer):
    payload = {
        "offer_id": offer.pk,
        "client_id": str(uuid.uuid4()),
        "young_person_ids": [str(young_person.pk)],
    }
    first = counselor_client.post("/api/v1/shares", payload, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["recipient_count"] == 1
    again = counselor_client.post("/api/v1/shares", payload, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    payload["client_id"] = str(uuid.uuid4())
    payload["young_person_ids"] = [str(YoungPersonFactory().pk)]
    other = counselor_client.post("/api/v1/shares", payload, content_type="application/json")
    assert other.status_code == 404
    payload["offer_id"] = 999_999_999
    assert (
        counselor_client.post(
            "/api/v1/shares", payload, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("size", [1, 8])
def test_offer_page_queries_stay_constant(
    counselor_client, counselor, offer, django_assert_max_num_queries, size
):
    for n in range(size):
        YoungPersonFactory(counselor=counselor)
        BroadcastList.objects.create(owner=counselor, name=f"Liste {n}")
    with django_assert_max_num_queries(12):
        counselor_client.get(reverse("offers_counselor:detail", args=[offer.pk]))
