"""Quotes: direct and indirect speech, speakers (rule-based coreference), cues, offsets.

The tests marked `model` run the whole French pipeline (fr_core_news_md) on hand-written news sentences, one
construction each; the English ones run on the blank English pipeline; the others test the character-level
layer (quotation marks, sentences) and the lexicons without any model.
"""
from __future__ import annotations

import pytest
import spacy

from vigie.analysis.load import model_text
from vigie.nlp.extensions import register_extensions
from vigie.quotes.component import annotate_quotes, quotes_from_doc
from vigie.quotes.lexicon import english, french
from vigie.quotes.text import find_marks, layout, paragraphs

# ----------------------------------------------------------------------------------------------- helpers


def quotes(nlp, text: str):
    doc = nlp(model_text(text))
    errors = [e for e in doc._.vigie_errors or [] if e.startswith("vigie_quotes")]
    assert not errors, errors
    return quotes_from_doc(doc, text, "2024-03-05")


def find(qs, fragment: str):
    """The quote whose text contains `fragment` (exactly one)."""
    hits = [q for q in qs if fragment in q.text]
    assert len(hits) == 1, f"{fragment!r} in {[q.text for q in qs]}"
    return hits[0]


def marks_of(text: str) -> list[str]:
    return [text[m.start : m.end] for m in find_marks(text, paragraphs(text))]


# ----------------------------------------------------------------------------------------------- no model


def test_marks_pairs_nesting_and_straight_quotes():
    text = 'Il a dit « je cite “le texte” en entier » puis "une autre phrase entière" enfin.'
    assert marks_of(text) == ["je cite “le texte” en entier", "une autre phrase entière"]


def test_marks_continue_over_paragraphs_french_convention():
    text = "« Premier paragraphe de la citation.\n« Second paragraphe de la citation. »\nTexte suivant."
    (m,) = find_marks(text, paragraphs(text))
    assert text[m.start : m.end].startswith("Premier") and text[m.start : m.end].endswith("citation.")
    assert m.close == text.index("»")


def test_marks_unclosed_quote_ends_with_its_paragraph():
    text = "« Une citation sans fin\nUn autre paragraphe."
    assert marks_of(text) == ["Une citation sans fin"]


def test_marks_ignore_seconds_and_inches():
    text = 'Il a couru en 43"18 puis en 43"03 lors de la finale.'
    assert marks_of(text) == []


def test_sentences_do_not_break_inside_a_closed_quote():
    nlp = spacy.blank("fr")
    text = "« Nous partons. Nous revenons demain », a-t-il dit. Puis il est parti."
    lay = layout(nlp(text))
    assert [text[s:e] for s, e in lay.sentences] == [
        "« Nous partons. Nous revenons demain », a-t-il dit.",
        "Puis il est parti.",
    ]


def test_lexicons_hold_the_guide_verbs_and_generated_forms():
    fr = french()
    for verb in ("déclarer", "affirmer", "annoncer", "indiquer", "estimer", "expliquer", "ajouter", "préciser",
                 "assurer", "dire", "confirmer", "souligner", "reconnaître", "dénoncer", "accuser", "demander",
                 "appeler", "promettre", "nier", "juger", "rappeler", "avertir", "menacer", "remercier"):
        assert verb in fr.verbs, verb
    assert fr.lemma_of("indique") == "indiquer" and fr.lemma_of("ont") is None
    assert fr.lemma_of("reconnaît") == "reconnaître"
    assert english().lemma_of("told") == "tell"


def test_unknown_language_and_empty_text_give_no_quotes():
    register_extensions()
    nlp = spacy.blank("de")
    doc = nlp("„Wir kommen“, sagte er.")
    annotate_quotes(doc)
    assert doc._.quotes == []
    doc = spacy.blank("fr")("   ")
    annotate_quotes(doc)
    assert doc._.quotes == []


