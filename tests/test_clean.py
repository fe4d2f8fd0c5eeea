"""Tests for vigie.clean: boilerplate-line removal on crawled plain text (hand-written fixtures)."""
from __future__ import annotations

import time

from vigie.clean import CleanResult, RepeatedLineLearner, clean_text, fix_lines, line_key, rule_reason
from vigie.records import Article, ArticleError, RemovedLine
from vigie.steps.clean import clean_step

# --- fixtures -----------------------------------------------------------------------------------------

# Seed-like French news article: 9 article lines (two short sub-headings in the middle), then the four
# chrome lines of the site (Telegram follow call, debris of a lost emoji, support question, donation
# appeal).
FR_ARTICLE = [
    "Le Premier ministre du Kirghizistan, Adylbek Kassymaliev, s’est rendu jeudi à Och, pour la première "
    "fois depuis les inondations meurtrières de la semaine dernière, promettant de reconstruire les ponts "
    "emportés par la crue.",
    "« Notre tâche est maintenant de rétablir les routes dans les plus brefs délais (…) Je n’ai aucun doute "
    "que la région s’en remettra », a-t-il déclaré sur place, lors d’une réunion avec les autorités locales.",
    "Cette visite intervient à la veille de l’arrivée d’un contingent de secouristes de quelque 300 "
    "personnes, envoyé par les pays voisins pour soutenir les équipes sur le terrain.",
    "« Retour progressif des familles évacuées »",
    "« Dès demain commence le retour organisé des familles » qui avaient été hébergées dans les écoles de la "
    "ville, a confirmé M. Kassymaliev, en remerciant les bénévoles pour leur « aide précieuse ».",
    "Selon les médias locaux, le Premier ministre s’est également entretenu avec les proches des victimes et "
    "a rendu visite à des blessés soignés à l’hôpital régional.",
    "M. Kassymaliev s’est rendu à Och",
    "L’aéroport d’Och, fermé depuis la semaine dernière après avoir été inondé, doit reprendre du service "
    "lundi pour les vols intérieurs, selon le ministère des Transports.",
    "Les pluies les plus fortes ont touché la vallée de Ferghana, où des centaines de maisons ont été "
    "endommagées et plusieurs villages sont restés privés d’électricité pendant trois jours.",
]
FR_CHROME = [
    "Rejoignez Le Journal du Monde sur Telegram",
    "? t.me/lejournaldumonde",
    "Comment pouvez-vous nous aider à vous tenir informés ?",
    "Le Journal du Monde est un média libre et indépendant, ne recevant aucune aide publique et "
    "n’appartenant à aucun parti politique. Depuis notre création, nous faisons face à des pressions pour "
    "faire taire nos informations. C’est pourquoi nous comptons sur votre soutien pour défendre notre "
    "journalisme indépendant et continuer, grâce à vous, à faire connaître la vérité.",
]

# Wikinews-style plain article: title, blank line, dateline, paragraphs separated by blank lines.
# Nothing to clean: any removal is over-cleaning.
WIKINEWS = """Bolivie : le président réélu au premier tour

12 mars 2016 . –
Le président sortant a été réélu dès le premier tour de l'élection présidentielle , selon les résultats officiels publiés dans la nuit de mercredi à jeudi par la commission électorale.

Son principal adversaire arrive deuxième avec un peu plus de 20 % des voix. Les observateurs de l'Union africaine ont salué le déroulement du scrutin.

La participation a atteint 70 % selon la commission électorale.

Le nouveau mandat débutera le 1er avril."""

