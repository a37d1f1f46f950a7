"""The report's words in Dutch and English (one catalogue per language) and its number formats.

Every label, heading, axis title, legend entry, table header, month and weekday the
PDF prints comes from ``TEXT[language]``; every number goes through ``number`` (and
``percent``, ``interval``, ``duration``, ``date``), so the Dutch edition reads
``192.390`` and ``0,46`` and the English one ``192,390`` and ``0.46``. Numbers never
live here: they come from results.
"""

from __future__ import annotations

import datetime as dt
import math

TEXT = {
    "nl": {
        "months": [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        "months_short": [
            "jan",
            "feb",
            "mrt",
            "apr",
            "mei",
            "jun",
            "jul",
            "aug",
            "sep",
            "okt",
            "nov",
            "dec",
        ],
        "weekdays": {
            "monday": "maandag",
            "tuesday": "dinsdag",
            "wednesday": "woensdag",
            "thursday": "donderdag",
            "friday": "vrijdag",
            "saturday": "zaterdag",
            "sunday": "zondag",
        },
        "methods_text": {
            "period": "Periode {period} (beide dagen inbegrepen), tijdzone {timezone}.",
            "response": "Reactie: het eerste bericht van de organisatie in de draad dat de auteur antwoordt, binnen {days} dagen.",
            "response_direct": "Reactie: het eerste bericht van de organisatie dat direct op het bericht reageert, binnen {days} dagen; een antwoord op een later bericht van de auteur in de draad telt niet.",
            "hours": "Webcare-uren: {hours}. Tijd buiten deze uren telt niet mee in de reactietijd binnen webcare-uren.",
            "censored": "Inkomende berichten in de laatste antwoordtermijn van de periode zijn gecensureerd: ze tellen niet mee in percentages en tijden.",
            "bootstrap": "95%-intervallen: clusterbootstrap over draden, {resamples} trekkingen, startgetal {seed}.",
            "weights": "Gewichten van de engagementindex: {weights}.",
            "trained": "Getraind op {n} gecodeerde berichten (controlegetal {sha}…).",
            "selection": "Gekozen met kruisvalidatie: regularisatieparameter C = {value} (uit {grid}).",
            "validation": "Gekruisvalideerde macro-F1 {f1}, nauwkeurigheid {accuracy}.",
            "acc": "Aandelen van berichttypen gecorrigeerd voor de bekende foutkansen van de classificatie (aangepast tellen van voorspelde typen).",
            "source": "Trainingsbron {source}: {n} berichten, totaalgewicht {weight} (controlegetal {sha}…).",
            "in_domain": "Macro-F1 op de eigen gecodeerde berichten van deze editie ({n}, {folds} delen, elk deel voorspeld door een model getraind zonder dat deel): {f1}; het gekruisvalideerde cijfer hierboven gaat over alle bronnen.",
            "correction": "Reactiepercentages per type gecorrigeerd voor classificatiefouten (tweefasenschatter): uit de gecodeerde steekproef de kans op het ware type gegeven het voorspelde type en of het bericht beantwoord is, over de organisaties samen; elk ongecodeerd bericht telt als die mix van ware typen, een gecodeerd bericht als zijn eigen type; intervallen uit de draadbootstrap, die de gecodeerde steekproef mee trekt. {basis}",
            "basis_corrected": "Gecorrigeerd met de gecodeerde steekproef van deze editie ({n} gecodeerde inkomende berichten).",
            "basis_none": "Niet gecorrigeerd: de gecodeerde steekproef is te klein of ontbreekt; het rapport toont de ruwe percentages.",
            "edition_source": "de gecodeerde steekproef van deze editie",
            "raw_counts": "De tellingen over organisaties in de tekst (zoals: klachten krijgen bij k van de n organisaties het hoogste reactiepercentage) gebruiken per organisatie de ruwe percentages per voorspeld type, niet de gecorrigeerde: een gecorrigeerd percentage per organisatie rust op weinig gecodeerde berichten{sample}, en de correctie per organisatie is minder betrouwbaar dan die voor alle organisaties samen. Classificatiefouten trekken de percentages van de typen naar elkaar toe; ze kunnen een volgorde dus verbergen, maar nauwelijks een volgorde maken die er niet is.",
            "raw_counts_sample": " (gemiddeld {n} per organisatie)",
            "model": "{name}: {formula}; {weighted}; standaardfouten {errors}.",
            "weighted_yes": "gewogen met het steekproefgewicht",
            "weighted_ipw": "gewogen met steekproefgewicht × inverse kans om te volgen",
            "weighted_no": "ongewogen",
            "errors": {
                "cluster": "geclusterd per respondent",
                "model-based": "uit het model",
                "nonrobust": "uit het model",
            },
            "derived": "Afgeleide variabele {name} = {rule}.",
            "derived_rules": {
                "age_decades": "(leeftijd − 45) / 10",
                "dialogue_c": "dialoogaandeel van de organisatie min het gemiddelde over de paren",
                "response_c": "reactiepercentage van de organisatie min het gemiddelde over de paren",
            },
            "references": "Referentiecategorieën: {levels}.",
            "no_models": "Deze editie heeft geen consumentenpanel: geen loyaliteitsmodellen.",
            "records": "Records gelezen {read}, behouden {kept}, dubbel {duplicates}, in quarantaine {quarantined}, in {files} bestanden.",
            "outside": "Buiten de periode (weggelaten): {outside}; teksten waaruit stuurtekens zijn verwijderd: {cleaned}; teksten ingekort tot {max} tekens: {cut}.",
            "inputs": "{n} invoerbestanden; gezamenlijk SHA-256-controlegetal {checksum}. De volledige lijst met het controlegetal van elk bestand staat in het werkboek engbench_tables.xlsx, blad input_files.",
        },
        "and": " en ",
        "findings": {
            "dialogue_mostly_broadcasts": "Organisaties zenden vooral: reacties zijn {share} van wat zij plaatsen; bij {k} van de {n} organisaties is de meerderheid van hun berichten een reactie.",
            "dialogue_mostly_replies": "Organisaties plaatsen vooral reacties: {share} van wat zij plaatsen is een reactie op een consument; bij {k} van de {n} organisaties is de meerderheid van hun berichten een reactie.",
            "most_unanswered": "De meeste berichten van consumenten blijven onbeantwoord: van de {incoming} inkomende berichten krijgt {rate} een reactie.",
            "most_answered": "De meeste berichten van consumenten krijgen een reactie: van de {incoming} inkomende berichten wordt {rate} beantwoord.",
            "complaints_highest_all": "Klachten krijgen bij alle {n} organisaties het hoogste reactiepercentage ({k} van {n}): webcure meer dan webcare.",
            "complaints_highest_most": "Klachten krijgen bij {k} van de {n} organisaties het hoogste reactiepercentage: vooral webcure.",
            "complaints_highest_few": "Klachten krijgen maar bij {k} van de {n} organisaties het hoogste reactiepercentage: geen patroon van webcure.",
            "questions_over_compliments": "Vragen krijgen bij {k} van de {n} organisaties vaker een reactie dan complimenten.",
            "compliments_over_questions": "Complimenten krijgen bij {rest} van de {n} organisaties minstens zo vaak een reactie als vragen.",
            "median_time": "Een beantwoord bericht krijgt zijn reactie in de helft van de gevallen binnen {time} (binnen webcare-uren).",
            "median_time_organisations": "Over alle beantwoorde berichten samen komt de helft van de reacties binnen {time} (binnen webcare-uren); de mediane organisatie beantwoordt de helft van haar berichten binnen {org_time}. Het eerste cijfer weegt de organisaties met de meeste berichten het zwaarst, het tweede telt elke organisatie eenmaal.",
            "leader_certain": "{name} heeft de hoogste engagementindex, en die eerste plaats staat vast: het 95%-interval van de plaats is 1–{upper}.",
            "leader_uncertain": "{name} heeft de hoogste engagementindex, maar die eerste plaats staat niet vast: het 95%-interval van de plaats loopt tot {upper}.",
            "ranks_overlap": "Bij {k} van de {n} organisaties omvat het interval van de plaats meer dan één plaats: kleine verschillen in de ranglijst zeggen weinig.",
            "followers_more_loyal": "Volgers zijn loyaler dan niet-volgers van dezelfde organisatie: {effect} punt op de loyaliteitsschaal 1–7, na correctie voor klantschap, leeftijd, geslacht, opleiding en regio. Dat is samenhang, geen bewezen effect van volgen.",
            "followers_less_loyal": "Volgers zijn minder loyaal dan niet-volgers van dezelfde organisatie: {effect} punt op de loyaliteitsschaal 1–7, na correctie voor klantschap, leeftijd, geslacht, opleiding en regio.",
            "followers_no_evidence": "Er is geen bewijs dat volgers loyaler zijn dan niet-volgers: het verschil op de loyaliteitsschaal 1–7 is {effect} en het interval omvat nul.",
            "cross_level_zero": "Er is geen bewijs dat meer dialoog of een hoger reactiepercentage het verschil tussen volgers en niet-volgers vergroot: de intervallen van die interacties omvatten nul.",
            "cross_level_nonzero": "Het verschil tussen volgers en niet-volgers hangt samen met de dialoog of het reactiepercentage van de organisatie: ten minste één interval van die interacties omvat geen nul.",
            "studied": "Dit rapport vergelijkt {n} organisaties op {platforms} in de periode {period}: wat consumenten hun sturen, wat zij beantwoorden en hoe snel, en wat zij zelf plaatsen.",
            "studied_panel": "Een panel van {n} consumenten gaf aan welke organisaties zij volgen en hoe loyaal zij zijn.",
            "studied_no_panel": "Deze editie heeft geen consumentenpanel.",
            "advice_answer_more": "Beantwoord meer berichten: de meeste blijven nu zonder reactie.",
            "advice_beyond_complaints": "Reageer ook op vragen en complimenten, niet alleen op klachten: dialoog begint bij aandacht voor elk bericht.",
            "advice_listen": "Luister voordat u zendt: reageer op consumenten in plaats van vooral eigen berichten te plaatsen.",
            "advice_faster": "Reageer sneller: de helft van de antwoorden komt pas na meer dan een uur.",
            "advice_keep": "Houd het niveau vast en vergelijk uw organisatie met de mediaan in de profielen.",
        },
        "key_findings": "Belangrijkste bevindingen",
        "studied_heading": "Wat is onderzocht",
        "advice_heading": "Wat organisaties kunnen doen",
        "key_figures": "Kerncijfers",
        "captions": {
            "index_decomposition": "De bijdrage van elke component aan de engagementindex per organisatie: gewicht × gestandaardiseerde waarde. Balken naar rechts verhogen de index, naar links verlagen ze hem; de stip is de index zelf.",
            "dialogue_share": "Per organisatie het aandeel reacties (groen) en zendberichten (grijs) in alles wat de organisatie plaatst. Organisaties in de volgorde van de ranglijst.",
            "monthly_volumes": "Inkomende berichten, reacties en zendberichten per maand, alle organisaties samen.",
            "response_by_type": "Reactiepercentage per berichttype en organisatie (ruwe percentages, voorspeld type). Ligt de rode stip (klacht) rechts van de andere, dan krijgen klachten vaker een reactie: webcure.",
            "response_times": "Reactietijd binnen webcare-uren per organisatie: de doos loopt van het eerste tot het derde kwartiel, de streep in de doos is de mediaan, de snorharen lopen van het 5e tot het 95e percentiel. De as is logaritmisch: elke stap is tien keer zo lang.",
            "league_table": "De engagementindex per organisatie met zijn 95%-interval; tussen haakjes de plaats en het 95%-interval van de plaats. Overlappende intervallen betekenen dat de volgorde niet vaststaat.",
            "league": "De ranglijst: plaats, het 95%-interval van de plaats over de bootstraptrekkingen, en de index (0 is het gemiddelde van de organisaties, in standaarddeviaties).",
            "loyalty_gap": "Gemiddelde loyaliteit (1–7, gewogen) van volgers (blauw) en niet-volgers (oranje) per organisatie, met 95%-intervallen.",
            "coefficients": "Het verschil in loyaliteit tussen volgers en niet-volgers in elk lineair model, op de schaal 1–7, met 95%-interval. Een interval dat nul omvat, is geen bewijs voor een verschil.",
            "regression": "De modellen naast elkaar: schatting met sterren voor de significantie en de standaardfout eronder.",
            "confusion": "Gecodeerde tegenover voorspelde berichttypen in de kruisvalidatie: op de diagonaal de goed geclassificeerde berichten.",
            "robustness": "Hoe de kerncijfers veranderen onder andere definities, één keuze per regel: de andere reactiedefinitie, antwoordtermijnen van 1, 3 en 7 dagen, de reactietijd binnen webcare-uren in plaats van de klok rond, en met de gecensureerde berichten aan het eind van de periode (die anders niet meetellen). Puntschattingen. De rangcorrelatie (Spearman) vergelijkt de volgorde van de organisaties naar reactiepercentage met die onder de hoofddefinitie: 1 is dezelfde volgorde.",
        },
        "index": "index",
        "contribution_axis": "bijdrage aan de engagementindex (standaarddeviaties × gewicht)",
        "decomposition_title": "De engagementindex ontleed in zijn componenten",
        "reading": "Zo leest u dit rapport",
        "reading_sections": {
            "intervals": "Intervallen en plaatsen",
            "panel": "Het consumentenpanel",
            "glossary": "Begrippenlijst",
            "limitations": "Beperkingen",
        },
        "index_explained": [
            "De engagementindex vat vier componenten samen: het reactiepercentage (het aandeel inkomende berichten dat binnen de antwoordtermijn een reactie krijgt), de reactiesnelheid (min de logaritme van de mediane reactietijd binnen webcare-uren plus een minuut: sneller is hoger), het dialoogaandeel (het aandeel reacties in wat de organisatie plaatst) en de engagement per bericht (de logaritme van de mediane likes, shares en reacties op een zendbericht per 1.000 volgers).",
            "Elke component wordt over de organisaties gestandaardiseerd: min het gemiddelde, gedeeld door de standaarddeviatie. Een organisatie op het gemiddelde scoort 0, één standaarddeviatie erboven 1. Ontbreekt een component (geen reacties, geen volgersaantal), dan krijgt de organisatie de slechtste waarde van de organisaties.",
            "De index is het gewogen gemiddelde van de gestandaardiseerde componenten, met gewichten {weights}. De figuur hieronder toont per organisatie de bijdrage van elke component: zo is te zien waarom een organisatie met een laag reactiepercentage toch hoog kan staan.",
        ],
        "intervals_explained": [
            "Elk cijfer met een interval tussen rechte haken, zoals het reactiepercentage {example}, is een schatting met een 95%-interval: de waarden die bij de gegevens passen. Het interval komt uit de bootstrap: de draden van gesprekken worden {resamples} keer opnieuw getrokken en het cijfer telkens opnieuw berekend; het interval omvat de middelste 95% van die uitkomsten.",
            "Het interval van een plaats in de ranglijst, zoals 2 (1–3), zegt tussen welke plaatsen de organisatie in 95% van die trekkingen eindigt. Een interval van één plaats, zoals 1 (1–1), betekent dat de organisatie in vrijwel elke trekking op die plaats staat; een breed interval dat de volgorde met de buren niet vaststaat.",
            "Een interval van een reactietijd met dezelfde onder- en bovengrens betekent dat die tijd in vrijwel elke trekking gelijk is, bijvoorbeeld omdat veel reacties precies binnen dezelfde minuut komen.",
        ],
        "glossary": {
            "inkomend bericht": "een bericht van een consument aan de organisatie: een vermelding, een reactie in haar draad of een reactie op haar pagina.",
            "reactie": "het eerste antwoord van de organisatie aan de auteur in de draad van het bericht, binnen de antwoordtermijn.",
            "zendbericht": "een bericht dat de organisatie uit zichzelf plaatst, geen reactie op een consument.",
            "dialoogaandeel": "het aandeel reacties in alles wat de organisatie plaatst.",
            "webcare-uren": "de uren waarin de organisatie zegt te reageren; tijd daarbuiten telt niet mee in de reactietijd binnen webcare-uren.",
            "webcure": "reageren vooral om problemen op te lossen: klachten krijgen vaker een reactie dan vragen en complimenten.",
            "berichttype": "klacht, vraag, compliment of overig, voorspeld door een classificatiemodel dat is getraind op handmatig gecodeerde berichten.",
            "gecensureerd": "een bericht zo kort voor het einde van de periode dat de antwoordtermijn niet afliep; het telt niet mee.",
        },
        "glossary_panel": {
            "paar respondent × organisatie": "één panellid over één organisatie die hij kent; een respondent geeft zo meerdere paren.",
            "loyaliteit": "het gemiddelde van de beantwoorde loyaliteitsvragen van het panel over een organisatie, elk op een schaal van 1 tot 7.",
            "aanbeveler": "een panellid dat de organisatie met een 9 of 10 (op 0–10) zou aanbevelen.",
        },
        "limitations_panel": [
            "Samenhang, geen effect: dat volgers loyaler zijn, kan komen doordat loyale klanten eerder volgen.",
        ],
        "limitations": [
            "Alleen openbare berichten: privéberichten en berichten die de organisatie of de auteur verwijderde, zag de verzameling niet.",
            "Alleen de gemeten platforms ({platforms}): webcare via andere kanalen (telefoon, e-mail, chat) telt niet mee.",
            "Berichttypen zijn voorspeld en kunnen verkeerd zijn; de percentages per type zijn daarom ook gecorrigeerd met een gecodeerde steekproef.",
            "De definitie van een reactie (elk later antwoord in de draad aan dezelfde auteur) en de antwoordtermijn bepalen de cijfers mee.",
        ],
        "panel_explained": [
            "Het consumentenpanel: {n} respondenten van een panelbureau beantwoordden voor elke organisatie die zij kennen of zij haar volgen op Twitter of Facebook, of zij klant zijn, een reeks loyaliteitsvragen (elk op een schaal van 1 tot 7) en of zij haar zouden aanbevelen (0–10). Elk antwoord over één organisatie is een paar respondent × organisatie; wie een organisatie niet kent, geeft voor haar geen paar.",
            "Het panelbureau levert per respondent een weegfactor, zodat het gewogen panel lijkt op de bevolking waarvoor het bureau weegt; de gewogen cijfers en de hoofdmodellen gebruiken die weegfactor. De intervallen van de modellen houden er rekening mee dat de paren van één respondent samenhangen.",
        ],
        "closed": "gesloten",
        "hour": "uur",
        "contents": "Inhoud",
        "author": "engbench",
        "subject": "Benchmark van webcare, dialoog en loyaliteit op sociale media",
        "methods_sections": {
            "definitions": "Definities",
            "classifier": "Classificatie van berichttypen",
            "models": "Modellen",
            "data": "Gegevens",
            "software": "Software",
            "inputs": "Invoerbestanden",
        },
        "league_columns": ["plaats", "interval plaats", "organisatie", "engagementindex"],
        "regression_term": "term",
        "regression_stars": "* p < 0,05; ** p < 0,01; *** p < 0,001; standaardfouten tussen haakjes.",
        "regression_legend": "* p < 0,05; ** p < 0,01; *** p < 0,001; standaardfouten tussen haakjes. Lineaire modellen op de loyaliteitsschaal 1–7; de logitmodellen in log-odds.",
        "n_pairs": "N (paren)",
        "n_respondents": "N (respondenten)",
        "fit": "R² / pseudo-R²",
        "models": {
            "ols_fe": "gewogen regressie met vaste effecten per organisatie",
            "ordered_logit": "geordend logitmodel (eerste loyaliteitsitem, log-odds)",
            "logit_promoter": "logitmodel voor aanbevelers (log-odds)",
            "mixed": "multiniveaumodel (willekeurig intercept per respondent)",
            "platforms": "volgen per platform",
            "cross_level": "met interacties met dialoog en reactiepercentage",
            "ipw": "gewogen naar de kans om te volgen (propensity)",
        },
        "models_short": {
            "ols_fe": "vaste effecten",
            "ordered_logit": "geordend logit",
            "logit_promoter": "logit aanbeveler",
            "mixed": "multiniveau",
            "platforms": "per platform",
            "cross_level": "interacties",
            "ipw": "propensity-gewogen",
        },
        "variables": {
            "loyalty": "loyaliteit",
            "loyalty_1": "eerste loyaliteitsitem",
            "promoter": "aanbeveler",
            "follows": "volgt",
            "follows_twitter": "volgt op Twitter",
            "follows_facebook": "volgt op Facebook",
            "follows:dialogue_c": "volgt × dialoogaandeel (gecentreerd)",
            "follows:response_c": "volgt × reactiepercentage (gecentreerd)",
            "dialogue_c": "dialoogaandeel (gecentreerd)",
            "response_c": "reactiepercentage (gecentreerd)",
            "customer": "klant",
            "age_decades": "leeftijd (decennia)",
            "age": "leeftijd",
            "C(gender)": "geslacht",
            "C(education)": "opleiding",
            "C(region)": "regio",
            "C(org_id)": "organisatie (vaste effecten)",
            "org_dialogue_share": "dialoogaandeel van de organisatie",
            "org_response_rate": "reactiepercentage van de organisatie",
            "gender": "geslacht",
            "education": "opleiding",
            "region": "regio",
            "org_id": "organisatie",
        },
        "components": {
            "response_rate": "reactiepercentage",
            "response_speed": "reactiesnelheid",
            "dialogue_share": "dialoogaandeel",
            "engagement": "engagement per bericht",
        },
        "types": {
            "complaint": "klacht",
            "question": "vraag",
            "compliment": "compliment",
            "other": "overig",
        },
        "index_axis": "engagementindex (gestandaardiseerd; 95%-interval)",
        "league_title": "Ranglijst: engagementindex (tussen haakjes: plaats en 95%-interval van de plaats)",
        "response_rate_axis": "reactiepercentage (%)",
        "by_type_title": "Reactiepercentage per berichttype: webcare of webcure?",
        "response_time_axis": "reactietijd binnen webcare-uren (log-schaal)",
        "times_title": "Reactietijden (mediaan, kwartielen, 5e–95e percentiel)",
        "replies": "reacties",
        "broadcasts": "zendberichten",
        "incoming": "inkomende berichten",
        "share_axis": "aandeel van de berichten van de organisatie (%)",
        "dialogue_title": "Zenden of dialoog: reacties tegenover zendberichten",
        "messages_axis": "berichten per maand",
        "monthly_title": "Volumes per maand",
        "followers": "volgers",
        "non_followers": "niet-volgers",
        "loyalty_axis": "loyaliteit (1–7, gewogen; 95%-interval)",
        "loyalty_title": "Loyaliteit van volgers en niet-volgers",
        "coefficient_axis": "coëfficiënt van volgen op de loyaliteitsschaal 1–7 (95%-interval)",
        "coefficients_title": "Loyaliteit en volgen: de modellen",
        "predicted": "voorspeld",
        "coded": "gecodeerd",
        "confusion_title": "Classificatie van berichttypen (kruisvalidatie)",
        "title_sub": "Webcare, dialoog en loyaliteit op sociale media",
        "period": "Periode",
        "edition": "Editie",
        "summary": "Samenvatting",
        "dialogue": "Dialoog",
        "webcare": "Webcare",
        "engagement": "Engagement",
        "loyalty": "Loyaliteit",
        "profiles": "Organisatieprofielen",
        "methods": "Verantwoording",
        "to_complaints": "reactie op klachten",
        "by_type_corrected": "Reactiepercentage per berichttype voor alle organisaties samen: ruw (voorspeld type) en gecorrigeerd voor classificatiefouten (95%-intervallen).",
        "by_type_columns": ["berichttype", "ruw", "gecorrigeerd"],
        "headline_corrected": "De samenvatting gebruikt de gecorrigeerde percentages per type.",
        "headline_raw": "Er is geen gecodeerde steekproef om te corrigeren: de samenvatting gebruikt de ruwe percentages per type.",
        "robustness_columns": [
            "definitie",
            "reactiepercentage",
            "per organisatie: mediaan (laagste–hoogste)",
            "mediane reactietijd",
            "per organisatie: mediaan (laagste–hoogste)",
            "rangcorrelatie",
        ],
        "robustness_rows": {
            "main": "hoofddefinitie: {definition}, {days} dagen",
            "definition": "{definition}",
            "window": "antwoordtermijn {days} dagen",
            "window_one": "antwoordtermijn 1 dag",
            "webcare_hours": "reactietijd binnen webcare-uren",
            "censored_kept": "met de gecensureerde staart",
        },
        "robustness_definitions": {
            "thread": "elke latere reactie in de draad aan de auteur",
            "direct": "alleen directe reacties op het bericht",
        },
        "robustness_moves": "Onder de andere definities ligt het reactiepercentage van alle organisaties samen tussen {rate_low} ({rate_low_row}) en {rate_high} ({rate_high_row}), tegen {rate} onder de hoofddefinitie; de mediane reactietijd tussen {minutes_low} en {minutes_high} (hoofddefinitie {minutes}). De volgorde van de organisaties naar reactiepercentage {order} (laagste rangcorrelatie {correlation}).",
        "robustness_order": {
            "hardly": "verandert nauwelijks",
            "somewhat": "verandert enigszins",
            "much": "verandert sterk",
        },
        "to_compliments": "reactie op complimenten",
        "rank": "plaats (95%-interval)",
        "response_rate": "reactiepercentage",
        "median_time": "mediane reactietijd (webcare-uren)",
        "dialogue_share": "aandeel reacties (dialoog)",
        "follow_share": "volgt de organisatie (panel)",
        "loyalty_pair": "loyaliteit volgers / niet-volgers",
        "no_panel": "Deze editie heeft geen consumentenpanel: het rapport heeft daarom geen hoofdstuk over loyaliteit.",
        "series": {
            "chapter": "Trends: wat veranderde tussen de edities",
            "intro": "Per paar opeenvolgende edities: beide schattingen, de verandering en haar 95%-interval (gepaarde bootstrap-trekkingen van beide edities). Een verandering telt als verbetering of verslechtering alleen als haar interval nul uitsluit. Vergelijkbare set: de organisaties met een schatting in beide edities.",
            "pair": "{edition_from} → {edition_to}",
            "comparable_note": "Beide edities zijn met dezelfde definities berekend.",
            "accepted_note": "Niet in elke indicator vergelijkbaar: de edities zijn met verschillende definities berekend, door de reeks aanvaard; de veranderingen van de indicatoren die zij raken, worden niet geïnterpreteerd:",
            "leaver": "Vertrokken: {list}.",
            "entrant": "Nieuw: {list}.",
            "on_platform": "{organisation} op {platform}",
            "none": "geen",
            "wide_improved": "{indicator} (gemiddelde over de {n} organisaties in beide edities): verbeterd, {change}.",
            "wide_worsened": "{indicator} (gemiddelde over de {n} organisaties in beide edities): verslechterd, {change}.",
            "wide_steady": "{indicator} (gemiddelde over de {n} organisaties in beide edities): geen duidelijke verandering, {change}.",
            "wide_not_comparable": "{indicator}: tussen deze edities niet vergelijkbaar.",
            "orgs": "{indicator}: verbeterd bij {improved}; verslechterd bij {worsened}; geen duidelijke verandering (95%-interval bevat 0) bij {steady} van de {n} organisaties.",
            "orgs_not_comparable": "{indicator}: tussen deze edities niet vergelijkbaar.",
            "warning": "Let op: {warning}.",
            "improved": "verbeterd",
            "worsened": "verslechterd",
            "no_clear_change": "geen duidelijke verandering",
            "not_comparable": "niet vergelijkbaar",
            "pp": "procentpunt",
            "indicator": "Indicator",
            "organisation": "Organisatie",
            "organisations": "Organisaties",
            "like_for_like": "Vergelijkbare set: van → naar: verandering [95%-interval]",
            "full": "Volledige edities (organisaties)",
            "indicators": {
                "response_rate": "reactiepercentage",
                "response_time_median": "mediane reactietijd",
                "dialogue_share": "dialoogaandeel",
                "answered_within_24h": "binnen 24 uur beantwoord",
                "rank": "plaats in de engagementindex",
                "engagement_index": "engagementindex",
            },
            "wide_caption": "Editiebreed (gemiddelde over organisaties, alle platforms), {pair}",
            "orgs_caption": "Veranderingen per organisatie in de vergelijkbare set (alle platforms), {pair}: van → naar: verandering [95%-interval]",
            "figures_heading": "Figuren",
            "figure_trends": "Elke hoofdindicator per editie (gemiddelde over organisaties) en de verandering in de vergelijkbare set met haar 95%-interval",
            "figure_league_slope": "De engagementindex-ranglijst tussen de laatste twee edities; gekleurd waar de verandering van plaats duidelijk is",
            "figure_organisations": "Reactiepercentage en mediane reactietijd van elke organisatie over de edities",
            "method_note": "Veranderingen zijn nieuw min oud. Bij reactietijden en plaatsen is lager beter. Bron: results/series/<naam>/changes.csv en edition_wide.csv.",
            "difference": "{definition}: {value_from} in {edition_from}, {value_to} in {edition_to} (aanvaard: {reason})",
            "same_seed": "{edition_from} en {edition_to} zijn met hetzelfde startgetal gebootstrapt (metrics.seed {seed}): hun trekkingen zijn alleen onafhankelijk als hun draden verschillen; geef elke editie een eigen metrics.seed",
            "follower_effect": "Volgerseffect ({model}): {estimate_from} → {estimate_to}, verandering {change} [{lower}; {upper}]: {verdict}.",
            "follower_effect_no_interval": "Volgerseffect ({model}): {estimate_from} → {estimate_to}; geen interval (de standaardfout van het model is in een editie ontaard), niet geïnterpreteerd.",
            "follower_effect_not_comparable": "Volgerseffect ({model}): tussen deze edities niet vergelijkbaar.",
            "clearly_changed": "duidelijk veranderd",
            "panel_separate": "Consumentenpanel: aparte steekproeven van respondenten per meting ({n_from} en {n_to} respondenten); het interval van de verandering van het volgerseffect combineert de standaardfouten van beide metingen.",
            "panel_ids_differ": "Consumentenpanel: {matches} respondentnummers komen in beide metingen voor, maar geslacht en leeftijd kloppen bij {inconsistent} daarvan niet met dezelfde persoon (nummering per meting); behandeld als aparte steekproeven ({n_from} en {n_to} respondenten).",
            "panel_linked": "Consumentenpanel: {n_both} respondenten deden aan beide metingen mee (herkend aan hun respondentnummer; {n_from} en {n_to} respondenten in totaal). Het interval van de verandering van het volgerseffect ({models}) komt uit een bootstrap die respondenten over beide metingen samen trekt: een getrokken respondent telt in beide metingen ({resamples} trekkingen).",
            "figure_text": {
                "slope_axis": "plaats in de engagementindex",
                "slope_title": "De ranglijst van editie tot editie (gekleurd: het 95%-interval van de verandering van plaats sluit 0 uit)",
                "trends_title": "Editiebrede gemiddelden over de organisaties (alle platforms)",
                "full_editions": "volledige edities",
                "like_for_like_change": "vergelijkbare set: verandering met 95%-interval",
                "organisations_title": "Elke organisatie over de edities (alle platforms), met 95%-intervallen",
                "unit_percent": "%",
            },
        },
    },
    "en": {
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "months_short": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ],
        "weekdays": {
            "monday": "Monday",
            "tuesday": "Tuesday",
            "wednesday": "Wednesday",
            "thursday": "Thursday",
            "friday": "Friday",
            "saturday": "Saturday",
            "sunday": "Sunday",
        },
        "methods_text": {
            "period": "Period {period} (both days included), time zone {timezone}.",
            "response": "Response: the organisation's first message in the thread answering the author, within {days} days.",
            "response_direct": "Response: the organisation's first direct reply to the message, within {days} days; an answer to a later message of the author in the thread does not count.",
            "hours": "Webcare hours: {hours}. Time outside these hours does not count in the response time in webcare hours.",
            "censored": "Incoming messages in the last answer window of the period are censored: left out of rates and times.",
            "bootstrap": "95% intervals: cluster bootstrap over threads, {resamples} resamples, seed {seed}.",
            "weights": "Engagement index weights: {weights}.",
            "trained": "Trained on {n} coded messages (checksum {sha}…).",
            "selection": "Chosen by cross-validation: regularisation parameter C = {value} (out of {grid}).",
            "validation": "Cross-validated macro-F1 {f1}, accuracy {accuracy}.",
            "acc": "Type shares corrected by adjusted classify-and-count.",
            "source": "Training source {source}: {n} messages, total weight {weight} (checksum {sha}…).",
            "in_domain": "Macro-F1 on this edition's own coded messages ({n}, {folds} folds, each fold predicted by a model trained without it): {f1}; the cross-validated figure above is over all sources.",
            "correction": "Per-type response rates corrected for classification errors (two-phase estimator): from the coded sample, the probability of the true type given the predicted type and whether the message was answered, pooled over organisations; every uncoded message counts as that mix of true types, a coded message as its own; intervals from the thread bootstrap, which resamples the coded sample too. {basis}",
            "basis_corrected": "Corrected with this edition's coded sample ({n} coded incoming messages).",
            "basis_none": "Not corrected: the coded sample is too small or missing; the report shows the raw rates.",
            "edition_source": "this edition's coded sample",
            "raw_counts": "The counts over organisations in the text (such as: complaints get the highest response rate at k of n organisations) use each organisation's raw rates per predicted type, not the corrected ones: a corrected rate per organisation rests on few coded messages{sample}, and the correction per organisation is less reliable than the one for all organisations together. Classification errors pull the types' rates towards each other; they can hide an ordering but hardly create one that is not there.",
            "raw_counts_sample": " ({n} per organisation on average)",
            "model": "{name}: {formula}; {weighted}; standard errors {errors}.",
            "weighted_yes": "weighted by the survey weight",
            "weighted_ipw": "weighted by survey weight × inverse propensity of following",
            "weighted_no": "unweighted",
            "errors": {
                "cluster": "clustered by respondent",
                "model-based": "model-based",
                "nonrobust": "model-based",
            },
            "derived": "Derived variable {name} = {rule}.",
            "derived_rules": {
                "age_decades": "(age − 45) / 10",
                "dialogue_c": "the organisation's dialogue share minus its mean over the pairs",
                "response_c": "the organisation's response rate minus its mean over the pairs",
            },
            "references": "Reference levels: {levels}.",
            "no_models": "No consumer panel in this edition: no loyalty models.",
            "records": "Records read {read}, kept {kept}, duplicates {duplicates}, quarantined {quarantined}, in {files} files.",
            "outside": "Outside the period (left out): {outside}; texts with control characters removed: {cleaned}; texts cut to {max} characters: {cut}.",
            "inputs": "{n} input files; combined SHA-256 checksum {checksum}. The full list with each file's checksum is in the workbook engbench_tables.xlsx, sheet input_files.",
        },
        "and": " and ",
        "findings": {
            "dialogue_mostly_broadcasts": "Organisations mostly broadcast: replies are {share} of what they post; at {k} of the {n} organisations most of their posts are replies.",
            "dialogue_mostly_replies": "Organisations mostly reply: {share} of what they post is a reply to a consumer; at {k} of the {n} organisations most of their posts are replies.",
            "most_unanswered": "Most consumer messages go unanswered: of the {incoming} incoming messages, {rate} get a response.",
            "most_answered": "Most consumer messages get a response: of the {incoming} incoming messages, {rate} are answered.",
            "complaints_highest_all": "Complaints get the highest response rate at all {n} organisations ({k} of {n}): webcure more than webcare.",
            "complaints_highest_most": "Complaints get the highest response rate at {k} of the {n} organisations: mostly webcure.",
            "complaints_highest_few": "Complaints get the highest response rate at only {k} of the {n} organisations: no webcure pattern.",
            "questions_over_compliments": "Questions are answered more often than compliments at {k} of the {n} organisations.",
            "compliments_over_questions": "Compliments are answered at least as often as questions at {rest} of the {n} organisations.",
            "median_time": "Half of the answered messages get their response within {time} (in webcare hours).",
            "median_time_organisations": "Over all answered messages together, half get their response within {time} (in webcare hours); the median organisation answers half of its messages within {org_time}. The first figure weighs the organisations with the most messages most heavily, the second counts every organisation once.",
            "leader_certain": "{name} has the highest engagement index, and its first place is certain: the 95% interval of its rank is 1–{upper}.",
            "leader_uncertain": "{name} has the highest engagement index, but its first place is not certain: the 95% interval of its rank reaches {upper}.",
            "ranks_overlap": "For {k} of the {n} organisations the rank interval spans more than one place: small differences in the league say little.",
            "followers_more_loyal": "Followers are more loyal than non-followers of the same organisation: {effect} points on the 1–7 loyalty scale, adjusted for being a customer, age, gender, education and region. This is an association, not a proven effect of following.",
            "followers_less_loyal": "Followers are less loyal than non-followers of the same organisation: {effect} points on the 1–7 loyalty scale, adjusted for being a customer, age, gender, education and region.",
            "followers_no_evidence": "There is no evidence that followers are more loyal than non-followers: the difference on the 1–7 loyalty scale is {effect} and its interval includes zero.",
            "cross_level_zero": "There is no evidence that more dialogue or a higher response rate widens the gap between followers and non-followers: the intervals of those interactions include zero.",
            "cross_level_nonzero": "The gap between followers and non-followers goes with the organisation's dialogue or response rate: at least one interval of those interactions excludes zero.",
            "studied": "This report compares {n} organisations on {platforms} over {period}: what consumers send them, what they answer and how fast, and what they post themselves.",
            "studied_panel": "A panel of {n} consumers said which organisations they follow and how loyal they are.",
            "studied_no_panel": "This edition has no consumer panel.",
            "advice_answer_more": "Answer more messages: most now go without a response.",
            "advice_beyond_complaints": "Answer questions and compliments too, not only complaints: dialogue starts with attention to every message.",
            "advice_listen": "Listen before you broadcast: reply to consumers rather than mostly posting your own messages.",
            "advice_faster": "Respond faster: half of the answers come after more than an hour.",
            "advice_keep": "Hold the level and compare your organisation with the median in the profiles.",
        },
        "key_findings": "Key findings",
        "studied_heading": "What was studied",
        "advice_heading": "What organisations can do",
        "key_figures": "Key figures",
        "captions": {
            "index_decomposition": "Each component's contribution to the engagement index per organisation: weight × standardised value. Bars to the right raise the index, bars to the left lower it; the dot is the index itself.",
            "dialogue_share": "For each organisation the share of replies (green) and broadcasts (grey) in everything it posts. Organisations in league order.",
            "monthly_volumes": "Incoming messages, replies and broadcasts per month, all organisations together.",
            "response_by_type": "Response rate by message type and organisation (raw rates, predicted type). When the red dot (complaint) lies right of the others, complaints are answered more often: webcure.",
            "response_times": "Response time in webcare hours per organisation: the box runs from the first to the third quartile, the line in the box is the median, the whiskers run from the 5th to the 95th percentile. The axis is logarithmic: each step is ten times as long.",
            "league_table": "The engagement index per organisation with its 95% interval; in brackets the rank and the 95% interval of the rank. Overlapping intervals mean the order is not certain.",
            "league": "The league: rank, the 95% interval of the rank over the bootstrap resamples, and the index (0 is the organisations' mean, in standard deviations).",
            "loyalty_gap": "Mean loyalty (1–7, weighted) of followers (blue) and non-followers (orange) per organisation, with 95% intervals.",
            "coefficients": "The loyalty difference between followers and non-followers in each linear model, on the 1–7 scale, with its 95% interval. An interval that includes zero is no evidence of a difference.",
            "regression": "The models side by side: estimate with significance stars and its standard error below.",
            "confusion": "Coded against predicted message types in cross-validation: correctly classified messages on the diagonal.",
            "robustness": "How the headline figures change under other definitions, one choice per row: the other response definition, answer windows of 1, 3 and 7 days, the response time in webcare hours instead of around the clock, and with the censored messages at the end of the period (otherwise left out). Point estimates. The rank correlation (Spearman) compares the organisations' order by response rate with the main definition's: 1 is the same order.",
        },
        "index": "index",
        "contribution_axis": "contribution to the engagement index (standard deviations × weight)",
        "decomposition_title": "The engagement index taken apart into its components",
        "reading": "How to read this report",
        "reading_sections": {
            "intervals": "Intervals and ranks",
            "panel": "The consumer panel",
            "glossary": "Glossary",
            "limitations": "Limitations",
        },
        "index_explained": [
            "The engagement index sums up four components: the response rate (the share of incoming messages answered within the answer window), response speed (minus the logarithm of the median response time in webcare hours plus one minute: faster is higher), the dialogue share (the share of replies in what the organisation posts) and engagement per post (the logarithm of the median likes, shares and comments on a broadcast per 1,000 followers).",
            "Each component is standardised across the organisations: minus the mean, divided by the standard deviation. An organisation at the mean scores 0, one standard deviation above it 1. Where a component is missing (no responses, no follower count) the organisation takes the worst value among the organisations.",
            "The index is the weighted mean of the standardised components, with weights {weights}. The figure below shows each component's contribution per organisation: it shows why an organisation with a low response rate can still rank high.",
        ],
        "intervals_explained": [
            "Every figure with an interval in square brackets, such as the response rate {example}, is an estimate with its 95% interval: the values that fit the data. The interval comes from the bootstrap: the conversation threads are drawn again {resamples} times and the figure is computed each time; the interval spans the middle 95% of those results.",
            "The interval of a rank in the league, such as 2 (1–3), says between which ranks the organisation ends in 95% of those draws. An interval of one rank, such as 1 (1–1), means the organisation holds that rank in nearly every draw; a wide one, that its order against its neighbours is not certain.",
            "A response time interval with equal lower and upper bounds means that time is the same in nearly every draw, for example because many responses come within the same minute.",
        ],
        "glossary": {
            "incoming message": "a message from a consumer to the organisation: a mention, a reply in its thread or a comment on its page.",
            "response": "the organisation's first answer to the author in the message's thread, within the answer window.",
            "broadcast": "a message the organisation posts of its own accord, not a reply to a consumer.",
            "dialogue share": "the share of replies in everything the organisation posts.",
            "webcare hours": "the hours in which the organisation says it responds; time outside them does not count in the response time in webcare hours.",
            "webcure": "responding mainly to solve problems: complaints are answered more often than questions and compliments.",
            "message type": "complaint, question, compliment or other, predicted by a classification model trained on hand-coded messages.",
            "censored": "a message so close to the end of the period that its answer window did not run out; it does not count.",
        },
        "glossary_panel": {
            "respondent × organisation pair": "one panel member about one organisation they know; a respondent gives several pairs.",
            "loyalty": "the mean of the panel's answered loyalty questions about an organisation, each on a 1 to 7 scale.",
            "promoter": "a panel member who would recommend the organisation with a 9 or 10 (on 0–10).",
        },
        "limitations_panel": [
            "Association, not effect: followers may be more loyal because loyal customers are more likely to follow.",
        ],
        "limitations": [
            "Public messages only: the collection did not see private messages, nor messages deleted by the organisation or the author.",
            "Only the measured platforms ({platforms}): webcare through other channels (phone, e-mail, chat) does not count.",
            "Message types are predicted and can be wrong; the per-type rates are therefore also corrected with a coded sample.",
            "The definition of a response (any later answer in the thread to the same author) and the answer window shape the figures.",
        ],
        "panel_explained": [
            "The consumer panel: {n} respondents of a panel agency answered, for every organisation they know, whether they follow it on Twitter or Facebook, whether they are a customer, a set of loyalty questions (each on a 1 to 7 scale) and whether they would recommend it (0–10). Each answer about one organisation is a respondent × organisation pair; who does not know an organisation gives no pair for it.",
            "The panel agency delivers a weight per respondent, so that the weighted panel resembles the population the agency weights to; the weighted figures and the main models use that weight. The models' intervals allow for the pairs of one respondent being related.",
        ],
        "closed": "closed",
        "hour": "h",
        "contents": "Contents",
        "author": "engbench",
        "subject": "Benchmark of webcare, dialogue and loyalty on social media",
        "methods_sections": {
            "definitions": "Definitions",
            "classifier": "Message-type classification",
            "models": "Models",
            "data": "Data",
            "software": "Software",
            "inputs": "Input files",
        },
        "league_columns": ["rank", "rank interval", "organisation", "engagement index"],
        "regression_term": "term",
        "regression_stars": "* p < 0.05; ** p < 0.01; *** p < 0.001; standard errors in brackets.",
        "regression_legend": "* p < 0.05; ** p < 0.01; *** p < 0.001; standard errors in brackets. Linear models on the 1–7 loyalty scale; the logit models in log-odds.",
        "n_pairs": "N (pairs)",
        "n_respondents": "N (respondents)",
        "fit": "R² / pseudo-R²",
        "models": {
            "ols_fe": "weighted regression with organisation fixed effects",
            "ordered_logit": "ordered logit (first loyalty item, log-odds)",
            "logit_promoter": "logit for promoters (log-odds)",
            "mixed": "multilevel model (random intercept per respondent)",
            "platforms": "following per platform",
            "cross_level": "with interactions with dialogue and response rate",
            "ipw": "weighted by the propensity to follow",
        },
        "models_short": {
            "ols_fe": "fixed effects",
            "ordered_logit": "ordered logit",
            "logit_promoter": "promoter logit",
            "mixed": "multilevel",
            "platforms": "by platform",
            "cross_level": "interactions",
            "ipw": "propensity-weighted",
        },
        "variables": {
            "loyalty": "loyalty",
            "loyalty_1": "first loyalty item",
            "promoter": "promoter",
            "follows": "follows",
            "follows_twitter": "follows on Twitter",
            "follows_facebook": "follows on Facebook",
            "follows:dialogue_c": "follows × dialogue share (centred)",
            "follows:response_c": "follows × response rate (centred)",
            "dialogue_c": "dialogue share (centred)",
            "response_c": "response rate (centred)",
            "customer": "customer",
            "age_decades": "age (decades)",
            "age": "age",
            "C(gender)": "gender",
            "C(education)": "education",
            "C(region)": "region",
            "C(org_id)": "organisation (fixed effects)",
            "org_dialogue_share": "the organisation's dialogue share",
            "org_response_rate": "the organisation's response rate",
            "gender": "gender",
            "education": "education",
            "region": "region",
            "org_id": "organisation",
        },
        "components": {
            "response_rate": "response rate",
            "response_speed": "response speed",
            "dialogue_share": "dialogue share",
            "engagement": "engagement per post",
        },
        "types": {
            "complaint": "complaint",
            "question": "question",
            "compliment": "compliment",
            "other": "other",
        },
        "index_axis": "engagement index (standardised; 95% interval)",
        "league_title": "League table: engagement index (in brackets: rank and its 95% interval)",
        "response_rate_axis": "response rate (%)",
        "by_type_title": "Response rate by message type: webcare or webcure?",
        "response_time_axis": "response time in webcare hours (log scale)",
        "times_title": "Response times (median, quartiles, 5th–95th percentile)",
        "replies": "replies",
        "broadcasts": "broadcasts",
        "incoming": "incoming messages",
        "share_axis": "share of the organisation's messages (%)",
        "dialogue_title": "Broadcast or dialogue: replies against broadcasts",
        "messages_axis": "messages per month",
        "monthly_title": "Monthly volumes",
        "followers": "followers",
        "non_followers": "non-followers",
        "loyalty_axis": "loyalty (1–7, weighted; 95% interval)",
        "loyalty_title": "Loyalty of followers and non-followers",
        "coefficient_axis": "coefficient of following on the 1–7 loyalty scale (95% interval)",
        "coefficients_title": "Loyalty and following: the models",
        "predicted": "predicted",
        "coded": "coded",
        "confusion_title": "Message-type classification (cross-validated)",
        "title_sub": "Webcare, dialogue and loyalty on social media",
        "period": "Period",
        "edition": "Edition",
        "summary": "Summary",
        "dialogue": "Dialogue",
        "webcare": "Webcare",
        "engagement": "Engagement",
        "loyalty": "Loyalty",
        "profiles": "Organisation profiles",
        "methods": "Methods",
        "to_complaints": "response to complaints",
        "by_type_corrected": "Response rate per message type, all organisations pooled: raw (predicted type) and corrected for classification errors (95% intervals).",
        "by_type_columns": ["message type", "raw", "corrected"],
        "headline_corrected": "The summary uses the corrected per-type rates.",
        "headline_raw": "There is no coded sample to correct with: the summary uses the raw per-type rates.",
        "robustness_columns": [
            "definition",
            "response rate",
            "per organisation: median (lowest–highest)",
            "median response time",
            "per organisation: median (lowest–highest)",
            "rank correlation",
        ],
        "robustness_rows": {
            "main": "main definition: {definition}, {days} days",
            "definition": "{definition}",
            "window": "answer window {days} days",
            "window_one": "answer window 1 day",
            "webcare_hours": "response time in webcare hours",
            "censored_kept": "censored tail kept",
        },
        "robustness_definitions": {
            "thread": "any later reply in the thread to the author",
            "direct": "direct replies to the message only",
        },
        "robustness_moves": "Under the alternative definitions the response rate of all organisations together lies between {rate_low} ({rate_low_row}) and {rate_high} ({rate_high_row}), against {rate} under the main definition; the median response time between {minutes_low} and {minutes_high} (main definition {minutes}). The organisations' order by response rate {order} (lowest rank correlation {correlation}).",
        "robustness_order": {
            "hardly": "hardly changes",
            "somewhat": "changes somewhat",
            "much": "changes considerably",
        },
        "to_compliments": "response to compliments",
        "rank": "rank (95% interval)",
        "response_rate": "response rate",
        "median_time": "median response time (webcare hours)",
        "dialogue_share": "share of replies (dialogue)",
        "follow_share": "follows (panel)",
        "loyalty_pair": "loyalty followers / non-followers",
        "no_panel": "This edition has no consumer panel, so the report has no loyalty chapter.",
        "series": {
            "chapter": "Trends: what changed between the editions",
            "intro": "Per pair of consecutive editions: both estimates, the change and its 95% interval (paired bootstrap resamples of the two editions). A change counts as improved or worsened only when its interval excludes zero. Like-for-like set: the organisations with an estimate in both editions.",
            "pair": "{edition_from} → {edition_to}",
            "comparable_note": "Both editions were computed with the same definitions.",
            "accepted_note": "Not comparable in every indicator: the editions were computed with different definitions, accepted by the series; the changes of the indicators they move are not interpreted:",
            "leaver": "Left: {list}.",
            "entrant": "Entered: {list}.",
            "on_platform": "{organisation} on {platform}",
            "none": "none",
            "wide_improved": "{indicator} (mean over the {n} organisations in both editions): improved, {change}.",
            "wide_worsened": "{indicator} (mean over the {n} organisations in both editions): worsened, {change}.",
            "wide_steady": "{indicator} (mean over the {n} organisations in both editions): no clear change, {change}.",
            "wide_not_comparable": "{indicator}: not comparable between these editions.",
            "orgs": "{indicator}: improved at {improved}; worsened at {worsened}; no clear change (95% interval includes 0) at {steady} of {n} organisations.",
            "orgs_not_comparable": "{indicator}: not comparable between these editions.",
            "warning": "Note: {warning}.",
            "improved": "improved",
            "worsened": "worsened",
            "no_clear_change": "no clear change",
            "not_comparable": "not comparable",
            "pp": "pp",
            "indicator": "Indicator",
            "organisation": "Organisation",
            "organisations": "Organisations",
            "like_for_like": "Like-for-like: from → to: change [95% interval]",
            "full": "Full editions (organisations)",
            "indicators": {
                "response_rate": "response rate",
                "response_time_median": "median response time",
                "dialogue_share": "dialogue share",
                "answered_within_24h": "answered within 24 h",
                "rank": "rank in the engagement index",
                "engagement_index": "engagement index",
            },
            "wide_caption": "Edition-wide (mean over organisations, all platforms), {pair}",
            "orgs_caption": "Changes per organisation in the like-for-like set (all platforms), {pair}: from → to: change [95% interval]",
            "figures_heading": "Figures",
            "figure_trends": "Each headline indicator per edition (mean over organisations) and the like-for-like change with its 95% interval",
            "figure_league_slope": "The engagement index league between the last two editions; coloured where the rank change is clear",
            "figure_organisations": "Each organisation's response rate and median response time over the editions",
            "method_note": "Changes are new minus old. For response times and ranks lower is better. Source: results/series/<name>/changes.csv and edition_wide.csv.",
            "difference": "{definition}: {value_from} in {edition_from}, {value_to} in {edition_to} (accepted: {reason})",
            "same_seed": "{edition_from} and {edition_to} were bootstrapped with the same seed (metrics.seed {seed}): their resamples are independent only when their threads differ; give each edition its own metrics.seed",
            "follower_effect": "Follower effect ({model}): {estimate_from} → {estimate_to}, change {change} [{lower}; {upper}]: {verdict}.",
            "follower_effect_no_interval": "Follower effect ({model}): {estimate_from} → {estimate_to}; no interval (the model's standard error is degenerate in an edition), not interpreted.",
            "follower_effect_not_comparable": "Follower effect ({model}): not comparable between these editions.",
            "clearly_changed": "clearly changed",
            "panel_separate": "Consumer panel: separate samples of respondents per wave ({n_from} and {n_to} respondents); the interval of the follower effect's change combines both waves' standard errors.",
            "panel_ids_differ": "Consumer panel: {matches} respondent ids appear in both waves, but gender and age do not fit the same person for {inconsistent} of them (ids numbered per wave); treated as separate samples ({n_from} and {n_to} respondents).",
            "panel_linked": "Consumer panel: {n_both} respondents took part in both waves (matched by their respondent id; {n_from} and {n_to} respondents in all). The interval of the follower effect's change ({models}) comes from a bootstrap that resamples respondents jointly across the waves: a respondent drawn counts in both waves ({resamples} resamples).",
            "figure_text": {
                "slope_axis": "rank in the engagement index",
                "slope_title": "The league, edition to edition (coloured: the rank change's 95% interval excludes 0)",
                "trends_title": "Edition-wide means over the organisations (all platforms)",
                "full_editions": "full editions",
                "like_for_like_change": "like-for-like: change with 95% interval",
                "organisations_title": "Each organisation over the editions (all platforms), with 95% intervals",
                "unit_percent": "%",
            },
        },
    },
}