# ----------------------------------------------------------------------------------------------- French: direct


@pytest.mark.model
def test_direct_quote_with_inverted_pronoun_cue(nlp):
    text = ("Le ministre de la Santé, Paul Mercier, a visité mardi l'hôpital de Lyon.\n"
            "« Nous allons ouvrir deux cents lits supplémentaires avant l'hiver », a-t-il déclaré devant la presse.")
    q = find(quotes(nlp, text), "deux cents lits")
    assert q.direct and q.cue == "déclarer" and q.speaker == "Paul Mercier"
    assert q.speaker_text == "-il" and text[q.start : q.end] == q.text
    assert not q.text.startswith("«") and not q.text.endswith("»")


@pytest.mark.model
def test_direct_quote_with_inverted_named_cue_and_canonical_name(nlp):
    text = ("La présidente tunisienne, Amira Ben Salah, est arrivée à Sfax.\n"
            "« Le port rouvrira la semaine prochaine pour tous les navires », a confirmé Mme Ben Salah.")
    q = find(quotes(nlp, text), "Le port rouvrira")
    assert q.cue == "confirmer" and q.speaker == "Amira Ben Salah"


@pytest.mark.model
def test_partial_quote_speaker_from_title_and_demonym(nlp):
    text = ("Le président du Sénégal, Ousmane Diallo, s'est rendu jeudi à Dakar.\n"
            "Le président sénégalais a estimé que les secours ont « sauvé des centaines de vies dans la région ».")
    q = find(quotes(nlp, text), "sauvé des centaines")
    assert q.direct and q.cue == "estimer" and q.speaker == "Ousmane Diallo"
    # the frame "les secours ont" is the writer's words, not a second quote
    assert not [x for x in quotes(nlp, text) if not x.direct and "secours ont" in x.text]


@pytest.mark.model
def test_quote_spanning_paragraphs(nlp):
    text = ("La directrice de l'usine, Claire Dumont, a réuni les salariés lundi.\n"
            "« Nous avons perdu trois clients importants cette année.\n"
            "« Mais nous garderons tous les emplois jusqu'à la fin du contrat », a-t-elle assuré.")
    q = find(quotes(nlp, text), "trois clients")
    assert "garderons tous les emplois" in q.text and q.speaker == "Claire Dumont" and q.cue == "assurer"


@pytest.mark.model
def test_quote_repeated_in_a_sub_heading(nlp):
    text = ("Le maire de Nantes, Julien Roux, a présenté son plan mardi.\n"
            "« Un tramway gratuit pour tous les habitants »\n"
            "« Dès l'an prochain, un tramway gratuit pour tous les habitants de la ville », a promis M. Roux.")
    qs = quotes(nlp, text)
    heading = [q for q in qs if q.text == "Un tramway gratuit pour tous les habitants"]
    assert len(heading) == 1 and heading[0].speaker == "Julien Roux" and heading[0].cue == "promettre"


@pytest.mark.model
def test_quote_paragraph_speaker_from_the_paragraph_before(nlp):
    text = ("Le syndicaliste Marc Lefort a annoncé qu'une grève commencerait lundi dans les trois usines du groupe.\n"
            "« Nous ne reculerons pas tant que la direction refusera de négocier avec nous. »")
    q = find(quotes(nlp, text), "Nous ne reculerons pas")
    assert q.speaker == "Marc Lefort" and q.confidence < 0.8


@pytest.mark.model
def test_scare_quotes_and_names_of_operations_are_not_quotes(nlp):
    text = ("Les autorités ont qualifié l'attaque de « terroriste ». L'armée a lancé l'opération "
            "« Bouclier du désert » pour des raisons de « sûreté nationale ».")
    assert [q for q in quotes(nlp, text) if q.direct] == []