EN_ARTICLE = """Flood barriers hold as river peaks in northern town
By Jane Smith
The temporary flood barriers installed along the river held overnight as water levels peaked just below the record set in 2007, officials said on Tuesday.
Read more: How the town prepared for the worst floods in a decade
Residents of the lowest streets had been told to leave their homes on Monday evening, and about 200 people spent the night in the sports hall, which the council had turned into a shelter.
"We were lucky this time, but we cannot rely on luck every winter," the mayor told reporters outside the town hall, adding that a permanent wall would be built next year.
Share on Facebook
Twitter
WhatsApp
Email
The environment agency said river levels would fall slowly over the next two days, but warned that more rain was expected at the weekend across the region.
We use cookies to improve your experience on our site. By continuing to browse you accept our use of cookies. Learn more in our privacy policy.
© 2024 Northern Gazette Ltd. All rights reserved."""
EN_BODY = [0, 1, 2, 4, 5, 10]  # line numbers of EN_ARTICLE that belong to the article

# A crawled full page, one block per line: menu, breadcrumb, article, share links, related list, footer.
PAGE_MENU = ["Aller au contenu", "Menu", "Accueil", "Politique", "International", "Économie", "Sport",
             "Culture", "Se connecter", "S'abonner", "Accueil > International > Europe"]
PAGE_HEAD = ["Grève des contrôleurs aériens : des centaines de vols annulés en Europe",
             "Par Marie Dupont"]
PAGE_BODY = [
    "Des centaines de vols ont été annulés mardi dans plusieurs aéroports européens en raison d’une grève "
    "des contrôleurs aériens, qui réclament de meilleures conditions de travail et des recrutements.",
    "À Paris, la direction de l’aviation civile a demandé aux compagnies de réduire d’un tiers leurs "
    "programmes de vols, tandis qu’à Bruxelles le trafic était presque entièrement interrompu.",
    "Les syndicats ont annoncé que le mouvement pourrait être reconduit la semaine prochaine si aucun accord "
    "n’était trouvé avec les gouvernements concernés.",
]
PAGE_TAIL = ["Partager", "Facebook", "Twitter", "Copier le lien", "À lire aussi",
             "Les aéroports se préparent à un été chargé", "Sur le même sujet",
             "Trafic aérien : les prévisions pour les vacances", "Mentions légales",
             "Politique de confidentialité", "Nous contacter", "© Le Quotidien 2024"]


def _page() -> str:
    return "\n".join(PAGE_MENU + PAGE_HEAD + PAGE_BODY + PAGE_TAIL)


TOWNS = ["Rennes", "Brest", "Vannes", "Lorient", "Quimper", "Saint-Malo", "Dinan", "Morlaix", "Lannion", "Redon"]
TOPICS = ["les lycées", "les routes", "les ports", "les gares", "les hôpitaux", "les écoles", "les ponts",
          "les musées", "les stades", "les marchés"]