SEPARATORS = {"nl": (".", ","), "en": (",", ".")}  # (thousands, decimal)
MISSING = "–"


def number(value, language: str, digits: int = 1, percent: bool = False) -> str:
    """A number as the language writes it: nl ``192.390`` and ``0,46``, en ``192,390`` and
    ``0.46``; ``percent`` multiplies a share by 100 and adds ``%``. Missing: a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    try:
        if math.isnan(float(value)):
            return MISSING
    except (TypeError, ValueError):
        return MISSING
    thousands, decimal = SEPARATORS[language]
    text = f"{float(value) * 100 if percent else float(value):,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0.0"
    text = text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return text.replace("-", "−") + ("%" if percent else "")


def percent(value, language: str, digits: int = 1) -> str:
    return number(value, language, digits, True)


def interval(estimate, lower, upper, language: str, digits: int = 1, as_percent=True) -> str:
    """``estimate [lower–upper]`` in the language's number format."""

    def f(v):
        return number(v, language, digits, as_percent)

    return f"{f(estimate)} [{f(lower)}–{f(upper)}]"


def duration(seconds, language: str) -> str:
    """Minutes under an hour, hours with one decimal above (``uur`` / ``h``)."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return MISSING
    if seconds < 60:
        return "< 1 min"
    if seconds < 3600:
        return f"{number(seconds / 60, language, 0)} min"
    return f"{number(seconds / 3600, language, 1)} {TEXT[language]['hour']}"


def date(day: str | dt.date, language: str) -> str:
    """A date in words: ``1 januari 2017`` / ``1 January 2017``."""
    day = dt.date.fromisoformat(str(day)) if not isinstance(day, dt.date) else day
    return f"{day.day} {TEXT[language]['months'][day.month - 1]} {day.year}"


def period(start: str, end: str, language: str) -> str:
    """The period as inclusive dates: the config's ``end`` is exclusive (the last day is
    the day before it)."""
    last = dt.date.fromisoformat(str(end)) - dt.timedelta(days=1)
    return f"{date(start, language)} – {date(last, language)}"


def month(label: str, language: str) -> str:
    """A ``YYYY-MM`` period as a short month name (``okt 2017`` / ``Oct 2017``)."""
    year, month_number = str(label)[:7].split("-")
    return f"{TEXT[language]['months_short'][int(month_number) - 1]} {year}"


def webcare_hours(hours: dict, language: str) -> str:
    """``maandag 08:00–22:00, …, zondag gesloten``."""
    t = TEXT[language]
    return ", ".join(
        f"{t['weekdays'].get(day, day)} "
        + (t["closed"] if str(spec).strip().lower() == "closed" else str(spec).replace("-", "–"))
        for day, spec in hours.items()
    )


def words(name: str, language: str) -> str:
    """A model variable or term in words (``follows:dialogue_c`` → ``volgt × …``)."""
    return TEXT[language]["variables"].get(name, name.replace("_", " "))


def formula(text: str, language: str) -> str:
    """A model formula in readable notation: ``loyalty ~ follows + C(org_id)`` →
    ``loyaliteit = volgt + organisatie (vaste effecten)``."""
    outcome, terms = (part.strip() for part in text.split("~", 1))
    return f"{words(outcome, language)} = " + " + ".join(
        words(term.strip(), language) for term in terms.split("+")
    )


# The benchmarks a reader compares against (engbench.comparison) and the scorecards:
# kept apart from the main catalogue and added to it under "benchmarks".
BENCHMARK_TEXT = {
    "nl": {
        "sectors": {
            "all": "alle organisaties",
            "airline": "luchtvaart",
            "bank": "bank",
            "ecommerce": "webwinkel",
            "electronics": "elektronica",
            "employment_agency": "uitzendbureau",
            "energy": "energie",
            "insurer": "verzekeraar",
            "parcel_delivery": "pakketbezorging",
            "public_transport": "openbaar vervoer",
            "rail": "spoor",
            "supermarket": "supermarkt",
            "telecom": "telecom",
            "": "geen sector",
        },
        "indicators": {
            "n_incoming": "inkomende berichten",
            "n_broadcasts": "zendberichten",
            "n_replies": "reacties",
            "response_rate": "reactiepercentage",
            "response_time_webcare_median": "mediane reactietijd (webcare-uren)",
            "dialogue_share": "aandeel reacties (dialoog)",
            "response_rate_complaint": "reactie op klachten",
            "response_rate_question": "reactie op vragen",
            "response_rate_compliment": "reactie op complimenten",
            "response_rate_other": "reactie op overige berichten",
            "index": "engagementindex",
        },
        "sector_columns": [
            "sector",
            "organisaties",
            "reactiepercentage",
            "mediane reactietijd",
            "dialoog",
            "klachten",
            "vragen",
            "complimenten",
        ],
        "platform_columns": ["indicator", "{platform}", "organisaties beter op {platform}"],
        "type_mix_columns": ["sector", "berichten", "klacht", "vraag", "compliment", "overig"],
        "hours_columns": [
            "organisatie",
            "inkomend",
            "buiten webcare-uren",
            "reactie binnen uren",
            "reactie buiten uren",
            "reactie op gesloten dagen",
            "antwoorden buiten uren",
        ],
        "captions": {
            "sector_benchmarks": "Per sector de mediaan van de organisaties en, tussen haakjes, de beste organisatie van de sector (voor de reactietijd de snelste). Alle platforms samen, de hele periode; de eerste rij is alle organisaties samen.",
            "platforms": "Twitter en Facebook naast elkaar: alle organisaties samen met 95%-interval, en bij hoeveel van de organisaties die op beide platforms actief zijn het platform beter scoort.",
            "type_mix": "Wat consumenten sturen: het aandeel van elk berichttype (voorspeld door de classificatie) in de inkomende berichten, per sector en alle organisaties samen. Dezelfde berichten als in de rest van het rapport: zonder de gecensureerde berichten uit de laatste antwoordtermijn van de periode (zie de verantwoording), zodat het totaal gelijk is aan het aantal inkomende berichten in de samenvatting.",
            "outside_hours": "Berichten die buiten de webcare-uren binnenkomen (ook op gesloten dagen): hoe vaak ze een reactie krijgen, naast berichten binnen de uren, en welk deel van alle antwoorden buiten de uren wordt gegeven. Gecensureerde berichten tellen niet mee.",
            "regression_scale": "Lineaire modellen: coëfficiënten in punten op de loyaliteitsschaal 1–7 (een coëfficiënt van 0,5 is een half punt hoger).",
            "regression_log_odds": "Logitmodellen: coëfficiënten in log-odds, niet in punten op de schaal (positief betekent een grotere kans op een hogere loyaliteit of op aanbevelen).",
            "scorecard": "Elke stip is de organisatie met haar 95%-interval; de streep is de mediaan van alle organisaties, het grijze vlak loopt van de laagste tot de hoogste organisatie in haar sector, de ruit is de mediaan van de sector.",
        },
        "sentences": {
            "sector_spread": "De mediane organisatie beantwoordt {median} van de berichten; per sector loopt de mediaan van {low} ({low_sector}) tot {high} ({high_sector}). De beste organisatie, {best} ({best_sector}), beantwoordt {best_value}.",
            "sector_one": "Alle organisaties horen tot één sector ({sector}): de mediane organisatie beantwoordt {median} van de berichten, de beste, {best}, {best_value}.",
            "platform_higher": "Berichten op {higher} krijgen vaker een reactie dan op {lower}: {higher_rate} tegen {lower_rate}; van de {n} organisaties op beide platforms antwoordt {k} vaker op {higher}.",
            "platform_equal": "Berichten op {higher} en {lower} krijgen even vaak een reactie ({higher_rate} en {lower_rate}).",
            "type_mix_complaints": "Consumenten sturen het vaakst klachten: {share} van de inkomende berichten is een klacht, {question} een vraag en {compliment} een compliment.",
            "type_mix_other": "Consumenten sturen niet het vaakst klachten: {top_share} van de inkomende berichten is een {top}, {share} een klacht.",
            "hours_less": "{share} van de inkomende berichten komt buiten de webcare-uren binnen; die krijgen minder vaak een reactie ({outside} tegen {inside} binnen de uren). {answers} van de antwoorden wordt buiten de uren gegeven.",
            "hours_more": "{share} van de inkomende berichten komt buiten de webcare-uren binnen; die krijgen niet minder vaak een reactie ({outside} tegen {inside} binnen de uren): {answers} van de antwoorden wordt buiten de uren gegeven.",
            "scorecard_above": "{name} beantwoordt {rate} van de berichten, meer dan de mediane organisatie ({median})",
            "scorecard_below": "{name} beantwoordt {rate} van de berichten, minder dan de mediane organisatie ({median})",
            "scorecard_equal": "{name} beantwoordt {rate} van de berichten, evenveel als de mediane organisatie",
            "scorecard_sector_above": " en meer dan de mediaan van de sector {sector} ({sector_median}).",
            "scorecard_sector_below": " en minder dan de mediaan van de sector {sector} ({sector_median}).",
            "scorecard_sector_equal": "; in de sector {sector} is dat de mediaan.",
            "scorecard_sector_alone": "; zij is de enige organisatie in de sector {sector}.",
            "scorecard_time_faster": "Haar mediane reactietijd ({time}) is korter dan die van de mediane organisatie ({median}).",
            "scorecard_time_slower": "Haar mediane reactietijd ({time}) is langer dan die van de mediane organisatie ({median}).",
            "scorecard_time_equal": "Haar mediane reactietijd ({time}) is die van de mediane organisatie.",
        },
        "benchmarks_heading": "Vergelijkingsmaten",
        "scorecard_heading": "Scorekaart",
        "scorecard_rank": "Plaats {rank} (95%-interval {lower}–{upper}) van {n}; engagementindex {index}.",
        "scorecard_axis_share": "percentage",
        "scorecard_axis_time": "minuten (webcare-uren)",
        "scorecard_median": "mediaan alle organisaties",
        "scorecard_sector": "sector: laagste–hoogste, mediaan",
        "count_columns": ["", "berichten"],
        "count_rows": {
            "broadcasts": "zendberichten van de organisaties",
            "replies": "+ reacties van de organisaties",
            "incoming_messages": "+ inkomende berichten van consumenten",
            "retweets": "+ retweets",
            "other_consumer_messages": "+ overige berichten van consumenten (aan geen organisatie gericht)",
            "kept": "= bewaarde berichten",
            "incoming_pairs": "inkomende berichten per organisatie (een bericht aan twee organisaties telt twee keer)",
            "censored_pairs": "− gecensureerd (in de laatste antwoordtermijn van de periode)",
            "incoming_measured": "= inkomende berichten in de cijfers van dit rapport",
        },
        "count_caption": "Hoe de aantallen optellen: elk bewaard bericht is precies één van deze soorten. De cijfers van dit rapport tellen een inkomend bericht eenmaal per organisatie waaraan het gericht is, zonder de gecensureerde (laatste rijen).",
    },
    "en": {
        "sectors": {
            "all": "all organisations",
            "airline": "airline",
            "bank": "bank",
            "ecommerce": "online retail",
            "electronics": "electronics",
            "employment_agency": "employment agency",
            "energy": "energy",
            "insurer": "insurer",
            "parcel_delivery": "parcel delivery",
            "public_transport": "public transport",
            "rail": "rail",
            "supermarket": "supermarket",
            "telecom": "telecom",
            "": "no sector",
        },
        "indicators": {
            "n_incoming": "incoming messages",
            "n_broadcasts": "broadcasts",
            "n_replies": "replies",
            "response_rate": "response rate",
            "response_time_webcare_median": "median response time (webcare hours)",
            "dialogue_share": "share of replies (dialogue)",
            "response_rate_complaint": "response to complaints",
            "response_rate_question": "response to questions",
            "response_rate_compliment": "response to compliments",
            "response_rate_other": "response to other messages",
            "index": "engagement index",
        },
        "sector_columns": [
            "sector",
            "organisations",
            "response rate",
            "median response time",
            "dialogue",
            "complaints",
            "questions",
            "compliments",
        ],
        "platform_columns": ["indicator", "{platform}", "organisations better on {platform}"],
        "type_mix_columns": ["sector", "messages", "complaint", "question", "compliment", "other"],
        "hours_columns": [
            "organisation",
            "incoming",
            "outside webcare hours",
            "response inside hours",
            "response outside hours",
            "response on closed days",
            "answers outside hours",
        ],
        "captions": {
            "sector_benchmarks": "Per sector the median of its organisations and, in brackets, the sector's best organisation (for the response time the fastest). All platforms together, the whole period; the first row is all organisations together.",
            "platforms": "Twitter and Facebook side by side: all organisations together with 95% interval, and at how many of the organisations active on both platforms the platform scores better.",
            "type_mix": "What consumers send: each message type's share of incoming messages (predicted by the classifier), per sector and all organisations together. The same messages as in the rest of the report: without the censored messages of the period's last answer window (see the methods), so the total equals the summary's number of incoming messages.",
            "outside_hours": "Messages arriving outside webcare hours (closed days included): how often they are answered, beside messages inside the hours, and what share of all answers is given outside the hours. Censored messages are left out.",
            "regression_scale": "Linear models: coefficients in points on the 1–7 loyalty scale (a coefficient of 0.5 is half a point higher).",
            "regression_log_odds": "Logit models: coefficients in log-odds, not in points on the scale (positive means a higher chance of higher loyalty or of recommending).",
            "scorecard": "Each dot is the organisation with its 95% interval; the line is the median of all organisations, the grey band runs from the lowest to the highest organisation in its sector, the diamond is the sector's median.",
        },
        "sentences": {
            "sector_spread": "The median organisation answers {median} of messages; by sector the median runs from {low} ({low_sector}) to {high} ({high_sector}). The best organisation, {best} ({best_sector}), answers {best_value}.",
            "sector_one": "All organisations belong to one sector ({sector}): the median organisation answers {median} of messages, the best, {best}, {best_value}.",
            "platform_higher": "Messages on {higher} are answered more often than on {lower}: {higher_rate} against {lower_rate}; of the {n} organisations on both platforms, {k} answer more often on {higher}.",
            "platform_equal": "Messages on {higher} and {lower} are answered equally often ({higher_rate} and {lower_rate}).",
            "type_mix_complaints": "Complaints are what consumers send most often: {share} of incoming messages is a complaint, {question} a question and {compliment} a compliment.",
            "type_mix_other": "Complaints are not what consumers send most often: {top_share} of incoming messages is a {top}, {share} a complaint.",
            "hours_less": "{share} of incoming messages arrive outside webcare hours; they are answered less often ({outside} against {inside} inside the hours). {answers} of answers are given outside the hours.",
            "hours_more": "{share} of incoming messages arrive outside webcare hours; they are not answered less often ({outside} against {inside} inside the hours): {answers} of answers are given outside the hours.",
            "scorecard_above": "{name} answers {rate} of messages, more than the median organisation ({median})",
            "scorecard_below": "{name} answers {rate} of messages, fewer than the median organisation ({median})",
            "scorecard_equal": "{name} answers {rate} of messages, as many as the median organisation",
            "scorecard_sector_above": " and more than the median of the {sector} sector ({sector_median}).",
            "scorecard_sector_below": " and fewer than the median of the {sector} sector ({sector_median}).",
            "scorecard_sector_equal": "; in the {sector} sector that is the median.",
            "scorecard_sector_alone": "; it is the only organisation in the {sector} sector.",
            "scorecard_time_faster": "Its median response time ({time}) is shorter than the median organisation's ({median}).",
            "scorecard_time_slower": "Its median response time ({time}) is longer than the median organisation's ({median}).",
            "scorecard_time_equal": "Its median response time ({time}) is the median organisation's.",
        },
        "benchmarks_heading": "Benchmarks",
        "scorecard_heading": "Scorecard",
        "scorecard_rank": "Rank {rank} (95% interval {lower}–{upper}) of {n}; engagement index {index}.",
        "scorecard_axis_share": "per cent",
        "scorecard_axis_time": "minutes (webcare hours)",
        "scorecard_median": "median of all organisations",
        "scorecard_sector": "sector: lowest–highest, median",
        "count_columns": ["", "messages"],
        "count_rows": {
            "broadcasts": "organisations' broadcasts",
            "replies": "+ organisations' replies",
            "incoming_messages": "+ consumers' incoming messages",
            "retweets": "+ retweets",
            "other_consumer_messages": "+ other consumer messages (addressed to no organisation)",
            "kept": "= messages kept",
            "incoming_pairs": "incoming messages per organisation (a message to two organisations counts twice)",
            "censored_pairs": "− censored (in the period's last answer window)",
            "incoming_measured": "= incoming messages in this report's figures",
        },
        "count_caption": "How the counts add up: every kept message is exactly one of these kinds. This report's figures count an incoming message once per organisation it addresses, without the censored ones (last rows).",
    },
}
for _language, _entries in BENCHMARK_TEXT.items():
    TEXT[_language]["benchmarks"] = _entries


# The workbook's column headers in words (with their units) and what each column holds,
# per language; a column ending in _lower / _upper takes its base column's words and the
# interval's bound (``column_words``).
COLUMN_TEXT = {
    "nl": {
        "sheet": "kolommen",
        "sheet_headers": ["blad", "kolom (code)", "kop", "betekenis"],
        "lower": "{header}, ondergrens 95%-interval",
        "upper": "{header}, bovengrens 95%-interval",
        "bound": "De {bound} van het 95%-interval van: {description}",
        "bounds": {"lower": "ondergrens", "upper": "bovengrens"},
        "columns": {
            "": ("term", "De term van het model; de rij eronder: standaardfout."),
            "org_id": (
                "organisatie (code)",
                "De code van de organisatie; all = alle organisaties samen.",
            ),
            "name": ("organisatie", "De naam van de organisatie."),
            "organisation": ("organisatie", "De naam van de organisatie."),
            "platform": ("platform", "Twitter, Facebook of all (alle platforms samen)."),
            "period": ("periode", "Maand (JJJJ-MM) of edition (de hele periode)."),
            "indicator": (
                "indicator (code)",
                "Welke indicator; zie de verantwoording voor de definities.",
            ),
            "estimate": (
                "schatting (aandeel 0–1, seconden of aantal)",
                "De waarde van de indicator: een aandeel tussen 0 en 1, een tijd in seconden of een aantal.",
            ),
            "lower": (
                "ondergrens 95%-interval (eenheid van de schatting)",
                "Ondergrens van het 95%-bootstrapinterval.",
            ),
            "upper": (
                "bovengrens 95%-interval (eenheid van de schatting)",
                "Bovengrens van het 95%-bootstrapinterval.",
            ),
            "n": ("berichten (aantal)", "Het aantal berichten waarop de indicator berust."),
            "rank": ("plaats", "Plaats in de ranglijst naar engagementindex (1 = hoogste)."),
            "rank_lower": (
                "plaats, beste in 95%-interval",
                "De beste plaats in het 95%-interval van de plaats.",
            ),
            "rank_upper": (
                "plaats, slechtste in 95%-interval",
                "De slechtste plaats in het 95%-interval van de plaats.",
            ),
            "index": (
                "engagementindex (standaarddeviaties)",
                "Gewogen gemiddelde van de gestandaardiseerde componenten; 0 = gemiddelde organisatie.",
            ),
            "response_rate": (
                "reactiepercentage (aandeel 0–1)",
                "Aandeel inkomende berichten met een reactie binnen de antwoordtermijn; in de index- en bijdragebladen: de gestandaardiseerde component.",
            ),
            "response_speed": (
                "reactiesnelheid (component)",
                "Min de logaritme van de mediane reactietijd binnen webcare-uren plus een minuut.",
            ),
            "dialogue_share": (
                "dialoogaandeel (aandeel 0–1)",
                "Aandeel reacties in wat de organisatie plaatst.",
            ),
            "engagement": (
                "engagement per bericht (component)",
                "Logaritme van de mediane likes, shares en reacties per zendbericht per 1.000 volgers.",
            ),
            "type": (
                "berichttype",
                "klacht (complaint), vraag (question), compliment of overig (other).",
            ),
            "precision": (
                "precisie (0–1)",
                "Aandeel juiste voorspellingen onder de berichten voorspeld als dit type.",
            ),
            "recall": (
                "recall (0–1)",
                "Aandeel van de berichten van dit type dat als dit type is voorspeld.",
            ),
            "f1": ("F1 (0–1)", "Harmonisch gemiddelde van precisie en recall."),
            "support": (
                "gecodeerde berichten (aantal)",
                "Aantal gecodeerde berichten van dit type.",
            ),
            "count": ("soort (code)", "Welke soort berichten."),
            "messages": ("berichten (aantal)", "Aantal berichten."),
            "source": ("bron", "Het platform of de bron van het bestand."),
            "source_file": ("bestand", "Het ingelezen bestand."),
            "source_format": ("formaat", "Het formaat van het bestand."),
            "read": ("gelezen (aantal records)", "Aantal gelezen records."),
            "kept": ("bewaard (aantal records)", "Aantal bewaarde berichten."),
            "duplicates": ("dubbel (aantal records)", "Aantal weggelaten dubbele records."),
            "quarantined": (
                "apart gezet (aantal records)",
                "Aantal onleesbare records, apart gezet in de privémap.",
            ),
            "out_of_period": (
                "buiten de periode (aantal records)",
                "Aantal records buiten de periode, weggelaten.",
            ),
            "texts_cleaned": (
                "teksten opgeschoond (aantal)",
                "Teksten waaruit stuurtekens zijn verwijderd.",
            ),
            "texts_cut": ("teksten ingekort (aantal)", "Teksten ingekort tot de maximale lengte."),
            "empty": ("leeg bestand (ja/nee)", "Of het bestand leeg was."),
            "first_bad": ("eerste slechte record", "Het eerste onleesbare record, als er een was."),
            "notes": ("opmerkingen", "Opmerkingen bij het inlezen."),
            "file": ("bestand", "Het invoerbestand."),
            "sha256": ("SHA-256-controlegetal", "Het SHA-256-controlegetal van het bestand."),
            "incoming": (
                "inkomende berichten (aantal)",
                "Inkomende berichten, gecensureerde niet meegeteld (profielen: alle).",
            ),
            "outside_hours": (
                "buiten webcare-uren binnengekomen (aantal)",
                "Inkomende berichten die buiten de webcare-uren binnenkwamen.",
            ),
            "closed_days": (
                "op gesloten dagen binnengekomen (aantal)",
                "Inkomende berichten op een dag zonder webcare-uren.",
            ),
            "share_outside_hours": (
                "aandeel buiten webcare-uren (0–1)",
                "Aandeel inkomende berichten dat buiten de webcare-uren binnenkwam.",
            ),
            "response_rate_inside": (
                "reactiepercentage binnen uren (0–1)",
                "Reactiepercentage van berichten die binnen de webcare-uren binnenkwamen.",
            ),
            "response_rate_outside": (
                "reactiepercentage buiten uren (0–1)",
                "Reactiepercentage van berichten die buiten de webcare-uren binnenkwamen.",
            ),
            "response_rate_closed_days": (
                "reactiepercentage gesloten dagen (0–1)",
                "Reactiepercentage van berichten op dagen zonder webcare-uren.",
            ),
            "answered": ("beantwoord (aantal)", "Inkomende berichten met een reactie."),
            "answered_outside_hours": (
                "buiten uren beantwoord (aantal)",
                "Reacties gegeven buiten de webcare-uren.",
            ),
            "share_answers_outside_hours": (
                "aandeel antwoorden buiten uren (0–1)",
                "Aandeel van de reacties dat buiten de webcare-uren is gegeven.",
            ),
            "pairs": (
                "respondent × organisatie (aantal paren)",
                "Aantal paren van een respondent en een organisatie die hij kent.",
            ),
            "share_follows_twitter": (
                "volgt op Twitter (aandeel 0–1)",
                "Aandeel paren waarin de respondent de organisatie op Twitter volgt.",
            ),
            "share_follows_facebook": (
                "volgt op Facebook (aandeel 0–1)",
                "Aandeel paren waarin de respondent de organisatie op Facebook volgt.",
            ),
            "share_follows": (
                "volgt (aandeel 0–1)",
                "Aandeel paren waarin de respondent de organisatie volgt.",
            ),
            "loyalty_followers": (
                "loyaliteit volgers (1–7)",
                "Gemiddelde loyaliteit van volgers, ongewogen.",
            ),
            "loyalty_non_followers": (
                "loyaliteit niet-volgers (1–7)",
                "Gemiddelde loyaliteit van niet-volgers, ongewogen.",
            ),
            "loyalty_followers_weighted": (
                "loyaliteit volgers, gewogen (1–7)",
                "Gemiddelde loyaliteit van volgers, gewogen met het steekproefgewicht.",
            ),
            "loyalty_non_followers_weighted": (
                "loyaliteit niet-volgers, gewogen (1–7)",
                "Gemiddelde loyaliteit van niet-volgers, gewogen met het steekproefgewicht.",
            ),
            "n_followers": (
                "volgers in het panel (aantal paren)",
                "Aantal paren waarin de respondent volgt.",
            ),
            "n_non_followers": (
                "niet-volgers in het panel (aantal paren)",
                "Aantal paren waarin de respondent niet volgt.",
            ),
            "organisations_both": (
                "organisaties op beide platforms (aantal)",
                "Organisaties met een waarde op elk platform.",
            ),
            "organisations_ahead": (
                "organisaties beter op dit platform (aantal)",
                "Van die organisaties: hoeveel beter scoren op dit platform dan op de andere.",
            ),
            "n_incoming": (
                "inkomende berichten (aantal)",
                "Inkomende berichten van dit type (voorspeld).",
            ),
            "n_predicted": ("voorspeld (aantal)", "Berichten voorspeld als dit type."),
            "n_coded": ("gecodeerd (aantal)", "Gecodeerde berichten van dit type."),
            "raw_rate": ("reactiepercentage ruw (0–1)", "Reactiepercentage naar voorspeld type."),
            "corrected_n": ("gecorrigeerd aantal", "Geschat aantal berichten van dit ware type."),
            "corrected_rate": (
                "reactiepercentage gecorrigeerd (0–1)",
                "Reactiepercentage gecorrigeerd voor classificatiefouten.",
            ),
            "basis": ("basis van de correctie", "Waarop de correctie berust."),
            "sector": ("sector", "De sector; all = alle organisaties."),
            "organisations": ("organisaties (aantal)", "Organisaties met een waarde."),
            "median": ("mediaan (eenheid van de indicator)", "De mediaan over de organisaties."),
            "best": (
                "beste (eenheid van de indicator)",
                "De beste organisatie (hoogste waarde; reactietijd: laagste).",
            ),
            "best_org_id": ("beste organisatie (code)", "Welke organisatie de beste is."),
            "share": ("aandeel (0–1)", "Aandeel van de inkomende berichten van de sector."),
            "sector_low": (
                "laagste in de sector",
                "De laagste organisatie in de sector van de organisatie.",
            ),
            "sector_median": (
                "mediaan van de sector",
                "De mediaan van de organisaties in haar sector.",
            ),
            "sector_high": (
                "hoogste in de sector",
                "De hoogste organisatie in de sector van de organisatie.",
            ),
            "sector_organisations": (
                "organisaties in de sector (aantal)",
                "Organisaties in de sector met een waarde.",
            ),
            "response rate": ("reactiepercentage", "Reactiepercentage met 95%-interval."),
            "complaints": ("reactie op klachten", "Reactiepercentage op klachten."),
            "compliments": ("reactie op complimenten", "Reactiepercentage op complimenten."),
            "median time (webcare)": (
                "mediane reactietijd (webcare-uren)",
                "Mediane reactietijd binnen webcare-uren.",
            ),
            "dialogue share": (
                "aandeel reacties (dialoog)",
                "Aandeel reacties in wat de organisatie plaatst.",
            ),
            "follows": (
                "volgt (panel)",
                "Aandeel paren waarin de respondent de organisatie volgt.",
            ),
            "loyalty gap": (
                "loyaliteitsverschil (punten 1–7)",
                "Loyaliteit van volgers min die van niet-volgers, gewogen.",
            ),
        },
    },
    "en": {
        "sheet": "columns",
        "sheet_headers": ["sheet", "column (code)", "header", "meaning"],
        "lower": "{header}, lower bound of 95% interval",
        "upper": "{header}, upper bound of 95% interval",
        "bound": "The {bound} of the 95% interval of: {description}",
        "bounds": {"lower": "lower bound", "upper": "upper bound"},
        "columns": {
            "": ("term", "The model's term; the row below: standard error."),
            "org_id": (
                "organisation (code)",
                "The organisation's code; all = all organisations together.",
            ),
            "name": ("organisation", "The organisation's name."),
            "organisation": ("organisation", "The organisation's name."),
            "platform": ("platform", "Twitter, Facebook or all (all platforms together)."),
            "period": ("period", "Month (YYYY-MM) or edition (the whole period)."),
            "indicator": (
                "indicator (code)",
                "Which indicator; see the methods for the definitions.",
            ),
            "estimate": (
                "estimate (share 0–1, seconds or count)",
                "The indicator's value: a share between 0 and 1, a time in seconds or a count.",
            ),
            "lower": (
                "lower bound of 95% interval (unit of the estimate)",
                "Lower bound of the 95% bootstrap interval.",
            ),
            "upper": (
                "upper bound of 95% interval (unit of the estimate)",
                "Upper bound of the 95% bootstrap interval.",
            ),
            "n": ("messages (count)", "The number of messages the indicator rests on."),
            "rank": ("rank", "Rank by engagement index (1 = highest)."),
            "rank_lower": (
                "rank, best in 95% interval",
                "The best rank in the rank's 95% interval.",
            ),
            "rank_upper": (
                "rank, worst in 95% interval",
                "The worst rank in the rank's 95% interval.",
            ),
            "index": (
                "engagement index (standard deviations)",
                "Weighted mean of the standardised components; 0 = the average organisation.",
            ),
            "response_rate": (
                "response rate (share 0–1)",
                "Share of incoming messages answered within the answer window; in the index and contribution sheets: the standardised component.",
            ),
            "response_speed": (
                "response speed (component)",
                "Minus the logarithm of the median response time in webcare hours plus one minute.",
            ),
            "dialogue_share": (
                "dialogue share (share 0–1)",
                "Share of replies in what the organisation posts.",
            ),
            "engagement": (
                "engagement per post (component)",
                "Logarithm of the median likes, shares and replies per broadcast per 1,000 followers.",
            ),
            "type": ("message type", "complaint, question, compliment or other."),
            "precision": (
                "precision (0–1)",
                "Share of correct predictions among messages predicted as this type.",
            ),
            "recall": (
                "recall (0–1)",
                "Share of the messages of this type predicted as this type.",
            ),
            "f1": ("F1 (0–1)", "Harmonic mean of precision and recall."),
            "support": ("coded messages (count)", "Number of coded messages of this type."),
            "count": ("kind (code)", "Which kind of messages."),
            "messages": ("messages (count)", "Number of messages."),
            "source": ("source", "The file's platform or source."),
            "source_file": ("file", "The file read."),
            "source_format": ("format", "The file's format."),
            "read": ("read (records)", "Number of records read."),
            "kept": ("kept (records)", "Number of messages kept."),
            "duplicates": ("duplicates (records)", "Number of duplicate records left out."),
            "quarantined": (
                "quarantined (records)",
                "Number of unreadable records, set aside in the private folder.",
            ),
            "out_of_period": (
                "outside the period (records)",
                "Number of records outside the period, left out.",
            ),
            "texts_cleaned": ("texts cleaned (count)", "Texts with control characters removed."),
            "texts_cut": ("texts cut (count)", "Texts cut to the maximum length."),
            "empty": ("empty file (yes/no)", "Whether the file was empty."),
            "first_bad": ("first bad record", "The first unreadable record, if any."),
            "notes": ("notes", "Notes from reading the file."),
            "file": ("file", "The input file."),
            "sha256": ("SHA-256 checksum", "The file's SHA-256 checksum."),
            "incoming": (
                "incoming messages (count)",
                "Incoming messages, censored ones left out (profiles: all).",
            ),
            "outside_hours": (
                "arrived outside webcare hours (count)",
                "Incoming messages that arrived outside webcare hours.",
            ),
            "closed_days": (
                "arrived on closed days (count)",
                "Incoming messages on a day without webcare hours.",
            ),
            "share_outside_hours": (
                "share outside webcare hours (0–1)",
                "Share of incoming messages that arrived outside webcare hours.",
            ),
            "response_rate_inside": (
                "response rate inside hours (0–1)",
                "Response rate of messages that arrived inside webcare hours.",
            ),
            "response_rate_outside": (
                "response rate outside hours (0–1)",
                "Response rate of messages that arrived outside webcare hours.",
            ),
            "response_rate_closed_days": (
                "response rate on closed days (0–1)",
                "Response rate of messages on days without webcare hours.",
            ),
            "answered": ("answered (count)", "Incoming messages with a response."),
            "answered_outside_hours": (
                "answered outside hours (count)",
                "Responses given outside webcare hours.",
            ),
            "share_answers_outside_hours": (
                "share of answers outside hours (0–1)",
                "Share of responses given outside webcare hours.",
            ),
            "pairs": (
                "respondent × organisation (pairs)",
                "Number of pairs of a respondent and an organisation they know.",
            ),
            "share_follows_twitter": (
                "follows on Twitter (share 0–1)",
                "Share of pairs in which the respondent follows the organisation on Twitter.",
            ),
            "share_follows_facebook": (
                "follows on Facebook (share 0–1)",
                "Share of pairs in which the respondent follows the organisation on Facebook.",
            ),
            "share_follows": (
                "follows (share 0–1)",
                "Share of pairs in which the respondent follows the organisation.",
            ),
            "loyalty_followers": (
                "loyalty of followers (1–7)",
                "Mean loyalty of followers, unweighted.",
            ),
            "loyalty_non_followers": (
                "loyalty of non-followers (1–7)",
                "Mean loyalty of non-followers, unweighted.",
            ),
            "loyalty_followers_weighted": (
                "loyalty of followers, weighted (1–7)",
                "Mean loyalty of followers, weighted by the sample weight.",
            ),
            "loyalty_non_followers_weighted": (
                "loyalty of non-followers, weighted (1–7)",
                "Mean loyalty of non-followers, weighted by the sample weight.",
            ),
            "n_followers": (
                "followers in the panel (pairs)",
                "Number of pairs in which the respondent follows.",
            ),
            "n_non_followers": (
                "non-followers in the panel (pairs)",
                "Number of pairs in which the respondent does not follow.",
            ),
            "organisations_both": (
                "organisations on both platforms (count)",
                "Organisations with a value on every platform.",
            ),
            "organisations_ahead": (
                "organisations better on this platform (count)",
                "Of those organisations: how many score better on this platform than on the others.",
            ),
            "n_incoming": (
                "incoming messages (count)",
                "Incoming messages of this (predicted) type.",
            ),
            "n_predicted": ("predicted (count)", "Messages predicted as this type."),
            "n_coded": ("coded (count)", "Coded messages of this type."),
            "raw_rate": ("response rate, raw (0–1)", "Response rate by predicted type."),
            "corrected_n": ("corrected count", "Estimated number of messages of this true type."),
            "corrected_rate": (
                "response rate, corrected (0–1)",
                "Response rate corrected for classification errors.",
            ),
            "basis": ("basis of the correction", "What the correction rests on."),
            "sector": ("sector", "The sector; all = all organisations."),
            "organisations": ("organisations (count)", "Organisations with a value."),
            "median": ("median (unit of the indicator)", "The median over the organisations."),
            "best": (
                "best (unit of the indicator)",
                "The best organisation (highest value; response time: lowest).",
            ),
            "best_org_id": ("best organisation (code)", "Which organisation is best."),
            "share": ("share (0–1)", "Share of the sector's incoming messages."),
            "sector_low": (
                "lowest in the sector",
                "The lowest organisation in the organisation's sector.",
            ),
            "sector_median": (
                "median of the sector",
                "The median of the organisations in its sector.",
            ),
            "sector_high": (
                "highest in the sector",
                "The highest organisation in the organisation's sector.",
            ),
            "sector_organisations": (
                "organisations in the sector (count)",
                "Organisations in the sector with a value.",
            ),
            "response rate": ("response rate", "Response rate with 95% interval."),
            "complaints": ("response to complaints", "Response rate to complaints."),
            "compliments": ("response to compliments", "Response rate to compliments."),
            "median time (webcare)": (
                "median response time (webcare hours)",
                "Median response time in webcare hours.",
            ),
            "dialogue share": (
                "share of replies (dialogue)",
                "Share of replies in what the organisation posts.",
            ),
            "follows": (
                "follows (panel)",
                "Share of pairs in which the respondent follows the organisation.",
            ),
            "loyalty gap": (
                "loyalty gap (points 1–7)",
                "Loyalty of followers minus that of non-followers, weighted.",
            ),
        },
    },
}
for _language, _entries in COLUMN_TEXT.items():
    TEXT[_language]["workbook_columns"] = _entries
for _language in TEXT:
    TEXT[_language]["language"] = _language  # the figures format their numbers by it


def column_words(column: str, language: str, models: bool = True) -> tuple[str, str]:
    """A workbook column's header in words (with its unit) and its meaning; ``x_lower`` and
    ``x_upper`` take ``x``'s words and the interval's bound; a model's name (regression
    sheet) its short name; anything else its code with spaces."""
    c = TEXT[language]["workbook_columns"]
    known = c["columns"]
    if column in known:
        return known[column]
    for bound in ("lower", "upper"):
        base = column.removesuffix(f"_{bound}")
        base = base if base in known else f"{base}_rate"
        if column.endswith(f"_{bound}") and base in known:
            header, description = known[base]
            return (
                c[bound].format(header=header),
                c["bound"].format(bound=c["bounds"][bound], description=description),
            )
    if models and column in TEXT[language]["models_short"]:
        name = TEXT[language]["models_short"][column]
        return name, TEXT[language]["models"].get(column, name)
    text = column.replace("_", " ")
    return text, text