@pytest.mark.model
def test_scare_quote_stays_inside_indirect_speech(nlp):
    text = ("Le gouvernement a affirmé que la coupure d'internet visait à protéger la « sécurité publique » "
            "pendant le vote.")
    q = find(quotes(nlp, text), "coupure")
    assert not q.direct and "« sécurité publique »" in q.text and q.speaker == "gouvernement"


# ----------------------------------------------------------------------------------------------- French: indirect


@pytest.mark.model
def test_indirect_que_clause(nlp):
    text = ("La ministre de l'Agriculture, Sophie Garnier, a affirmé que les aides seraient versées avant la fin "
            "du mois.")
    q = find(quotes(nlp, text), "aides seraient versées")
    assert not q.direct and q.cue == "affirmer" and q.speaker == "Sophie Garnier"
    assert q.text == "les aides seraient versées avant la fin du mois"


@pytest.mark.model
def test_indirect_infinitive_complement(nlp):
    text = "L'armée malienne annonce avoir repris le contrôle de la ville de Gao après trois jours de combats."
    q = find(quotes(nlp, text), "avoir repris")
    assert q.cue == "annoncer" and q.speaker == "armée malienne" and q.text.startswith("avoir repris")


@pytest.mark.model
def test_accuse_object_de_infinitive(nlp):
    text = "Les pêcheurs accusent la compagnie de déverser des déchets toxiques dans la baie depuis des années."
    q = find(quotes(nlp, text), "déverser")
    assert q.cue == "accuser" and q.text.startswith("déverser") and q.speaker == "pêcheurs"


@pytest.mark.model
def test_selon_before_the_clause_gives_a_noun_phrase(nlp):
    text = "Selon les pompiers locaux, l'incendie a détruit près de deux cents hectares de forêt."
    q = find(quotes(nlp, text), "incendie")
    assert q.cue == "selon" and q.speaker == "pompiers locaux" and q.text.startswith("l'incendie")


@pytest.mark.model
def test_selon_after_the_clause(nlp):
    text = "Le pont restera fermé jusqu'à vendredi pour des travaux de réparation, selon la préfecture du Gard."
    q = find(quotes(nlp, text), "pont restera fermé")
    assert q.cue == "selon" and q.speaker == "préfecture du Gard"
    assert q.text == "Le pont restera fermé jusqu'à vendredi pour des travaux de réparation"


@pytest.mark.model
def test_d_apres_is_a_selon_cue(nlp):
    text = "D'après la police, trois suspects ont été interpellés dans la nuit."
    q = find(quotes(nlp, text), "trois suspects")
    assert q.cue == "selon" and q.speaker == "police"


@pytest.mark.model
def test_selon_a_statement_of_an_institution(nlp):
    text = "Selon un communiqué de la présidence malgache, le couvre-feu sera levé dimanche soir."
    q = find(quotes(nlp, text), "couvre-feu")
    assert q.speaker == "présidence malgache"


@pytest.mark.model
def test_selon_figures_have_no_speaker(nlp):
    text = "Selon les premiers résultats, la participation a dépassé soixante pour cent."
    q = find(quotes(nlp, text), "participation")
    assert q.cue == "selon" and q.speaker is None


@pytest.mark.model
def test_inverted_cue_after_a_clause(nlp):
    text = "Le vol a été annulé en raison d'une panne technique, a annoncé la compagnie aérienne."
    q = find(quotes(nlp, text), "vol a été annulé")
    assert q.cue == "annoncer" and q.speaker == "compagnie aérienne"
    assert q.text == "Le vol a été annulé en raison d'une panne technique"


@pytest.mark.model
def test_pour_x_reports_an_opinion(nlp):
    text = "Pour les analystes financiers, la hausse des taux va ralentir la croissance cette année."
    q = find(quotes(nlp, text), "hausse des taux")
    assert q.cue == "selon" and q.speaker == "analystes financiers"


