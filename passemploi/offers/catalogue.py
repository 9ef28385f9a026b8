"""Vocabulary of the generated catalogue: plausible titles per ROME occupation family."""

# ROME code → (family, titles (masculine / feminine forms as employers write them), skills)
OCCUPATIONS = {
    "D1106": (
        "Vente",
        ["Vendeur / Vendeuse en alimentation", "Vendeur en boulangerie", "Employé de rayon frais"],
        ["accueil des clients", "mise en rayon", "encaissement", "hygiène alimentaire"],
    ),
    "D1214": (
        "Vente",
        ["Vendeur / Vendeuse en prêt-à-porter", "Conseiller de vente", "Vendeuse en boutique"],
        ["conseil client", "tenue de la boutique", "gestion des stocks", "encaissement"],
    ),
    "D1505": (
        "Vente",
        ["Hôte / Hôtesse de caisse", "Caissier / Caissière", "Employé libre-service"],
        ["encaissement", "accueil", "gestion des retours", "mise en rayon"],
    ),
    "G1602": (
        "Hôtellerie-restauration",
        ["Commis de cuisine", "Cuisinier / Cuisinière", "Aide de cuisine"],
        ["préparation des entrées", "respect des normes HACCP", "plonge", "mise en place"],
    ),
    "G1803": (
        "Hôtellerie-restauration",
        [
            "Serveur / Serveuse en restauration",
            "Chef de rang",
            "Employé polyvalent de restauration",
        ],
        ["service en salle", "prise de commande", "accueil des clients", "débarrassage"],
    ),
    "G1703": (
        "Hôtellerie-restauration",
        ["Réceptionniste en hôtellerie", "Veilleur de nuit", "Agent de réservation"],
        ["accueil", "anglais", "logiciel de réservation", "facturation"],
    ),
    "N1103": (
        "Transport et logistique",
        ["Préparateur / Préparatrice de commandes", "Magasinier", "Agent logistique"],
        ["préparation de commandes", "CACES 1", "lecture de bons", "chargement"],
    ),
    "N4101": (
        "Transport et logistique",
        ["Chauffeur livreur / Chauffeuse livreuse", "Livreur VL", "Conducteur poids lourd"],
        ["permis B", "livraison", "itinéraires", "relation client"],
    ),
    "F1703": (
        "Bâtiment",
        ["Maçon / Maçonne", "Aide maçon", "Ouvrier du bâtiment"],
        ["lecture de plans", "coffrage", "maçonnerie", "sécurité sur chantier"],
    ),
    "F1603": (
        "Bâtiment",
        ["Plombier chauffagiste", "Installateur sanitaire", "Apprenti plombier"],
        ["installation sanitaire", "soudure", "dépannage", "lecture de plans"],
    ),
    "F1602": (
        "Bâtiment",
        ["Électricien / Électricienne du bâtiment", "Aide électricien", "Câbleur"],
        ["câblage", "habilitation électrique", "mise en service", "tableaux électriques"],
    ),
    "I1604": (
        "Maintenance",
        ["Mécanicien automobile", "Technicien de maintenance auto", "Apprenti mécanicien"],
        ["diagnostic", "vidange", "freinage", "électronique embarquée"],
    ),
    "M1607": (
        "Support à l'entreprise",
        ["Secrétaire administratif", "Assistant administratif / Assistante administrative"],
        ["accueil téléphonique", "classement", "bureautique", "gestion de courrier"],
    ),
    "M1805": (
        "Informatique",
        ["Développeur / Développeuse web", "Développeur Python", "Développeur full stack"],
        ["Python", "JavaScript", "bases de données", "tests automatisés"],
    ),
    "M1810": (
        "Informatique",
        ["Technicien support informatique", "Technicienne helpdesk", "Assistant informatique"],
        ["assistance utilisateurs", "installation de postes", "réseau", "ticketing"],
    ),
    "J1501": (
        "Santé",
        ["Aide-soignant / Aide-soignante", "Agent de service hospitalier", "Brancardier"],
        ["soins d'hygiène", "accompagnement des patients", "travail en équipe", "transmissions"],
    ),
    "K1302": (
        "Services à la personne",
        ["Auxiliaire de vie", "Aide à domicile", "Assistant de vie aux familles"],
        ["aide aux repas", "accompagnement", "entretien du logement", "écoute"],
    ),
    "K1303": (
        "Services à la personne",
        ["Animateur / Animatrice périscolaire", "Animateur de centre de loisirs"],
        ["BAFA", "animation d'activités", "sécurité des enfants", "projet pédagogique"],
    ),
    "K2204": (
        "Propreté",
        ["Agent d'entretien", "Agent de propreté", "Laveur de vitres"],
        ["nettoyage des locaux", "produits d'entretien", "autonomie", "rigueur"],
    ),
    "A1203": (
        "Agriculture et espaces verts",
        ["Jardinier paysagiste", "Ouvrier espaces verts", "Agent d'entretien des espaces verts"],
        ["taille", "tonte", "plantation", "matériel motorisé"],
    ),
    "A1401": (
        "Agriculture et espaces verts",
        ["Ouvrier agricole", "Saisonnier vendanges", "Cueilleur de fruits"],
        ["récolte", "travail en extérieur", "tri des fruits", "conduite de tracteur"],
    ),
    "H2903": (
        "Industrie",
        ["Opérateur / Opératrice de production", "Agent de fabrication", "Conducteur de ligne"],
        ["conduite de machine", "contrôle qualité", "sécurité", "travail en équipe"],
    ),
    "E1103": (
        "Communication",
        ["Chargé de communication", "Community manager", "Assistant communication"],
        ["réseaux sociaux", "rédaction", "PAO", "événementiel"],
    ),
    "G1204": (
        "Sport et loisirs",
        ["Éducateur sportif", "Animateur sportif", "Coach sportif"],
        ["BPJEPS", "encadrement de groupes", "sécurité", "pédagogie"],
    ),
}

COMPANY_WORDS = (
    ["Boulangerie", "Maison", "Groupe", "Atelier", "Société", "Entreprise", "Cabinet", "Ferme"],
    ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Garnier", "Roux", "Fontaine"],
    ["", "", " et Fils", " Services", " Distribution", " Solutions", " & Cie"],
)

CIVIC_MISSIONS = {
    "ENVIRONNEMENT": "Sensibiliser le public au tri et à la réduction des déchets",
    "SOLIDARITE_INSERTION": "Accompagner des personnes isolées dans leurs démarches",
    "PREVENTION_PROTECTION": "Participer à des actions de prévention routière",
    "SANTE": "Soutenir les actions de prévention santé auprès des jeunes",
    "CULTURE_LOISIRS": "Faire découvrir la médiathèque aux publics éloignés de la lecture",
    "EDUCATION": "Aider des élèves dans leur travail scolaire",
    "EMPLOI": "Accompagner des demandeurs d'emploi au numérique",
    "SPORT": "Développer la pratique sportive dans un club de quartier",
    "HUMANITAIRE": "Contribuer à une collecte et à la distribution d'aide alimentaire",
    "ANIMAUX": "Participer à l'accueil des animaux d'un refuge",
    "VIVRE_ENSEMBLE": "Animer des rencontres intergénérationnelles",
    "AUTRE": "Soutenir la vie associative locale",
}

SALARIES = [
    "SMIC horaire",
    "Mensuel de 1 800 € à 2 000 € sur 12 mois",
    "Mensuel de 1 900 € sur 13 mois",
    "Horaire de 12 € à 13 €",
    "Selon profil",
]
