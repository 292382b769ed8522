"""What each audited action means, in the words a user reads in a journal."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "compte.creation": "Création du compte",
    "compte.mot_de_passe.modification": "Changement du mot de passe",
    "compte.mot_de_passe.reinitialisation": "Réinitialisation du mot de passe par courriel",
    "projet.creation": "Création du projet",
    "projet.etape": "Changement d'étape",
    "projet.cahier_des_charges": "Mise à jour du cahier des charges",
    "projet.commentaire": "Commentaire ou avis",
    "projet.cout": "Coût de l'opération",
    "projet.prochaine_action": "Prochaine action",
    "projet.financement": "Ligne du plan de financement",
    "projet.financement.suppression": "Suppression d'une ligne de financement",
    "projet.equipe.ajout": "Ajout d'un membre de l'équipe",
    "projet.equipe.retrait": "Retrait d'un membre de l'équipe",
    "projet.partenaire.ajout": "Ajout d'un partenaire",
    "projet.partenaire.retrait": "Retrait d'un partenaire",
    "projet.invitation": "Invitation d'un partenaire à suivre le projet",
    "projet.invitation.retrait": "Retrait de l'invitation d'un partenaire",
    "projet.contact.ajout": "Ajout d'un contact",
    "projet.contact.retrait": "Retrait d'un contact",
    "projet.action.ajout": "Ajout d'une action d'accompagnement",
    "projet.action.modification": "Modification d'une action d'accompagnement",
    "projet.action.suppression": "Suppression d'une action d'accompagnement",
    "projet.document.depot": "Dépôt d'un document",
    "projet.document.version": "Nouvelle version d'un document",
    "projet.document.lecture": "Consultation d'un document",
    "projet.document.suppression": "Suppression d'un document",
    "candidat.creation": "Création du dossier du candidat",
    "candidat.modification": "Modification du dossier du candidat",
    "candidat.consultation": "Consultation du dossier du candidat",
    "candidat.export": "Export des données du candidat",
    "candidat.effacement": "Effacement des données du candidat",
    "candidat.etape": "Étape d'une mise en relation",
    "candidat.mise_en_relation": "Mise en relation avec un poste",
    "candidat.visite": "Visite du territoire",
    "candidat.visite.retour": "Retour d'une visite du territoire",
    "convention.creation": "Signature d'une convention",
    "convention.installation": "Installation constatée",
    "convention.rupture": "Rupture d'engagement",
    "convention.versements": "Échéancier des versements",
    "poste.creation": "Publication d'un poste",
    "poste.statut": "Statut d'un poste",
    "dispositif.creation": "Création d'un dispositif d'aide",
    "dispositif.modification": "Modification d'un dispositif d'aide",
    "campagne.creation": "Création d'une campagne",
    "campagne.export": "Export des destinataires d'une campagne",
}


def action_label(action: str) -> str:
    """The user's words for an audited action; an action without a label reads as its code, never as nothing."""
    return ACTION_LABELS.get(action, action)