@pytest.mark.model
def test_relative_qui_speaker(nlp):
    text = ("Le texte a été rejeté par le sénateur Henri Blanc, qui estime que la réforme coûtera trop cher "
            "aux communes.")
    q = find(quotes(nlp, text), "réforme coûtera")
    assert q.speaker == "Henri Blanc" and q.cue == "estimer"


@pytest.mark.model
def test_coordinated_que_clauses_are_two_quotes(nlp):
    text = ("Le porte-parole de l'ONU, Karim Haddad, a indiqué que les convois étaient bloqués à la frontière "
            "et que les stocks de nourriture seraient épuisés dans une semaine.")
    qs = quotes(nlp, text)
    a, b = find(qs, "convois étaient bloqués"), find(qs, "stocks de nourriture")
    assert a is not b and a.speaker == b.speaker == "Karim Haddad"


@pytest.mark.model
def test_pronoun_respects_gender(nlp):
    text = ("Mme Léa Morel a rencontré M. Hugo Perrin à Lille. Elle a expliqué que le projet de loi serait "
            "présenté au Parlement en juin.")
    q = find(quotes(nlp, text), "projet de loi")
    assert q.speaker == "Léa Morel" and q.speaker_text == "Elle"


@pytest.mark.model
def test_title_table_from_an_apposition_after_the_name(nlp):
    text = ("Ahmed Karimi, ministre de l'Intérieur, s'est rendu à Tunis lundi. "
            "Le ministre a précisé que trois policiers avaient été blessés.")
    q = find(quotes(nlp, text), "trois policiers")
    assert q.speaker == "Ahmed Karimi" and q.cue == "préciser"


@pytest.mark.model
def test_negated_and_impersonal_cues_are_not_quotes(nlp):
    text = ("Le directeur n'a pas dit que l'usine fermerait. Il faut rappeler que la ville compte dix mille "
            "habitants.")
    assert quotes(nlp, text) == []


@pytest.mark.model
def test_offsets_and_typographic_apostrophes(nlp):
    text = "Selon l’agence de presse officielle, l’aéroport a rouvert jeudi aux vols nationaux."
    q = find(quotes(nlp, text), "aéroport")
    assert text[q.start : q.end] == q.text and "’" in q.text
    assert text[q.speaker_start : q.speaker_end] == q.speaker_text


# ----------------------------------------------------------------------------------------------- English


def test_english_direct_quote_with_said_after_and_pronoun(en):
    text = ("Governor Maria Lopez visited the flooded town on Monday. “We will rebuild every home,” Lopez said. "
            "“It will take years,” she added.")
    qs = quotes(en, text)
    a, b = find(qs, "rebuild every home"), find(qs, "take years")
    assert a.direct and a.cue == "say" and a.speaker == "Maria Lopez"
    assert b.cue == "add" and b.speaker == "Maria Lopez" and b.speaker_text == "she"


def test_english_inverted_said_x(en):
    q = find(quotes(en, "“The bridge is safe,” said Mayor Tom Reed."), "bridge is safe")
    assert q.speaker == "Tom Reed"


def test_english_said_that_clause(en):
    q = find(quotes(en, "Senator Anna Bell said on Tuesday that the bill would pass next week."), "bill would")
    assert not q.direct and q.speaker == "Anna Bell" and q.text == "the bill would pass next week"


def test_english_told_reporters(en):
    q = find(quotes(en, "Union leaders told reporters the strike would continue until Friday."), "strike")
    assert q.cue == "tell" and q.speaker == "Union leaders"


def test_english_according_to_before_and_after(en):
    a = find(quotes(en, "According to the coast guard, four sailors were rescued overnight."), "four sailors")
    b = find(quotes(en, "Four sailors were rescued overnight, according to a statement from the coast guard."),
             "Four sailors")
    assert a.cue == b.cue == "according to"
    assert a.speaker == "coast guard" and b.speaker == "coast guard"