def _story(k: int) -> str:
    """A distinct short article per k (different words, not only different figures)."""
    town, topic = TOWNS[k % 10], TOPICS[(k // 10) % 10]
    return (f"Le conseil municipal de {town} a voté mardi un plan pour rénover {topic} de la ville, a annoncé "
            f"le maire lors d’une conférence de presse consacrée au budget numéro {k}.\n"
            f"Les travaux doivent commencer au printemps à {town}, selon le calendrier présenté aux élus "
            f"pour {topic}.")


FOOTER = "Retrouvez toute l’actualité de votre région chaque matin dans votre boîte aux lettres"


# --- clean_text ---------------------------------------------------------------------------------------

def test_seed_like_article_loses_exactly_its_four_chrome_lines():
    raw = "\n".join(FR_ARTICLE + FR_CHROME) + "\n"
    res = clean_text(raw)
    assert isinstance(res, CleanResult)
    assert res.text == "\n".join(FR_ARTICLE)
    assert [r.line_no for r in res.removed] == [9, 10, 11, 12]
    assert all(isinstance(r, RemovedLine) for r in res.removed)
    assert [r.reason for r in res.removed] == [
        "rule:follow-call", "rule:emoji-debris", "rule:donate-call", "rule:donate-call"]
    assert res.removed[1].text == "? t.me/lejournaldumonde"
    assert res.kept_line_nos == list(range(9))
    # the short sub-headings in the middle stay
    assert "« Retour progressif des familles évacuées »" in res.text.split("\n")
    assert "M. Kassymaliev s’est rendu à Och" in res.text.split("\n")


def test_plain_wikinews_article_is_untouched():
    res = clean_text(WIKINEWS)
    assert res.removed == []
    assert res.text == WIKINEWS


def test_english_chrome_read_more_share_cookie_copyright():
    res = clean_text(EN_ARTICLE)
    lines = EN_ARTICLE.split("\n")
    assert res.text == "\n".join(lines[i] for i in EN_BODY)
    reasons = {r.line_no: r.reason for r in res.removed}
    assert reasons[3] == "rule:read-more"
    assert {reasons[i] for i in (6, 7, 8, 9)} == {"rule:share"}
    assert reasons[11] == "rule:cookie"
    assert reasons[12] == "rule:copyright"


def test_full_page_dump_keeps_headline_byline_and_body_only():
    res = clean_text(_page())
    assert res.text == "\n".join(PAGE_HEAD + PAGE_BODY)
    removed = {r.text: r.reason for r in res.removed}
    assert len(removed) == len(PAGE_MENU) + len(PAGE_TAIL)
    assert removed["Menu"] == "rule:nav"
    assert removed["Accueil > International > Europe"] == "rule:nav"
    assert removed["Politique"] == "outside-article"  # a menu item no rule knows: outside the region
    assert removed["À lire aussi"] == "rule:read-more"
    assert removed["Les aéroports se préparent à un été chargé"] == "outside-article"
    assert removed["© Le Quotidien 2024"] == "rule:copyright"


def test_text_without_good_line_keeps_everything_no_rule_flags():
    raw = "Alerte météo\nOrages attendus ce soir\nPartager\nVigilance orange dans le Gard"
    res = clean_text(raw)
    assert res.text == "Alerte météo\nOrages attendus ce soir\nVigilance orange dans le Gard"
    assert [(r.line_no, r.reason) for r in res.removed] == [(2, "rule:share")]


def test_comment_thread_after_the_article_is_left_out():
    comments = [
        "12 commentaires",
        "Jean75",
        "Je ne comprends pas pourquoi les syndicats refusent toujours de discuter avec la direction, alors que "
        "les passagers sont les premiers à payer le prix de ces grèves à répétition.",
        "Répondre",
        "Marie_L",
        "Tout à fait d’accord avec vous, c’est toujours la même chose chaque été et personne ne fait rien pour "
        "que cela change dans ce pays, ni le gouvernement ni les compagnies.",
        "Répondre",
    ]
    res = clean_text("\n".join(PAGE_HEAD + PAGE_BODY + comments))
    assert res.text == "\n".join(PAGE_HEAD + PAGE_BODY)


# --- text repair --------------------------------------------------------------------------------------

def test_mojibake_is_repaired_and_typography_kept():
    raw = "L’Ã©tÃ© a Ã©tÃ© chaud , a dit le maire : « c’est historique »\u00a0!\r\nDeuxième ligne\u202f?"
    assert fix_lines(raw) == [
        "L’été a été chaud , a dit le maire : « c’est historique »\u00a0!", "Deuxième ligne\u202f?"]
    # already-correct text is not touched (curly quotes, guillemets, non-breaking spaces)
    ok = "« Il l’a dit », a-t-il ajouté\u00a0: “quoted” ‘x’ — fin…"
    assert fix_lines(ok) == [ok]
    # NFC: a decomposed "é" becomes the composed one
    assert fix_lines("e\u0301te\u0301") == ["été"]
    res = clean_text("\n".join(FR_ARTICLE).replace("été", "Ã©tÃ©"))
    assert res.text == "\n".join(FR_ARTICLE)


def test_whitespace_normalisation_and_line_numbers():
    raw = ("\r\n\r\nTitre de l’article   \r\n\r\n\r\n\r\n"
           "Le conseil municipal a adopté mardi soir le budget de la ville pour l’année prochaine, après un "
           "débat de plus de quatre heures sur les investissements prévus dans les écoles.   \r\n"
           "\r\nPartager\r\n\r\nLa séance s’est terminée peu avant minuit.\r\n\r\n")
    res = clean_text(raw)
    assert res.text == (
        "Titre de l’article\n\n"
        "Le conseil municipal a adopté mardi soir le budget de la ville pour l’année prochaine, après un "
        "débat de plus de quatre heures sur les investissements prévus dans les écoles.\n\n"
        "La séance s’est terminée peu avant minuit.")
    fixed = fix_lines(raw)
    assert len(fixed) == len(raw.splitlines())
    assert [r.line_no for r in res.removed] == [8]
    assert fixed[8] == "Partager"
    # every kept line points back to its line in the fixed raw
    assert [fixed[i] for i in res.kept_line_nos] == res.text.split("\n")


def test_rules_do_not_fire_on_article_sentences():
    sentences = [
        "« Nous comptons sur votre soutien », a déclaré le candidat devant ses partisans réunis à Lyon.",
        "Google a annoncé que les cookies tiers seraient supprimés de son navigateur l’an prochain.",
        "Les réactions internationales se sont multipliées après l’annonce du résultat.",
        "Il a rejoint le club de Marseille sur un contrat de trois ans.",
        "M. Tokaïev s’est rendu à Almaty",
        "« Retrait organisé du contingent de maintien de la paix »",
        "Il a dit « non » puis « oui » devant la presse",
    ]
    for s in sentences:
        assert rule_reason(s) is None, s


# --- repeated-line learner ----------------------------------------------------------------------------

def test_line_key_normalises():
    assert line_key("  Mis à jour le 12/03/2024   à 10h45 ") == line_key("mis à jour le 1/1/2025 à 9h05")
    assert line_key("Mis  à\tJOUR") == "mis à jour"


def test_learner_flags_footer_repeated_across_five_articles():
    learner = RepeatedLineLearner()
    for k in range(5):
        learner.observe("gazette", _story(k) + "\n" + FOOTER)
    assert line_key(FOOTER) in learner.repeated("gazette")
    assert learner.repeated("other-site") == frozenset()
    res = clean_text(_story(7) + "\n" + FOOTER, repeated=learner.repeated("gazette"))
    assert res.text == _story(7)
    assert [(r.line_no, r.reason) for r in res.removed] == [(2, "repeated-in-source")]


def test_learner_ignores_line_in_two_of_two_hundred_articles():
    learner = RepeatedLineLearner()
    shared_sentence = "Le préfet a salué la mobilisation des services de secours pendant toute la nuit."
    for k in range(200):
        learner.observe("gazette", _story(k) + ("\n" + shared_sentence if k in (3, 150) else ""))
    assert learner.articles("gazette") == 200
    assert line_key(shared_sentence) not in learner.repeated("gazette")
    # exact duplicates count once
    dup = RepeatedLineLearner()
    for _ in range(5):
        dup.observe("s", _story(1) + "\n" + FOOTER)
    assert dup.articles("s") == 1 and dup.repeated("s") == frozenset()


def test_learner_memory_is_bounded():
    learner = RepeatedLineLearner(max_keys_per_source=50, max_sources=3)
    for k in range(100):
        learner.observe("a", f"ligne unique {TOWNS[k % 10]} {k} " + "x" * (k % 7) + "\n" + FOOTER)
    assert len(learner._sources["a"].counts) <= 50
    assert line_key(FOOTER) in learner.repeated("a")  # frequent keys survive pruning
    for s in "bcd":
        learner.observe(s, "texte")
    assert set(learner._sources) == {"b", "c", "d"}
    assert learner._total_keys == sum(len(st.counts) for st in learner._sources.values())
    small = RepeatedLineLearner(max_total_keys=100)
    for k in range(60):
        small.observe(TOWNS[k % 10], f"brève {k} de {TOWNS[k % 10]}\n" + FOOTER)
    assert small._total_keys <= 100
    assert line_key(FOOTER) in small.repeated("Rennes")


# --- clean_step ---------------------------------------------------------------------------------------

def test_clean_step_orders_errors_and_learns_per_source():
    items: list[Article | ArticleError] = []
    for k in range(5):
        items.append(Article(id=f"g{k}", raw=_story(k) + "\n" + FOOTER, origin=f"/data/gazette/{k}.txt"))
    items.insert(2, ArticleError(origin="/data/bad.bin", stage="read", reason="undecodable"))
    items.append(Article(id="chrome", raw="Partager\nFacebook\nTwitter", origin="/x/c.txt"))
    items.append(Article(id="boom", raw=12345, origin="/x/boom.txt"))  # type: ignore[arg-type]
    items.append(Article(id="other", raw=_story(9) + "\n" + FOOTER, origin="o.txt",
                         url="https://www.autre-journal.fr/a/9"))
    out = list(clean_step(iter(items), window=200))
    assert len(out) == len(items)
    assert [o.id if isinstance(o, Article) else (o.article_id or o.origin) for o in out] == [
        "g0", "g1", "/data/bad.bin", "g2", "g3", "g4", "chrome", "boom", "other"]
    assert out[2] is items[2]  # read errors pass through untouched
    for o, k in zip(out[:2] + out[3:6], range(5), strict=True):  # same folder = same source: the footer is learned
        assert isinstance(o, Article)
        assert o.text == _story(k)
        assert [(r.line_no, r.reason) for r in o.removed_lines] == [(2, "repeated-in-source")]
    empty, boom, other = out[6], out[7], out[8]
    assert isinstance(empty, ArticleError) and empty.stage == "clean"
    assert empty.reason == "nothing left after cleaning" and empty.article_id == "chrome"
    assert isinstance(boom, ArticleError) and boom.stage == "clean" and boom.article_id == "boom"
    assert isinstance(other, Article) and other.text.endswith(FOOTER)  # a single article of its source


def test_clean_step_groups_by_source_then_url_host():
    a = [Article(id=f"s{k}", raw=_story(k) + "\n" + FOOTER, origin=f"/in/{k}.txt", source="Gazette",
                 url=f"https://site-{k}.example/x") for k in range(3)]
    b = [Article(id=f"u{k}", raw=_story(k + 3) + "\n" + FOOTER, origin=f"/other/{k}/a.txt",
                 url=f"https://www.journal.fr/art/{k}") for k in range(3)]
    out = list(clean_step(a + b))
    assert all(isinstance(o, Article) and FOOTER not in o.text for o in out)


def test_learner_never_empties_an_article():
    # a source whose articles are one template (only the figures change): the learner flags the
    # template, but never cleans an article away
    items = [Article(id=str(k), raw=f"Météo du {k}/03 : {k} degrés attendus à Paris, ciel dégagé, vent faible "
                                    f"de secteur nord, aucune alerte en cours pour la journée.",
                     origin=f"/meteo/{k}.txt") for k in range(6)]
    out = list(clean_step(items))
    assert all(isinstance(o, Article) and o.text == o.raw for o in out)


def test_clean_step_streams_with_a_bounded_buffer():
    pulled = 0

    def gen():
        nonlocal pulled
        for k in range(10):
            pulled += 1
            yield Article(id=str(k), raw=_story(k), origin=f"{k}.txt")

    stream = clean_step(gen(), window=3)
    first = next(stream)
    assert isinstance(first, Article) and first.id == "0" and pulled == 3
    assert first.text == _story(0) and first.removed_lines == []
    rest = list(stream)
    assert [a.id for a in rest] == [str(k) for k in range(1, 10)]


def test_cleaning_is_fast():
    raw = "\n".join(FR_ARTICLE * 2 + FR_CHROME)  # ~4 KB
    clean_text(raw)
    t0 = time.perf_counter()
    for _ in range(50):
        clean_text(raw)
    per_article = (time.perf_counter() - t0) / 50
    assert per_article < 0.01  # measured ~0.5 ms; generous bound for slow CI machines
