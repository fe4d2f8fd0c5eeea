"""Hand-written articles for the story-clustering tests (tests/test_stories.py) and bench/stories.py's
cross-language check: one story told in French and in English, and unrelated articles of the same week (January
2022). Written for vigie; no text from ../shared."""
from __future__ import annotations

from typing import Any

# The story of the reference article (Tokayev in Almaty after the January 2022 riots), in vigie's own French words.
KAZAKHSTAN_FR = """Le chef de l'État kazakh, Kassym-Jomart Tokaïev, s'est rendu mercredi à Almaty, la plus grande ville du Kazakhstan, où il n'était pas revenu depuis les émeutes meurtrières de la semaine dernière.
Devant des responsables locaux, le président a promis que les bâtiments incendiés seraient reconstruits « au plus vite » et que la ville retrouverait son visage d'avant les violences.
Sa visite précède de quelques heures le début du retrait des quelque 2.000 soldats envoyés par l'Organisation du traité de sécurité collective (OTSC), l'alliance militaire menée par la Russie.
M. Tokaïev a remercié les troupes russes et alliées, estimant que leur présence avait aidé à stabiliser le pays face à ce qu'il qualifie d'agression terroriste.
À Almaty, il a aussi rencontré des familles de policiers tués pendant les troubles et des blessés soignés à l'hôpital. L'aéroport de la ville, saccagé pendant les émeutes, doit rouvrir jeudi.
Les manifestations avaient commencé contre la hausse du prix du gaz avant de dégénérer. Les violences ont fait des dizaines de morts et plus de 10.000 personnes ont été arrêtées.
"""

# The same article as a crawler may give it: other line breaks, one paragraph per two lines.
KAZAKHSTAN_FR_REWRAPPED = " ".join(KAZAKHSTAN_FR.split("\n")[:2]) + "\n" + "\n".join(KAZAKHSTAN_FR.split("\n")[2:])

# An English rewrite of the reference article (vigie's own wording).
KAZAKHSTAN_EN = """Kazakhstan's president Kassym-Jomart Tokayev travelled on Wednesday to Almaty, the country's largest city, for the first time since last week's deadly riots, and pledged to rebuild what had been destroyed.
"The task now is to restore the city as quickly as possible," Tokayev told a government meeting in Almaty, according to his office. He said he had no doubt that the city would recover.
The visit came a day before the start of the withdrawal of some 2,000 troops sent by the Collective Security Treaty Organization (CSTO), the Russia-led military alliance, to support the authorities during the unrest.
Tokayev thanked the Russian and allied forces, saying they had played a very important role in stabilising the situation in Kazakhstan and in repelling what he called an attack by terrorists and bandits.
In Almaty he also met relatives of security officers killed in the riots and visited people wounded in the clashes who are being treated in hospital. The city's airport, which was ransacked, is due to reopen on Thursday for domestic and international flights.
The protests began over a rise in fuel prices and turned into the worst violence in Kazakhstan in decades. Dozens of people were killed, hundreds were wounded and more than 10,000 people were detained.
"""

# Unrelated articles of the same week, French and English: name -> (text, language).
SAME_WEEK: dict[str, tuple[str, str]] = {
    "geneva-talks-en": ("""Senior Russian and American diplomats met in Geneva on Monday for talks on European security, as tens of thousands of Russian troops remained massed near the border with Ukraine.
US Deputy Secretary of State Wendy Sherman said Washington had rejected Moscow's demand that NATO rule out any further enlargement. Russian Deputy Foreign Minister Sergei Ryabkov said the discussions had been difficult but professional.
The meeting in Switzerland is the first of three rounds this week, with NATO and the Organization for Security and Co-operation in Europe due to hold their own sessions in Brussels and Vienna.
""", "en"),
    "bresil-pluies-fr": ("""Des pluies torrentielles ont frappé l'État du Minas Gerais, dans le sud-est du Brésil, faisant au moins dix morts et forçant des milliers d'habitants à quitter leur logement, selon la défense civile.
Plusieurs rivières sont sorties de leur lit et des routes ont été coupées par des glissements de terrain. Le gouverneur a décrété l'état d'urgence dans une centaine de communes.
Les météorologues prévoient encore de fortes précipitations jusqu'à la fin de la semaine dans la région.
""", "fr"),
    "covid-france-fr": ("""La France a enregistré plus de 300.000 nouveaux cas de Covid-19 en vingt-quatre heures, un record depuis le début de l'épidémie, a annoncé mardi Santé publique France.
Le nombre de patients hospitalisés continue de progresser, même si la hausse reste plus lente que celle des contaminations, portée par le variant Omicron.
Le gouvernement a confirmé le maintien de l'ouverture des écoles, avec un protocole sanitaire allégé pour les tests des élèves cas contacts.
""", "fr"),
    "tennis-melbourne-en": ("""The Australian Open draw was made in Melbourne on Thursday amid uncertainty over whether the defending men's champion would be allowed to stay in the country.
Organisers said the tournament would go ahead as planned from Monday, with crowds limited to half the capacity of the stadiums because of the rise in coronavirus cases in the state of Victoria.
Several players said they were tired of the controversy and wanted to focus on the tennis.
""", "en"),
}


def analysed_story_articles(inputs: list[tuple[str, str]], published: str, nlp_fr: Any = None,
                            nlp_en: Any = None) -> list[Any]:
    """Each (id, raw text) cleaned, its language detected and analysed by vigie's French or English pipeline (the
    given ones, else `load_french()` / `load_english()`), as `vigie.stories.StoryArticle`s. Each article has its
    own folder as origin, so that the cleaner's repeated-line learner does not take one article's lines for site
    chrome because another article repeats them."""
    from vigie.analysis.from_doc import annotate_article
    from vigie.analysis.load import load_english, load_french, model_text
    from vigie.records import Article
    from vigie.steps.clean import clean_step
    from vigie.steps.langid import langid_step
    from vigie.stories import from_article

    articles = [Article(id=name, raw=text, origin=f"{name}/article.txt", published=published, id_given=True)
                for name, text in inputs]
    out = []
    for article in langid_step(clean_step(articles)):
        assert isinstance(article, Article), article
        nlp = (nlp_fr or load_french()) if article.language == "fr" else (nlp_en or load_english())
        annotate_article(article, nlp(model_text(article.text)))
        out.append(from_article(article))
    return out