def test_english_clause_then_x_said(en):
    q = find(quotes(en, "The factory will close in June, company officials said."), "factory will close")
    assert q.speaker == "company officials" and q.text == "The factory will close in June"


def test_english_scare_quotes_are_not_quotes(en):
    assert quotes(en, "Critics called the plan a “tax grab” and a “disaster” for farmers.") == []


def test_english_headline_verbs_and_nouns_are_not_speakers(en):
    # a headline: "Report" is the subject noun, not a cue, and "finds" is no speaker
    qs = quotes(en, "Report finds rise in attacks on aid workers: “Aid workers face growing danger in conflict zones”")
    assert qs and all("finds" not in f"{q.speaker} {q.speaker_text}" for q in qs)
    q = find(quotes(en, "Report finds rise in attacks\n“Aid workers face growing danger in conflict zones around "
                        "the world,” the report says."), "growing danger")
    assert q.cue == "say" and q.speaker_text == "the report"
    # a title-case headline gives no name: "the mayor" is not "Denies Report Finds Widespread Fraud"
    q = find(quotes(en, "Mayor Denies Report Finds Widespread Fraud\nThe mayor said the audit of the vote was flawed."),
             "audit")
    assert q.speaker == "mayor"
    # a person, group or institution: not an adverb, not "state" of "secretary of state"
    q = find(quotes(en, "The senator has falsely claimed that the election was stolen."), "election")
    assert q.speaker == "senator"
    q = find(quotes(en, "The former secretary of state said the deal was a mistake."), "deal")
    assert q.speaker == "former secretary of state"


def test_english_titles_and_hyphens_before_a_name_are_not_part_of_it(en):
    q = find(quotes(en, "Reuters Editor-in-Chief Alessandra Galloni said the agency would keep reporting from "
                        "the region."), "agency")
    assert q.speaker == "Alessandra Galloni" and q.speaker_text == "Reuters Editor-in-Chief Alessandra Galloni"
    q = find(quotes(en, "“We stand by our reporting,” said Reuters Editor-in-Chief Alessandra Galloni."), "stand by")
    assert q.speaker == "Alessandra Galloni"
    assert find(quotes(en, "“The bill is dead,” Vermont Sen. Bernie Sanders said."), "bill").speaker == "Bernie Sanders"
    q = find(quotes(en, "Syrian President Bashar al-Assad said the army would retake the city."), "army")
    assert q.speaker == "Bashar al-Assad"  # a hyphen inside a name stays


def test_english_told_an_outlet_is_an_attribution_not_a_quote(en):
    qs = quotes(en, "“The fire spread very quickly,” he told Nine News.")
    assert [(q.text, q.cue, q.speaker_text) for q in qs] == [("The fire spread very quickly", "tell", "he")]
    # no fragment after the listener, no clause running into another attribution
    assert quotes(en, "Trump told Fox News host Sean Hannity earlier this month.") == []
    q = find(quotes(en, "The mayor told reporters he would resign, as his staff told reporters."), "resign")
    assert q.text == "he would resign"
    # no quote made only of an attribution ("The AP reported that"): the clause after the incise is the quote
    qs = quotes(en, "The AP reported that, according to an analysis of her calendar, most of the meetings were "
                    "with donors.")
    assert [(q.text, q.speaker_text) for q in qs] == [("most of the meetings were with donors", "The AP")]


def test_english_speaker_never_crosses_a_sentence_end_or_a_quote_mark(en):
    q = find(quotes(en, "Sanders said the money would go to 'Wall Street.' Hillary Clinton disagreed. “It is a bad "
                        "plan for working families,” Clinton said."), "bad plan")
    assert q.speaker == "Hillary Clinton"
    qs = quotes(en, "Sanders said the money would go to “Wall Street.” Hillary Clinton said the plan was weak.")
    assert find(qs, "money").text == "the money would go to “Wall Street.”"
    assert find(qs, "plan was weak").speaker == "Hillary Clinton"
    q = find(quotes(en, "Reporters asked the AP. Bill Millis, a spokesman, declined to comment. “We do not comment "
                        "on pending cases,” Millis said."), "pending cases")
    assert q.speaker == "Bill Millis"


