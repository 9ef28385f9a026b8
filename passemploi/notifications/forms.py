from django import forms

from passemploi.notifications import services
from passemploi.notifications.enums import Topic

HELP = {
    Topic.OFFERS: "Quand de nouvelles offres correspondent à vos alertes.",
    Topic.ACTIONS: "Quand votre conseiller vous propose une action, et 3 jours avant son échéance.",
    Topic.APPOINTMENTS: "Rendez-vous et sessions créés, modifiés ou annulés, et les rappels.",
    Topic.WEEKLY: "Le jeudi pour saisir vos actions, le lundi si votre semaine est vide.",
    Topic.NEWS: "Les actualités publiées par votre structure.",
    Topic.MESSAGES: "Quand votre conseiller vous écrit et que l'application est fermée.",
    Topic.DIGEST: "Chaque jour ouvré à 8 h, un e-mail listant vos conversations non lues.",
}


class PreferencesForm(forms.Form):
    """One switch per topic of this user (young person or counselor)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prefs = services.preferences_for(user)
        for topic in services.topics_for(user):
            self.fields[topic.value] = forms.BooleanField(
                label=topic.label,
                help_text=HELP[topic],
                required=False,
                initial=prefs.allows(topic),
            )