# ----------------------------------------------------------------------------------------------- issue 13 (French)


@pytest.mark.model
def test_a_narrative_noun_is_never_the_speaker_its_teller_is(nlp):
    qs = quotes(nlp, "« Je n'avais plus rien », raconte-t-elle, d'après le récit qu'elle livre au journal local.")
    assert [(q.text, q.cue) for q in qs] == [("Je n'avais plus rien", "raconter")]  # no quote from "qu'elle livre"
    assert qs[0].speaker != "récit"
    q = find(quotes(nlp, "Sophie Martin a quitté la ville en 2019. D'après le récit qu'elle livre, elle a été "
                         "« enfermée pendant trois jours sans manger »."), "enfermée")
    assert q.speaker == "Sophie Martin"


@pytest.mark.model
def test_cue_after_the_quotation_tagged_as_a_noun(nlp):
    q = find(quotes(nlp, "« Ce n'est pas une solution durable pour les familles », juge Mme Binet, présidente de "
                         "l'association."), "solution durable")
    assert (q.cue, q.speaker) == ("juger", "Binet")


@pytest.mark.model
def test_cue_inside_a_quotation_ends_it_and_gives_both_parts_their_speaker(nlp):
    qs = quotes(nlp, "Claire Binet préside l'association. « Nous avons été entendus par le ministère, "
                     "souligne-t-elle. Mais rien n'a changé depuis. »")
    assert [(q.text, q.speaker, q.cue) for q in qs] == [
        ("Nous avons été entendus par le ministère", "Claire Binet", "souligner"),
        ("Mais rien n'a changé depuis.", "Claire Binet", "souligner"),
    ]


@pytest.mark.model
def test_no_fragment_quote(nlp):
    assert quotes(nlp, "Marie Durand est directrice de l'école. « C'est ce qu' », a-t-elle dit.") == []


@pytest.mark.model
@pytest.mark.parametrize("text, fragment, speaker", [
    # a post-verbal subject after an incise or a time adjunct, and the name given beside a title
    ("« C'est un drame absolu pour notre commune », a confié, à l'AFP, le directeur de l'hôpital, Jean Martin.",
     "drame absolu", "Jean Martin"),
    ("« Il était le meilleur d'entre nous », a rappelé mardi le directeur de la troupe, Paul Durand.",
     "meilleur", "Paul Durand"),
    ("« Cette journée doit lancer un débat national », a déclaré le chef du gouvernement, le socialiste Pedro "
     "Sánchez.", "débat national", "Pedro Sánchez"),
    # "peut-on lire dans X": the text's author
    ("« Aucune victime n'est à déplorer », peut-on lire dans le communiqué du ministère de l'Intérieur.",
     "Aucune victime", "ministère de l'Intérieur"),
    ("Sur le compte Twitter officiel de Renault, on pouvait lire : « Nous sommes fiers de cette équipe. »",
     "fiers", "Renault"),
    # "selon un communiqué de X", a speaker introducing a quotation with ":"
    ("Selon un communiqué de la Croix-Rouge, « les besoins sont immenses dans toute la région ».", "besoins",
     "Croix-Rouge"),
    ("Le secrétaire général de l'ONU, António Guterres, a déclaré : « La situation est inacceptable. »",
     "inacceptable", "António Guterres"),
    ("Marie Dubois a été écartée du bureau en janvier. Elle se présente aujourd'hui comme la seule candidate "
     "capable de gagner : « Moi, je dis ce que je pense et je suis la seule à le faire. »", "je dis", "Marie Dubois"),
    # a name, then a description between commas (or a relative clause), then the verb
    ("Sur France Inter, rappelant que la pollution coûte « 100 milliards d'euros par an », Anne Leroy, la "
     "présidente de l'association Air pur, a dénoncé les industriels « qui se cachent derrière la crise ».",
     "se cachent", "Anne Leroy"),
    ("Sur Twitter, Jean Dupont, qui avait rencontré la victime lors de sa visite fin avril dernier, s'est dit "
     "« profondément choqué par ce crime ».", "choqué", "Jean Dupont"),
    # pronouns: gender from the pronoun and the sentence, not the nearest name
    ("Marie Dubois est arrivée à Lyon avec Paul Leroy. « Nous sommes prêts », a-t-elle déclaré.", "prêts",
     "Marie Dubois"),
    ("Paul Leroy est arrivé à Lyon avec Marie Dubois. « Nous sommes prêts », a-t-il déclaré.", "prêts",
     "Paul Leroy"),
    # descriptions resolved to the name an apposition gave them, organisations included
    ("Jean Dupont, avocat de la famille, a saisi la justice lundi. « Nous irons jusqu'au bout », a déclaré "
     "l'avocat.", "jusqu'au bout", "Jean Dupont"),
    ("Un train de la compagnie Eurostar a été bloqué ce matin. Le convoi transportait 600 voyageurs selon la "
     "compagnie.", "600 voyageurs", "Eurostar"),
    ("Le groupe Airbus a reçu une amende. « Nous ne savons pas sur quoi cette décision est fondée », se défend "
     "la société.", "décision", "Airbus"),
    # a quotation set apart and signed on the next line
    ("« Nous regrettons que le chanteur ait dû annuler sa venue à Paris. Une urgence familiale est survenue. »\n"
     "— Société Lumière Productions", "regrettons", "Société Lumière Productions"),
    # a quotation completing a verb, or opening with the verb of a named subject
    ("Le ministère de l'Intérieur a décidé de « suspendre temporairement l'exploitation de la flotte ».",
     "suspendre", "ministère de l'Intérieur"),
    ("Le pape François « s'associe à la douleur et à l'horreur » des fidèles.", "associe",
     "François"),
    # pronouns across an adverb, a name the parse leaves in apposition, a date after the verb
    ("Donald Trump a prononcé son discours devant la foule. « Il s'agit de donner un cap au pays », a-t-il "
     "d'abord affirmé.", "donner un cap", "Donald Trump"),
    ("Le ministre burundais des Postes, Jean Nduwimana, a inauguré le centre. À ce sujet, il précise : « Nous "
     "avons une promesse ferme de la Chine. »", "promesse ferme", "Jean Nduwimana"),
    ("Arnaud Benedetti, professeur associé en histoire de la communication, affirme que le mouvement part de "
     "territoires marginalisés.", "territoires", "Arnaud Benedetti"),
    ("« Ce ballon sera peut-être utilisé pour le premier match » , a déclaré le 20 mars le cosmonaute russe Oleg "
     "Artemiev.", "ballon", "Oleg Artemiev"),
    # "eux" is the speakers, not the subject of their reported words
    ("Les chercheurs ont noté que les sujets n'ont attaqué aucune souris. Selon eux, cela montre qu'ils ont "
     "stimulé le comportement prédateur.", "cela montre", "chercheurs"),
    ("Le père de la victime, Jean Morel, a porté plainte lundi. « Nous voulons la vérité », a déclaré le père.",
     "vérité", "Jean Morel"),
    ("Paul Durand, 45 ans, chauffeur de taxi, a été agressé mardi. « Je n'ai rien vu venir », raconte le "
     "chauffeur.", "rien vu", "Paul Durand"),
    # a verb group the tagger misread ("a twitté" as VERB + PROPN); a passive agent after a long quotation
    ("Vers 9h00, la ministre du Travail, Muriel Pénicaud a twitté que « 41 000 salariés sont en activité "
     "partielle à cause de la fermeture de commerces ».", "41 000", "Muriel Pénicaud"),
    ("Les Troadec sont décrits comme « des gens réservés, qui étaient là depuis au moins dix ans et ne faisaient "
     "pas parler d'eux » par une voisine.", "gens réservés", "voisine"),
    # a position given by a clause: "X est le directeur", "X a été nommée directrice", "X, qui est entraîneur"
    ("Jean Dupont est le nouveau directeur de l'hôpital. « Nous manquons de lits », a expliqué le directeur.",
     "lits", "Jean Dupont"),
    ("Marie Curie a été nommée directrice du laboratoire en 2010. « Le budget est insuffisant », a déploré la "
     "directrice.", "budget", "Marie Curie"),
    ("Paul Morel, qui est entraîneur du club depuis 2015, a démissionné. « C'était le bon moment », a confié "
     "l'entraîneur.", "bon moment", "Paul Morel"),
    # a quotation standing alone after the person presented, in the same or the next paragraph
    ("Marie Dupont, la directrice de l'école, s'est exprimée devant les parents.\n« Nous avons fait tout ce qui "
     "était possible pour protéger les enfants. »\nLes cours reprendront lundi.", "protéger", "Marie Dupont"),
    ("Le président a pris la parole à la fin du sommet. « Nous avons obtenu un accord historique pour le "
     "climat. » Les négociations avaient duré deux semaines.", "accord historique", "président"),
    # a passive cue: its agent, or nobody
    ("Figure de la génétique, il est décrit comme un « grand homme de sciences, un leader visionnaire » par Mike "
     "Stratton.", "leader visionnaire", "Mike Stratton"),
    ("Les manifestants ont occupé le hall : le montant des réparations est estimé à « plus d'un million "
     "d'euros ».", "million", None),
])
def test_french_speakers(nlp, text, fragment, speaker):
    assert find(quotes(nlp, text), fragment).speaker == speaker


@pytest.mark.model
def test_indirect_clause_before_a_quotation_that_completes_it(nlp):
    qs = quotes(nlp, "L'agence Spoutnik a précisé que les livraisons pourraient débuter dès le mois de mars et "
                     "seraient « divisées en trois ou quatre lots ».")
    assert [(q.text, q.speaker) for q in qs] == [
        ("les livraisons pourraient débuter dès le mois de mars", "Spoutnik"),
        ("divisées en trois ou quatre lots", "Spoutnik"),
    ]
    qs = quotes(nlp, "Le ministre précise que le pays possède 256 avions dont « 150 sont opérationnels "
                     "actuellement ».")
    assert [q.text for q in qs] == ["le pays possède 256 avions", "150 sont opérationnels actuellement"]


@pytest.mark.model
def test_incises_after_the_clause(nlp):
    q = find(quotes(nlp, "Le quotidien britannique The Independent va cesser d'être imprimé, a annoncé son "
                         "propriétaire Evgeny Lebedev."), "cesser")
    assert q.speaker == "Evgeny Lebedev"
    q = find(quotes(nlp, "Le président devrait s'appuyer sur la légère baisse enregistrée par les instituts, comme "
                         "le rappelle la ministre du Travail Myriam El Khomri."), "légère baisse")
    assert q.speaker == "Myriam El Khomri"
    # a participle has no inverted subject; "d'après midi" is no "d'après"
    assert quotes(nlp, "Le groupe a revendiqué les attaques après plusieurs heures, confirmant ainsi les soupçons "
                       "de la police.") == []
    assert quotes(nlp, "En fin d'après midi, à Saint-Vaury, les manifestants ont brûlé leur cabane.") == []


@pytest.mark.model
def test_two_word_infinitive_report(nlp):
    q = find(quotes(nlp, "Le maire de la commune, poursuivi pour corruption, affirme être innocent."), "innocent")
    assert (q.text, q.cue, q.direct) == ("être innocent", "affirmer", False)
