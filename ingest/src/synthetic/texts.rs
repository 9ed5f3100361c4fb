//! The Dutch text banks: sentence templates per topic and per kind of item, the fillers for their
//! slots, and the composition of an item's text (one to three sentences).
//!
//! Templates hold slots such as `{tekort}` or `{plan}`; [`slot`] lists the fillers for each, so
//! one template yields many wordings ("docententekort", "lerarentekort", "tekort aan technisch
//! docenten"). Fillers may hold slots themselves. The texts read like the notes a programme
//! manager makes: questions, advice, signals, short evaluations, not always full sentences.
//! The emerging topic (pupil transport) avoids the taxonomy's vocabulary on purpose, so that it
//! ends up among the unmatched items that candidate-theme clustering looks at.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::trends::Topic;
use crate::record::ItemKind;

/// The templates of one topic.
#[derive(Debug)]
pub(super) struct Bank {
    pub casus: &'static [&'static str],
    pub advies: &'static [&'static str],
    pub signaal: &'static [&'static str],
    pub evaluatie: &'static [&'static str],
    /// Kind-neutral follow-up sentences that add context.
    pub detail: &'static [&'static str],
}

impl Bank {
    pub(super) fn for_kind(&self, kind: ItemKind) -> &'static [&'static str] {
        match kind {
            ItemKind::Casus => self.casus,
            ItemKind::Advies => self.advies,
            ItemKind::Signaal => self.signaal,
            ItemKind::Evaluatie => self.evaluatie,
        }
    }

    #[cfg(test)]
    pub(super) fn all(&self) -> impl Iterator<Item = &'static str> + use<> {
        let parts: [&'static [&'static str]; 5] = [
            self.casus,
            self.advies,
            self.signaal,
            self.evaluatie,
            self.detail,
        ];
        parts.into_iter().flatten().copied()
    }
}

/// The bank for a topic; `None` is the general, off-topic bank.
pub(super) fn bank(topic: Option<Topic>) -> &'static Bank {
    match topic {
        None => &GENERAL,
        Some(Topic::Corona) => &CORONA,
        Some(Topic::DocentWerkdruk) => &DOCENT_WERKDRUK,
        Some(Topic::PlanActualisatie) => &PLAN_ACTUALISATIE,
        Some(Topic::Eigenaarschap) => &EIGENAARSCHAP,
        Some(Topic::Schoolleiders) => &SCHOOLLEIDERS,
        Some(Topic::Bedrijfsleven) => &BEDRIJFSLEVEN,
        Some(Topic::Wetgeving) => &WETGEVING,
        Some(Topic::Professionalisering) => &PROFESSIONALISERING,
        Some(Topic::Leerlijnen) => &LEERLIJNEN,
        Some(Topic::Faciliteiten) => &FACILITEITEN,
        Some(Topic::Samenwerking) => &SAMENWERKING,
        Some(Topic::Leerlingenvervoer) => &LEERLINGENVERVOER,
    }
}

static CORONA: Bank = Bank {
    casus: &[
        "Hoe houd je de techniekprojecten gaande nu {maatregel} alles op de kop zet?",
        "Sinds {maatregel} gaat alles {online}. Hoe geef je praktijkles als de leerlingen thuis zitten?",
        "Veel activiteiten zijn door {corona} uitgesteld of afgelast; hoe halen we die achterstand in?",
        "De open dagen en doe-middagen gingen niet door vanwege {corona}. Wat doen andere regio's in plaats daarvan?",
        "Hoe organiseer je een techniekdag als de regels rond {corona} elke paar weken veranderen?",
        "Leerlingen lopen door het thuisonderwijs achterstand op in de praktijkvakken. Hoe vangen we dat op?",
        "Wij twijfelen of de netwerkbijeenkomst fysiek door kan gaan, gezien de besmettingscijfers.",
        "Door quarantaine van leerlingen en collega's valt de planning van de praktijkweken steeds om. Hoe ga je daarmee om?",
        "Hoe blijf je zichtbaar bij {scholen} nu elk overleg via Teams gaat en iedereen beeldschermmoe is?",
        "Na {maatregel} komt alles tegelijk weer op gang; hoe kies je wat voorrang krijgt?",
    ],
    advies: &[
        "Maak van de uitgestelde activiteiten een inhaalplan met een realistische planning voor na {corona}.",
        "Zet korte filmpjes in van praktijkopdrachten, zodat leerlingen thuis toch iets kunnen maken.",
        "Houd contact met {scholen} via korte online check-ins in plaats van lange vergaderingen.",
        "Werk met kleine groepen op locatie, in vaste bubbels en met gespreide pauzes.",
        "Bereid de techniekdag in twee varianten voor: fysiek als het kan, {online} als het moet.",
        "Gebruik de NPO-gelden om extra praktijkuren in te halen.",
        "Niet alles hoeft ingehaald te worden; kies samen met {scholen} wat na de lockdown echt voorrang heeft.",
        "Een digitale beroepenmarkt bereikte bij ons meer leerlingen dan de fysieke versie ooit deed.",
        "Stuur thuispakketten met materiaal, dan zijn leerlingen tijdens {maatregel} toch met hun handen bezig.",
    ],
    signaal: &[
        "Door {corona} loopt de uitvoering in bijna alle regio's vertraging op.",
        "Praktijkonderwijs op afstand werkt nauwelijks; leerlingen missen vaardigheden door {maatregel}.",
        "Scholen hebben door de coronacrisis geen ruimte voor iets extra's: alles staat in het teken van het overeind houden van de lessen.",
        "Meerdere regio's melden dat stages en excursies massaal zijn afgezegd vanwege {maatregel}.",
        "Leerlingen zijn na maanden thuisonderwijs minder gemotiveerd en de achterstand in de praktijkvakken is groot.",
        "Uitgestelde activiteiten stapelen zich op; zonder verlenging lukt het niet om alles na {corona} in te halen.",
        "Onduidelijk of vertraging door {corona} gevolgen heeft voor de toegekende middelen; graag landelijke duidelijkheid.",
        "De pandemie zorgt ervoor dat netwerken alleen nog online bestaan en spontane contacten wegvallen.",
        "Het ziekteverzuim door covid is hoog; activiteiten vallen op het laatste moment uit.",
    ],
    evaluatie: &[
        "Vanwege {corona} online bijeengekomen; ging prima, al misten we het informele deel.",
        "De casus over het inhalen van de coronavertraging was voor iedereen herkenbaar.",
        "Fijn om te horen hoe anderen door de lockdown heen komen.",
    ],
    detail: &[
        "Het lesgeven verandert steeds van vorm: fysiek, online, hybride en weer terug.",
        "Alles wat voor het voorjaar gepland stond, is voorlopig geschrapt.",
        "Voorlopig gaat niets fysiek door tot na de {vakantie}.",
        "Gastlessen en excursies liggen stil zolang {maatregel} geldt.",
        "Het is onzeker wanneer {scholen} weer volledig open kunnen.",
        "Een deel van de leerlingen is thuis slecht bereikbaar.",
        "Afstandsonderwijs vraagt veel improvisatie van iedereen.",
        "Ook de geplande techniekweek schuift naar het najaar.",
    ],
};

static DOCENT_WERKDRUK: Bank = Bank {
    casus: &[
        "Hoe krijg je {docenten} mee in nieuwe activiteiten als ze nu al overvraagd zijn?",
        "Het {tekort} maakt dat techniekuren door onbevoegden worden gegeven. Wat kan ik als programmamanager doen?",
        "{druk} is zo hoog dat docenten afhaken bij de projecten. Hoe houd ik ze betrokken?",
        "Docenten geven aan dat ze naast het lesgeven geen tijd hebben voor het programma. Hoe maak je ruimte in de formatie?",
        "Wij krijgen vacatures voor docenten {profiel} niet vervuld. Hoe gaan andere regio's om met het {tekort}?",
        "Hoe voorkom je dat steeds dezelfde enthousiaste docenten alles oppakken en uitvallen?",
        "Twee docenten zijn langdurig uitgevallen en de rest draait extra uren. Hoe ga ik daarmee om in de planning?",
        "Hoe zet je zij-instromers in zonder dat de begeleiding de werkdruk van het vaste team verder verhoogt?",
        "Het is voor de docenten erg druk; hoe zorg je dat het programma niet als extra last voelt?",
        "Welke taken kunnen we bij docenten weghalen, zodat er ruimte komt voor vernieuwing?",
    ],
    advies: &[
        "Vraag {docenten} zelf wat ze willen laten vallen; dat werkt beter dan er iets bij vragen.",
        "Zet instructeurs en onderwijsassistenten in om docenten te ontlasten.",
        "Koppel nieuwe activiteiten aan bestaande lessen in plaats van er iets naast te zetten.",
        "Maak afspraken met de school over uren in de taakbelasting voor het programma.",
        "Kijk naar gedeelde docenten tussen scholen om het {tekort} op te vangen.",
        "Zij-instromers uit de techniek kunnen helpen, mits er een goed begeleidingstraject is.",
        "Begin met één team dat wel ruimte heeft en laat de rest later aanhaken.",
        "Schrap bewust een paar activiteiten: minder doen, maar beter.",
        "Bekijk of gastdocenten uit de praktijk een deel van de lessen kunnen verzorgen.",
    ],
    signaal: &[
        "Het {tekort} in de techniek wordt steeds nijpender; sommige scholen overwegen profielen te sluiten.",
        "{druk} bij {docenten} blijft stijgen; vernieuwing komt daardoor stil te liggen.",
        "In bijna alle regio's in de groep lukt het niet om vacatures voor technisch docenten te vullen.",
        "Docenten melden zich ziek door overbelasting; de continuïteit van de lessen staat onder druk.",
        "Het programma wordt door docenten als extra werk ervaren in plaats van als ondersteuning.",
        "Het lerarentekort raakt de techniekprofielen harder dan andere vakken.",
        "Veel techniekdocenten gaan de komende jaren met pensioen en er komt te weinig aanwas.",
        "Scholen vragen om structurele ruimte in de formatie voor ontwikkeltijd.",
        "{druk} is zo hoog dat docenten nauwelijks nog deelnemen aan activiteiten buiten de les.",
    ],
    evaluatie: &[
        "Herkenbaar: iedereen worstelt met de inzet van docenten.",
        "Goed gesprek over {druk}; we nemen de tips over de taakbelasting mee.",
        "Het {tekort} speelt overal; fijn om te horen dat we niet de enige zijn.",
    ],
    detail: &[
        "Het rooster verandert telkens, waardoor het voor docenten erg druk is.",
        "Er is geen ruimte in de formatie.",
        "Vooral de kleine teams {profiel} hebben het zwaar.",
        "Vacatures staan soms maanden open.",
        "Er wordt veel gevraagd van een kleine groep docenten.",
        "Het ziekteverzuim is {periode} gestegen.",
        "Zonder extra handen gaat het niet lukken.",
        "Docenten willen wel, maar hebben de uren niet.",
    ],
};

static PLAN_ACTUALISATIE: Bank = Bank {
    casus: &[
        "Hoe pak je het {bijstellen} van {plan} aan nu de wereld en de techniek veranderd zijn?",
        "We willen {plan} {bijstellen}; hoe leg je daar verantwoording over af bij {ocw}?",
        "Een deel van {mijlpalen} is niet meer haalbaar. Hoe ga je daarmee om in {rapportage}?",
        "Hoe betrek je {scholen} bij het herschrijven van de deelplannen zonder dat het een papieren exercitie wordt?",
        "Onze begroting sluit niet meer op het oorspronkelijke plan. Wanneer moet je een wijziging melden?",
        "Vraag over {rapportage}: hoeveel detail verwacht {ocw} en wat doe je met geschrapte activiteiten?",
        "We zijn twee jaar onderweg en iedereen wil het plan wat aanpassen. Hoe houd je het overzicht?",
        "Hoe maak je de voortgang op {mijlpalen} zichtbaar zonder enorme administratieve last?",
        "De deadline voor {rapportage} nadert; hoe verzamel je op tijd de gegevens van alle scholen?",
    ],
    advies: &[
        "Maak per deelplan een kort overzicht: wat blijft, wat vervalt, wat komt erbij.",
        "Leg wijzigingen vroeg voor aan {ocw}; dat voorkomt verrassingen bij {rapportage}.",
        "Gebruik één vast sjabloon voor de voortgang per school, dan is de rapportage zo gemaakt.",
        "Formuleer {mijlpalen} opnieuw in termen van resultaat in plaats van activiteit.",
        "Plan een schrijfsessie met de trekkers van de deelplannen.",
        "Houd een wijzigingslog bij, dan kun je bij de verantwoording precies laten zien wat er is bijgesteld en waarom.",
        "Vraag bij {ocw} na welke ruimte er is om middelen tussen jaren te schuiven.",
        "Neem de actualisatie mee in de jaarplanning, niet als los project.",
        "Bespreek de bijgestelde mijlpalen eerst met de penvoerder voordat je ze indient.",
    ],
    signaal: &[
        "Veel regio's moeten {plan} {bijstellen}; er is behoefte aan landelijke richtlijnen voor wijzigingen.",
        "Onduidelijkheid over wat wel en niet als planwijziging gemeld moet worden bij {ocw}.",
        "De termijn voor {rapportage} valt samen met de drukste periode op scholen.",
        "Regio's ervaren de verantwoording aan OCW als zwaar in verhouding tot de middelen.",
        "De oorspronkelijke mijlpalen sluiten niet meer aan bij de werkelijkheid.",
        "Behoefte aan een landelijk voorbeeld van een geactualiseerd regioplan.",
        "Wijzigingen in de deelplannen worden laat goedgekeurd, waardoor de uitvoering stilligt.",
        "De monitor vraagt andere indicatoren dan in het plan staan; dat geeft dubbel werk.",
    ],
    evaluatie: &[
        "Nuttig om te zien hoe anderen hun plan hebben bijgesteld.",
        "De tips over de voortgangsrapportage nemen we direct mee.",
        "Goed gesprek over {mijlpalen} en wat realistisch is.",
    ],
    detail: &[
        "De deadline voor de rapportage is over een paar weken.",
        "Sommige deelplannen liggen ver achter op schema.",
        "Ondertussen verandert de wereld en de techniek.",
        "Er is een nieuwe penvoerder, die het plan opnieuw wil bekijken.",
        "Het gaat vooral om het verschuiven van budget tussen de deelplannen.",
        "{ocw} heeft om een toelichting gevraagd.",
        "De mijlpalen voor dit jaar zijn maar deels gehaald.",
        "Het plan is geschreven in een heel andere tijd.",
    ],
};

static EIGENAARSCHAP: Bank = Bank {
    casus: &[
        "Hoe maak ik {scholen} meer eigenaar van het programma?",
        "Sinds ik alles naar me toe trek, leunen {scholen} achterover. Hoe draai ik dat terug?",
        "Wat gebeurt er met de activiteiten als {structureel}? Hoe borgen we dat de scholen het oppakken?",
        "Eigenaarschap bij de scholen is laag; ze zien het als een project van de regio, niet van henzelf.",
        "Hoe verdeel je de trekkersrol over de scholen zonder dat het stilvalt?",
        "Scholen doen mee zolang er geld is. Hoe zorg je voor {eigenaar} op de lange termijn?",
        "Alles komt bij mij terecht: 'de programmamanager regelt het wel'. Hoe doorbreek ik dat?",
        "Hoe zorg je dat de activiteiten verankerd raken in de school, in plaats van afhankelijk van mij?",
        "Eén school trekt hard, de anderen volgen nauwelijks. Hoe creëer je {eigenaar} bij alle scholen?",
    ],
    advies: &[
        "Geef per activiteit één school de trekkersrol en laat die ook terugkoppelen.",
        "Stap bewust een stap terug; laat de scholen voelen dat het van hen is.",
        "Maak {eigenaar} bespreekbaar: wat willen de scholen zelf behouden als het programma stopt?",
        "Laat scholen zelf het budget per activiteit beheren.",
        "Zet de successen van de scholen zelf in de etalage, niet die van het programma.",
        "Werk toe naar een borgingsplan waarin staat wie wat overneemt.",
        "Vraag scholen om een eigen bijdrage; dat vergroot de betrokkenheid.",
        "Start bij de docenten die energie hebben; draagvlak groeit van onderop.",
        "Bespreek de overdracht ruim voor het einde van de looptijd.",
    ],
    signaal: &[
        "In meerdere regio's leunen scholen achterover en rust het programma op de programmamanager.",
        "Borging na afloop van de projectfinanciering is onzeker; {eigenaar} bij scholen is nog beperkt.",
        "Scholen zien het programma als iets van buitenaf, niet als hun eigen onderwijsontwikkeling.",
        "Het risico is groot dat activiteiten stoppen zodra {structureel}.",
        "Het draagvlak bij scholen verschilt sterk per regio en per school.",
        "Eigenaarschap blijft een terugkerend punt in alle groepen.",
        "Er is weinig zicht op wie het overneemt als de rol van de programmamanager stopt.",
        "Scholen verwachten dat de regio blijft trekken, ook na de subsidieperiode.",
    ],
    evaluatie: &[
        "Herkenbare casus over {eigenaar}; iedereen loopt hier tegenaan.",
        "Goede vragen gekregen over mijn eigen rol in het achterover leunen van de scholen.",
        "Waardevol gesprek over borging en eigenaarschap.",
    ],
    detail: &[
        "Het gaat snel als ik het zelf regel, maar het is niet duurzaam.",
        "De scholen gaan wat achterover leunen.",
        "Straks moeten de scholen dit werk zelf doorzetten.",
        "Er is {eigenaar} nodig; men moet zich verantwoordelijk voelen.",
        "De betrokkenheid verschilt sterk per school.",
        "Zonder trekker op de scholen valt het stil.",
        "Het gevoel is nog te veel: het is van de regio.",
        "Eén school is duidelijk eigenaar, de rest nog niet.",
    ],
};

static SCHOOLLEIDERS: Bank = Bank {
    casus: &[
        "Hoe krijg ik {sl} echt aan tafel? Ze sturen steeds een vervanger.",
        "{sg} staat ver van de werkvloer; besluiten komen niet aan bij de docenten. Hoe overbrug je die afstand?",
        "Wat is mijn {mandaat} als programmamanager als {sl} niet achter een besluit staan?",
        "Een nieuwe directeur wil andere prioriteiten. Hoe houd je het programma op de agenda?",
        "Hoe zorg je dat besluiten van {sg} ook echt worden uitgevoerd op de scholen?",
        "Ik heb als coördinator geen formele positie richting de besturen. Hoe krijg ik toch doorzettingsmacht?",
        "{sl} zijn positief in het overleg, maar op school gebeurt er weinig. Hoe spreek je ze daarop aan?",
        "Hoe bereid je een stuurgroepvergadering voor zodat er echt besluiten vallen?",
        "Door wisselingen van bestuurders moet ik steeds opnieuw uitleggen waar het programma over gaat.",
    ],
    advies: &[
        "Plan een-op-eengesprekken met {sl} voorafgaand aan {sg}.",
        "Vraag {sg} om een expliciet mandaat op papier.",
        "Nodig een docent uit in {sg} om de afstand tot de werkvloer te verkleinen.",
        "Maak een besluitenlijst met eigenaar en datum en agendeer die elke keer.",
        "Zoek een bestuurder als ambassadeur die collega-bestuurders kan aanspreken.",
        "Neem {sl} mee naar een praktijkactiviteit, dan zien ze wat het oplevert.",
        "Koppel het programma aan de strategische doelen van de besturen.",
        "Werk met korte notities met een duidelijk besluitpunt in plaats van lange stukken.",
        "Bespreek je rol en positie bij de start expliciet met de voorzitter van {sg}.",
    ],
    signaal: &[
        "De betrokkenheid van {sl} neemt af nu het programma langer loopt.",
        "Programmamanagers hebben vaak onvoldoende {mandaat} richting de besturen.",
        "{sg} vergadert te weinig om tijdig besluiten te nemen.",
        "Wisselingen in de schoolleiding zetten de voortgang in meerdere regio's onder druk.",
        "Bestuurders nemen besluiten zonder de uitvoerders te raadplegen.",
        "De afstand tussen het bestuurlijk overleg en de werkvloer wordt groter.",
        "Schoolleiders wegen het programma af tegen andere prioriteiten, en techniek verliest.",
        "Onduidelijk wie eindverantwoordelijk is als de besturen het onderling niet eens zijn.",
    ],
    evaluatie: &[
        "Goede vragen over mijn positie richting {sg}.",
        "Herkenbaar: iedereen zoekt naar {mandaat} richting de schoolleiding.",
        "Nuttige tips om {sl} beter te betrekken.",
    ],
    detail: &[
        "De directeuren sturen vaak een vervanger.",
        "Er is {periode} een nieuwe voorzitter van de stuurgroep.",
        "Besluiten blijven hangen in het bestuurlijk overleg.",
        "De rol van de coördinator is nooit goed vastgelegd.",
        "Niet alle besturen zitten op dezelfde lijn.",
        "Op papier is iedereen akkoord, in de praktijk niet.",
        "Er is een nieuwe bestuurder die alles opnieuw wil bekijken.",
    ],
};

static BEDRIJFSLEVEN: Bank = Bank {
    casus: &[
        "Hoe houd je {bedrijven} betrokken als het eerste enthousiasme is weggezakt?",
        "{hub} draait vooral op één bedrijf. Hoe maak je het breder?",
        "Bedrijven willen wel gastlessen geven, maar niet op de momenten dat het rooster dat toelaat. Hoe los je dat op?",
        "Hoe krijg je het mkb aangehaakt? Nu doen alleen de grote bedrijven mee.",
        "Wat vragen andere regio's aan {bedrijven} in ruil voor de samenwerking?",
        "De technohub trekt weinig bezoekers uit het bedrijfsleven. Wat werkt wel?",
        "Hoe organiseer je stages voor vmbo-leerlingen bij bedrijven die vooral mbo-studenten willen?",
        "Een groot bedrijf wil sponsoren, maar stelt voorwaarden aan de lesinhoud. Hoe ga je daarmee om?",
        "Hoe zorg je dat {arbeidsmarkt} vertaald wordt naar wat leerlingen op school leren?",
    ],
    advies: &[
        "Sluit aan bij de brancheorganisaties; die hebben vaak al een netwerk van leerbedrijven.",
        "Maak het bedrijven makkelijk: één aanspreekpunt en een kant-en-klare opzet voor een gastles.",
        "Organiseer een ontbijtsessie voor ondernemers op school.",
        "Laat leerlingen een opdracht van een lokaal bedrijf uitvoeren; dat werkt beter dan een rondleiding.",
        "Gebruik {hub} als ontmoetingsplek, ook voor bijeenkomsten van ondernemers zelf.",
        "Vraag bedrijven om mee te denken over de praktijkopdrachten.",
        "Leg afspraken met bedrijven vast in een convenant, dan hangt het niet aan één persoon.",
        "Betrek de gemeente en het werkgeversservicepunt.",
        "Zet bedrijven in de spotlight op de website en sociale media; dat motiveert.",
    ],
    signaal: &[
        "Bedrijven haken af omdat ze zelf door {arbeidsmarkt} geen tijd hebben voor onderwijs.",
        "De relatie met {bedrijven} is sterk persoonsafhankelijk en valt weg bij wisselingen.",
        "Hotspots en technohubs komen in meerdere regio's moeizaam van de grond.",
        "Werkgevers vragen om andere vaardigheden dan het vmbo nu aanleert.",
        "Kleine bedrijven hebben geen capaciteit om leerlingen te begeleiden.",
        "De cofinanciering vanuit het bedrijfsleven blijft achter bij de afspraken.",
        "Bedrijven trekken leerlingen al vroeg weg met bijbaantjes, voordat ze een diploma hebben.",
        "Er is veel vraag vanuit de arbeidsmarkt, maar weinig structurele samenwerking met het onderwijs.",
    ],
    evaluatie: &[
        "Veel tips opgehaald over het betrekken van {bedrijven}.",
        "Herkenbare casus: de relatie met bedrijven is overal een aandachtspunt.",
        "Goed om te horen hoe andere regio's hun technohub laten draaien.",
    ],
    detail: &[
        "Vooral de installatiebranche heeft grote belangstelling.",
        "Het bedrijf wil wel, maar heeft weinig tijd.",
        "De contacten lopen nu via één enthousiaste ondernemer.",
        "{arbeidsmarkt} maakt dat bedrijven snel resultaat willen zien.",
        "Er zijn afspraken over gastlessen, maar nog niet over stages.",
        "De hotspot is pas net geopend.",
        "Bedrijven vinden vmbo-leerlingen vaak nog jong.",
    ],
};

static WETGEVING: Bank = Bank {
    casus: &[
        "Wat betekent {wet} voor onze plannen?",
        "Hoe bereid je {scholen} voor op {wet} als de details nog niet bekend zijn?",
        "Door {wet} moeten we de afspraken met het mbo opnieuw bekijken. Hoe pakken anderen dat aan?",
        "Mogen we volgens de subsidievoorwaarden ook personeel op projectbasis inhuren?",
        "De AVG maakt het lastig om leerlinggegevens te delen tussen school en bedrijf. Hoe lossen anderen dat op?",
        "Hoe houd je bij welke regels gelden nu er {periode} zoveel verandert?",
        "Wat betekent de nieuwe bekostiging voor de continuïteit van de techniekprofielen?",
        "Hoe interpreteer je de regeling als het gaat om uitgaven na de looptijd?",
    ],
    advies: &[
        "Vraag een juridische toets aan bij het bestuursbureau voordat je iets aanpast.",
        "Houd een overzicht bij van de wijzigingen in wet- en regelgeving en deel dat met {scholen}.",
        "Wacht niet op de definitieve tekst, maar verken alvast de scenario's.",
        "Gebruik de veelgestelde vragen van {ocw} over de regeling.",
        "Stem met de andere regio's af, dan hoeft niet iedereen zelf het wiel uit te vinden.",
        "Sluit een verwerkersovereenkomst met de bedrijven, dan is het AVG-vraagstuk opgelost.",
        "Laat de beleidsmedewerker van het bestuur meelezen met de wijzigingen.",
        "Neem de nieuwe regels op in de borgingsafspraken.",
    ],
    signaal: &[
        "Er is nieuwe wetgeving voor het beroepsonderwijs en de gevolgen voor het programma zijn onduidelijk.",
        "De subsidieregels zijn voor veel regio's moeilijk te interpreteren.",
        "Privacyregels belemmeren de samenwerking tussen school en bedrijf.",
        "Wijzigingen in de bekostiging kunnen kleine techniekafdelingen in de problemen brengen.",
        "Verschillende interpretaties van de regeling tussen regio's leiden tot ongelijkheid.",
        "Beleidswijzigingen volgen elkaar snel op; scholen raken het overzicht kwijt.",
        "De nieuwe examenprogramma's vragen aanpassingen waar nog geen middelen voor zijn.",
    ],
    evaluatie: &[
        "Nuttig om samen de nieuwe regels door te lopen.",
        "Herkenbaar: niemand weet precies wat {wet} betekent.",
        "Goed dat we elkaar helpen met de interpretatie van de regeling.",
    ],
    detail: &[
        "De details worden pas later bekend.",
        "Het bestuur heeft er nog geen standpunt over.",
        "Er verschijnen steeds nieuwe regels.",
        "Het is onduidelijk per wanneer de regels ingaan.",
        "Ook de accountant stelt er vragen over.",
        "De wetswijziging raakt vooral de kleinere scholen.",
    ],
};

static PROFESSIONALISERING: Bank = Bank {
    casus: &[
        "Hoe krijg je docenten naar {prof} als er geen vervanging is?",
        "Het scholingsaanbod sluit niet aan bij wat docenten nodig hebben. Hoe vraag je dat beter uit?",
        "Hoe maak je {netwerk} levendig, zodat docenten er ook echt iets komen halen?",
        "Docenten willen wel bijblijven in de nieuwste technieken, maar weten niet waar ze moeten beginnen.",
        "Hoe zet je de kennis van docenten die een cursus hebben gevolgd in voor de rest van het team?",
        "Wie betaalt de scholing van instructeurs als het project afloopt?",
        "Hoe organiseer je {prof} op het gebied van nieuwe technologie zoals robotica en duurzame energie?",
        "Hoe meet je of {prof} ook echt iets verandert in de les?",
        "Zij-instromers hebben veel vakkennis maar weinig didactiek. Hoe begeleid je ze?",
    ],
    advies: &[
        "Organiseer {prof} op locatie bij een bedrijf; dat motiveert docenten meer.",
        "Laat docenten elkaar scholen: wie iets heeft geleerd, geeft een workshop aan collega's.",
        "Begin {netwerk} met een concreet product, niet met een vergadering.",
        "Plan studiedagen ruim vooruit en regionaal, dan kunnen scholen erop roosteren.",
        "Gebruik het landelijke scholingsaanbod in plaats van zelf iets te ontwikkelen.",
        "Vraag docenten om na een training een korte terugkoppeling in de vaksectie.",
        "Maak scholing onderdeel van de gesprekkencyclus op school.",
        "Zet een regionale scholingskalender online, zodat iedereen het aanbod ziet.",
        "Combineer {prof} met een bezoek aan het mbo.",
    ],
    signaal: &[
        "Er is behoefte aan structurele middelen voor de nascholing van techniekdocenten.",
        "Docenten kunnen door roosterdruk niet deelnemen aan {prof}.",
        "Het scholingsaanbod voor nieuwe technologie loopt achter bij de praktijk.",
        "Zij-instromers krijgen te weinig begeleiding en haken af.",
        "Kennis uit trainingen blijft bij individuen hangen en verspreidt zich niet in de school.",
        "Leernetwerken verwateren zodra de externe begeleiding stopt.",
        "Instructeurs vallen buiten de meeste scholingsregelingen.",
    ],
    evaluatie: &[
        "Mooie ideeën opgedaan voor {netwerk}.",
        "Herkenbaar dat scholing lastig te organiseren is naast de lessen.",
        "Nuttig: concrete tips over het scholingsaanbod in andere regio's.",
    ],
    detail: &[
        "De vorige training werd slecht bezocht.",
        "Vooral de oudere docenten willen graag bijblijven.",
        "Er is budget, maar geen tijd.",
        "Het leernetwerk komt eens per kwartaal bij elkaar.",
        "Docenten kiezen vaak voor scholing in hun eigen vakgebied.",
        "De trainer komt van het mbo.",
    ],
};

static LEERLIJNEN: Bank = Bank {
    casus: &[
        "Hoe bouwen we een doorlopende leerlijn op als de basisscholen weinig tijd hebben voor techniek?",
        "Hoe maak je {lob} meer dan een verplicht nummer in het derde leerjaar?",
        "De aansluiting op het mbo hapert: leerlingen kiezen een vervolgopleiding die niet past. Wat doen jullie aan {lob}?",
        "Hoe krijgen we meer leerlingen uit {po} enthousiast voor techniek in het vmbo?",
        "Hoe betrek je ouders bij de studiekeuze richting techniek?",
        "Het mbo en het vmbo werken met verschillende leerlijnen. Hoe krijg je die op elkaar afgestemd?",
        "De instroom in de techniekprofielen daalt. Hoe bereik je leerlingen eerder in hun keuzeproces?",
        "Hoe zorg je dat de techniekdagen voor groep 8 meer zijn dan een leuk uitje?",
        "Hoe houd je {leerlijn} overeind als de mbo-opleiding in de regio verdwijnt?",
    ],
    advies: &[
        "Laat vmbo-leerlingen zelf techniekles geven op de basisschool; dat werkt voor beide kanten.",
        "Maak met het mbo één gezamenlijke jaarplanning voor {lob}.",
        "Gebruik de decanen als spil in {leerlijn}.",
        "Organiseer een ouderavond op locatie bij een bedrijf.",
        "Start met een doorlopende leerlijn voor één profiel en breid die daarna uit.",
        "Nodig oud-leerlingen uit die nu op het mbo zitten om hun verhaal te vertellen.",
        "Zet een techniekcoach in die po, vo en mbo met elkaar verbindt.",
        "Begin al in groep 7 met kennismaken, dan is de keuze in groep 8 minder spannend.",
        "Laat leerlingen een dag meelopen op het mbo voordat ze kiezen.",
    ],
    signaal: &[
        "De instroom in de techniekprofielen blijft dalen, ook waar {lob} goed georganiseerd is.",
        "Ouders sturen hun kinderen nog steeds weg van techniek; het imago is hardnekkig.",
        "{leerlijn} hapert bij de overgang naar het mbo; er is veel uitval in het eerste jaar.",
        "Het primair onderwijs heeft te weinig ruimte in het rooster voor techniekonderwijs.",
        "Loopbaanoriëntatie is op veel scholen versnipperd en afhankelijk van één decaan.",
        "De afstemming tussen vmbo en mbo over de inhoud van de leerlijnen is nog beperkt.",
        "Meisjes kiezen nauwelijks voor techniek; de aanpak in de onderbouw moet anders.",
    ],
    evaluatie: &[
        "Mooie voorbeelden gehoord van {leerlijn} in andere regio's.",
        "De casus over {lob} was voor iedereen herkenbaar.",
        "Concrete tips over het werken met de basisscholen.",
    ],
    detail: &[
        "Het gaat vooral om leerlingen in de onderbouw.",
        "De decaan heeft hier weinig uren voor.",
        "Het mbo is wel bereid mee te denken.",
        "De keuze voor een profiel valt eigenlijk al in het tweede leerjaar.",
        "Ouders kennen de techniekopleidingen vaak niet.",
        "Er is goed contact met twee basisscholen in de buurt.",
        "Het aantal aanmeldingen voor techniek is opnieuw gedaald.",
    ],
};

static FACILITEITEN: Bank = Bank {
    casus: &[
        "Hoe houden we {lab} bij de tijd als er geen budget is voor vervanging?",
        "{apparatuur} in {lab} worden nauwelijks gebruikt. Hoe krijg je docenten zover?",
        "Wie is verantwoordelijk voor onderhoud en veiligheid van {lab} als meerdere scholen het gebruiken?",
        "De basis op orde: onze praktijklokalen zijn verouderd. Hoe krijg je een investering rond?",
        "Hoe verdeel je de roostertijd in {lab} eerlijk over de scholen?",
        "{inrichting} voldoet niet meer aan de eisen van het nieuwe examenprogramma. Wat doen anderen?",
        "Hoe financieren we de vervanging van {apparatuur} na de projectperiode?",
        "Het nieuwe lokaal staat er, maar de materialen ontbreken. Waar begin je?",
        "Hoe regel je het onderhoud van {apparatuur} zonder eigen TOA?",
        "Leerlingen van meerdere scholen willen in {lab} werken. Hoe regel je sleutels, toezicht en verzekering?",
    ],
    advies: &[
        "Maak een meerjarig vervangingsplan voor {apparatuur}.",
        "Leg gebruiksafspraken voor {lab} vast in een convenant tussen de scholen.",
        "Vraag leveranciers om een onderhoudscontract met instructie erbij.",
        "Stel een TOA aan die verantwoordelijk is voor {lab}.",
        "Zorg eerst voor de basis op orde voordat je in dure apparatuur investeert.",
        "Laat docenten meebeslissen over de inrichting; dan wordt het ook gebruikt.",
        "Deel {apparatuur} tussen scholen via een roulatieschema.",
        "Houd per machine een logboek bij, dan weet je wanneer onderhoud nodig is.",
        "Kijk of het mbo {apparatuur} wil delen.",
    ],
    signaal: &[
        "{lab} raakt verouderd en er is geen budget voor vervanging.",
        "De basis op orde is er nog steeds niet: lokalen en materialen voldoen niet.",
        "Onderhoud van {apparatuur} kost veel meer dan begroot.",
        "Zonder TOA staan de machines stil.",
        "Het gebruik van {lab} door meerdere scholen roept verzekeringsvragen op.",
        "Na de investering in {lab} ontbreekt geld voor verbruiksmaterialen.",
        "De veiligheidseisen voor {apparatuur} vragen keuringen waar niemand budget voor heeft.",
        "Scholen investeren liever in gebouwen dan in de inrichting voor techniek.",
        "Het machinepark voldoet niet aan wat het mbo en de bedrijven verwachten.",
    ],
    evaluatie: &[
        "Herkenbaar: iedereen zoekt naar geld voor de vervanging van apparatuur.",
        "Nuttige tips over gebruiksafspraken voor {lab}.",
        "Fijn dat we de ervaringen met de inrichting van {lab} konden delen.",
    ],
    detail: &[
        "De machines zijn meer dan tien jaar oud.",
        "Er is geen TOA.",
        "De inrichting is destijds zonder docenten bepaald.",
        "Het lokaal staat een groot deel van de week leeg.",
        "De leverancier is failliet gegaan.",
        "Het budget voor verbruiksmaterialen is op.",
        "Een deel van het gereedschap is zoekgeraakt.",
    ],
};

static SAMENWERKING: Bank = Bank {
    casus: &[
        "Hoe houd je {werkgroep} actief als er steeds minder mensen komen?",
        "De scholen in de regio zien elkaar nog vooral als concurrent. Hoe bouw je vertrouwen op?",
        "Hoe verdeel je de taken eerlijk tussen de scholen zonder eindeloos te vergaderen?",
        "Twee scholen willen samen een profiel aanbieden, maar de roosters sluiten niet op elkaar aan. Hoe pak je dat aan?",
        "Hoe zorg je voor {samen} tussen de verschillende werkgroepen in de regio?",
        "Er zijn zoveel overleggen dat niemand meer weet wie waarover gaat. Hoe breng je structuur aan?",
        "Hoe betrek je de kleinere scholen, die het gevoel hebben dat de grote school alles bepaalt?",
        "Een nieuwe school wil aansluiten bij het regionale netwerk. Hoe regel je dat?",
        "Hoe houden we de samenwerking in de regio vast bij zoveel personeelswisselingen?",
    ],
    advies: &[
        "Geef {werkgroep} een duidelijke opdracht en een einddatum.",
        "Laat de scholen om de beurt gastheer zijn van het regio-overleg.",
        "Begin met een gezamenlijk succes dat snel zichtbaar is; dat bouwt vertrouwen.",
        "Maak een overzicht van alle overleggen en schrap wat dubbel is.",
        "Geef de kleinere scholen bewust een trekkersrol.",
        "Gebruik een gedeelde online omgeving voor stukken en afspraken.",
        "Organiseer eens per jaar een regiodag voor alle betrokkenen.",
        "Spreek af hoe besluiten in het netwerk genomen worden.",
    ],
    signaal: &[
        "De samenwerking tussen scholen is kwetsbaar en sterk persoonsafhankelijk.",
        "Concurrentie tussen scholen om leerlingen staat {samen} in de weg.",
        "De overlegstructuren in de regio zijn te zwaar voor de beschikbare tijd.",
        "Kleine scholen voelen zich ondergesneeuwd in het regionale netwerk.",
        "Regio's willen vaker onderling kennis delen, ook buiten de intervisie.",
        "Samenwerking met andere regio's levert veel op, maar wordt nergens gefaciliteerd.",
        "Netwerken vallen stil als de trekker vertrekt.",
    ],
    evaluatie: &[
        "Goed gesprek over {samen} in de regio.",
        "Mooi om van elkaar te horen hoe de werkgroepen zijn georganiseerd.",
        "Het delen van ervaringen tussen de regio's werkt goed; vaker doen.",
        "Herkenbare casus over concurrentie tussen scholen.",
    ],
    detail: &[
        "Het regio-overleg is eens per maand.",
        "De scholen verschillen sterk in grootte.",
        "Vooral de twee grootste scholen trekken.",
        "Niet alle scholen zijn even actief.",
        "De werkgroep bestaat nog maar uit vier mensen.",
        "Er is een gedeelde agenda, maar die wordt slecht bijgehouden.",
    ],
};

static LEERLINGENVERVOER: Bank = Bank {
    casus: &[
        "Wie betaalt {vervoer} naar {praktijklocatie}? De scholen kijken naar de regio, de regio naar de scholen.",
        "Leerlingen zijn per praktijkles bijna een uur kwijt aan reistijd. Hoe los je {vervoer} slim op?",
        "{vervoerskosten} lopen dit jaar flink op. Hoe gaan andere regio's daarmee om?",
        "De busmaatschappij rijdt niet meer op de tijden die in het rooster passen. Wat nu?",
        "Hoe regel je {vervoer} voor kleine groepen zonder dat het onbetaalbaar wordt?",
        "Valt {vervoer} naar {praktijklocatie} onder de gemeentelijke regeling of moet de school het betalen?",
        "Ouders klagen dat hun kinderen op eigen gelegenheid naar {praktijklocatie} moeten. Hoe pak je dat aan?",
        "Hoe combineer je de ritten van verschillende scholen naar {praktijklocatie}?",
        "Mag een stagiair leerlingen in een busje rijden? En wie is dan aansprakelijk?",
    ],
    advies: &[
        "Maak één regionaal vervoersplan en verdeel de kosten naar rato van het aantal leerlingen.",
        "Vraag de gemeente of {vervoer} kan aansluiten op bestaande ritten.",
        "Plan de praktijklessen in blokken, dan hoeft de bus minder vaak te rijden.",
        "Huur een eigen busje met chauffeur; bij ons was dat goedkoper dan losse ritten.",
        "Laat leerlingen fietsen waar het kan en regel alleen vervoer voor de verre kernen.",
        "Neem {vervoerskosten} als aparte post op in de begroting, niet als restpost.",
        "Kijk of het OV-abonnement van de school ook voor deze ritten gebruikt kan worden.",
        "Zoek een vervoerder die meerdere scholen tegelijk bedient.",
    ],
    signaal: &[
        "{vervoer} naar {praktijklocatie} wordt een knelpunt; de kosten zijn nergens begroot.",
        "In steeds meer regio's blijkt {vervoer} een verborgen kostenpost.",
        "De reistijd naar de praktijklocatie gaat ten koste van de lestijd.",
        "Onduidelijk wie verantwoordelijk is voor {vervoer}: gemeente, school of regio.",
        "Leerlingen uit de kleine kernen haken af omdat het vervoer niet geregeld is.",
        "De vervoerskosten stijgen door hogere brandstofprijzen en een gebrek aan chauffeurs.",
        "Er is geen landelijke regeling voor vervoer tussen school en een gedeelde praktijkvoorziening.",
        "Het busvervoer naar het TechLab kost inmiddels meer dan de lessen zelf.",
    ],
    evaluatie: &[
        "Verrassend dat {vervoer} in meer regio's speelt.",
        "Goed om te horen hoe anderen de vervoerskosten verdelen.",
        "Nieuw onderwerp voor de groep: het vervoer van leerlingen. Volgende keer op terugkomen.",
    ],
    detail: &[
        "Het gaat om ongeveer veertig leerlingen per week.",
        "De bus rijdt twee keer per dag.",
        "De gemeente verwijst naar de school.",
        "Eén rit kost al snel een paar honderd euro.",
        "Sommige leerlingen wonen twintig kilometer verderop.",
        "De vervoerder heeft de tarieven verhoogd.",
        "Voorlopig rijden ouders en vrijwilligers.",
    ],
};

static GENERAL: Bank = Bank {
    casus: &[
        "Hoe houd ik overzicht over alle lopende activiteiten zonder zelf overal bij te zijn?",
        "Hoe bereik je {doelgroep} met een nieuwsbrief die ook echt gelezen wordt?",
        "Wat levert onze inzet op sociale media eigenlijk op, en wie houdt het bij?",
        "Hoe maak je de resultaten van de afgelopen jaren zichtbaar voor een breed publiek?",
        "Hoe werk je een nieuwe collega op het projectbureau goed in?",
        "Hoe ga je om met de vele verzoeken om mee te doen aan onderzoeken en enquêtes?",
        "Ik wil mijn werkweek beter indelen; alles lijkt urgent.",
    ],
    advies: &[
        "Plan vaste momenten in de agenda voor reflectie.",
        "Maak een jaarplanning op één A4 en deel die breed.",
        "Houd het klein en concreet: begin met één actie en evalueer die.",
        "Schakel een communicatieadviseur in voor de nieuwsbrief.",
        "Kijk naar de materialen op de landelijke website; daar staat veel bruikbaars.",
        "Werk met een korte weekstart om prioriteiten te stellen.",
        "Vertel vaker het verhaal achter de cijfers.",
    ],
    signaal: &[
        "Behoefte aan een landelijk overzicht van goede voorbeelden.",
        "Regio's worden overvraagd met enquêtes en onderzoeksverzoeken.",
        "Er is behoefte aan een landelijke campagne over het imago van techniek.",
        "De landelijke website is lastig doorzoekbaar.",
    ],
    evaluatie: &[
        "Goede bijeenkomst, iedereen kwam aan bod.",
        "Prettige sfeer en een open gesprek.",
        "Afspraak: casussen voortaan een week vooraf rondsturen.",
        "Volgende keer bij een van de scholen op locatie.",
        "Fijn om weer bij te praten.",
        "Waardevolle ochtend, graag meer van dit.",
    ],
    detail: &[
        "Dit speelt al langer.",
        "Ik ben er veel tijd aan kwijt.",
        "Het is nog niet duidelijk wat de beste aanpak is.",
    ],
};

/// The evaluation tags a session can carry, with the texts a moderator writes about each.
pub const EVALUATION_TAGS: &[(&str, &[&str])] = &[
    (
        "format-te-strak",
        &[
            "Het format was wat strak; er was weinig ruimte om door te vragen.",
            "De vaste stappen hielpen, maar voelden soms als een keurslijf.",
            "We hielden ons erg aan de tijd per fase, waardoor het gesprek soms werd afgekapt.",
            "Voorstel: het draaiboek losser hanteren.",
        ],
    ),
    (
        "meer-ruimte-voor-zijpaden",
        &[
            "Behoefte aan meer ruimte voor zijpaden en actuele zaken.",
            "Volgende keer beginnen met een rondje actualiteiten.",
            "Een zijpad leverde juist veel op; daar mag meer ruimte voor komen.",
        ],
    ),
    (
        "goed-gemodereerd",
        &[
            "Goed gemodereerd: de gespreksleider hield de fases scherp in de gaten.",
            "Door de strakke gespreksleiding benutten we de tijd goed.",
            "De technisch voorzitter stelde goede vragen.",
        ],
    ),
    (
        "vervolg-gepland",
        &[
            "Vervolgafspraak staat, datum volgt per mail.",
            "Over drie maanden zien we elkaar weer.",
            "Afgesproken om elkaar vaker te spreken.",
        ],
    ),
    (
        "te-weinig-tijd",
        &[
            "Te weinig tijd om alle casussen te bespreken.",
            "Anderhalf uur is te kort voor twee casussen.",
            "Eén casus bleef liggen; die komt de volgende keer als eerste aan bod.",
        ],
    ),
    (
        "nuttige-tips",
        &[
            "Veel bruikbare tips meegekregen om in de eigen regio te proberen.",
            "Concrete adviezen, direct toepasbaar.",
            "Nuttig om te horen hoe andere regio's het aanpakken.",
        ],
    ),
    (
        "herkenbare-casus",
        &[
            "De casus was voor iedereen herkenbaar.",
            "Herkenbaarheid in de vraagstukken: we lopen allemaal tegen hetzelfde aan.",
            "Mooi om te merken dat andere regio's met dezelfde kwesties worstelen.",
        ],
    ),
    (
        "goede-sfeer",
        &[
            "Open en veilige sfeer; iedereen durfde kwetsbaar te zijn.",
            "Prettig dat we elkaar als critical friend kritisch bevragen.",
        ],
    ),
    (
        "te-grote-groep",
        &[
            "Met zoveel deelnemers werd het wat druk; liever een kleinere groep.",
            "Niet iedereen kwam aan het woord, de groep is eigenlijk te groot.",
        ],
    ),
    (
        "online-lastig",
        &[
            "Online werkt, maar het informele deel mist.",
            "Via het scherm is doorvragen lastiger.",
        ],
    ),
    (
        "ruimte-voor-actualiteiten",
        &[
            "Goed dat er aan het begin ruimte was voor actuele punten.",
            "Het rondje actualiteiten bleek waardevol.",
        ],
    ),
];

/// The texts for an evaluation tag (empty for an unknown tag).
pub(super) fn evaluation_texts(tag: &str) -> &'static [&'static str] {
    EVALUATION_TAGS
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or(&[], |(_, texts)| *texts)
}

/// Short notes a moderator puts before an item, per kind.
fn prefixes(kind: ItemKind) -> &'static [&'static str] {
    match kind {
        ItemKind::Casus => &["Casus: ", "Vraag: ", "Inbreng: ", "Vraagstuk: "],
        ItemKind::Advies => &[
            "Advies: ",
            "Tip: ",
            "Suggestie: ",
            "Advies vanuit de groep: ",
        ],
        ItemKind::Signaal => &["Signaal: ", "Let op: ", "Signaal voor landelijk: "],
        ItemKind::Evaluatie => &["Evaluatie: ", "Terugblik: "],
    }
}

/// True when the text starts with one of the moderators' labels ("Casus: ", "Tip: ", ...).
pub(super) fn starts_with_label(text: &str) -> bool {
    ItemKind::ALL
        .iter()
        .flat_map(|&k| prefixes(k))
        .any(|p| text.starts_with(p))
}

/// Theme-neutral closing remarks, per kind.
fn closers(kind: ItemKind) -> &'static [&'static str] {
    match kind {
        ItemKind::Casus => &[
            "Wie heeft hier ervaring mee?",
            "Graag tips van de groep.",
            "Ik loop hier al een tijdje mee rond.",
            "Hoe pakken jullie dit aan?",
        ],
        ItemKind::Advies => &[
            "Begin klein.",
            "Maak het concreet en praktisch.",
            "Bij ons werkte dat goed.",
            "Zie ook de voorbeelden op de landelijke site.",
        ],
        ItemKind::Signaal => &[
            "Speelt in meerdere regio's.",
            "Landelijk oppakken?",
            "Graag agenderen in het landelijk overleg.",
            "Dit lijkt breder te spelen dan alleen in onze groep.",
        ],
        ItemKind::Evaluatie => &["Waardevol.", "Volgende keer meer tijd voor nemen."],
    }
}

/// The fillers of a template slot; `None` for an unknown slot name.
pub(super) fn slot(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        // shared
        "scholen" => &[
            "de scholen",
            "de vmbo-scholen",
            "de deelnemende scholen",
            "de vo-scholen in de regio",
            "onze scholen",
            "de partnerscholen",
        ],
        "school" => &[
            "een van de vmbo-scholen",
            "de grootste school in de regio",
            "een kleine vmbo-locatie",
            "een brede scholengemeenschap",
            "de school die als laatste is aangesloten",
        ],
        "periode" => &[
            "dit schooljaar",
            "de afgelopen maanden",
            "sinds de zomer",
            "het afgelopen half jaar",
            "opnieuw",
        ],
        "vakantie" => &[
            "zomervakantie",
            "kerstvakantie",
            "meivakantie",
            "herfstvakantie",
            "voorjaarsvakantie",
        ],
        "doelgroep" => &["ouders", "alle betrokkenen", "de partners", "de achterban"],
        // corona
        "corona" => &[
            "corona",
            "covid",
            "de coronacrisis",
            "de pandemie",
            "covid-19",
            "het coronavirus",
        ],
        "maatregel" => &[
            "de lockdown",
            "de schoolsluiting",
            "de anderhalvemeterregel",
            "de avondklok",
            "de quarantaineplicht",
            "het thuisonderwijs",
            "de tweede lockdown",
        ],
        "online" => &["online", "op afstand", "via Teams", "digitaal"],
        // teacher workload
        "tekort" => &[
            "docententekort",
            "lerarentekort",
            "personeelstekort",
            "tekort aan technisch docenten",
            "tekort aan vakdocenten",
        ],
        "druk" => &[
            "werkdruk",
            "de werkdruk",
            "de taakbelasting",
            "de ervaren werkdruk",
            "de drukte",
        ],
        "docenten" => &[
            "docenten",
            "vakdocenten",
            "technisch docenten",
            "de docenten techniek",
            "de techniekdocenten",
            "onze docenten",
        ],
        "profiel" => &["PIE", "BWI", "M&T", "MVI", "D&P", "PIE en BWI"],
        // plan updates
        "plan" => &[
            "het regioplan",
            "het regionale plan",
            "het plan van aanpak",
            "de deelplannen",
            "het STO-plan",
        ],
        "mijlpalen" => &[
            "de mijlpalen",
            "de tussendoelen",
            "de afgesproken resultaten",
            "de beoogde opbrengsten",
            "de prestatie-indicatoren",
        ],
        "ocw" => &["OCW", "het ministerie", "het ministerie van OCW", "DUS-I"],
        "rapportage" => &[
            "de voortgangsrapportage",
            "de tussenrapportage",
            "de verantwoording aan OCW",
            "de jaarlijkse monitor",
            "het voortgangsverslag",
        ],
        "bijstellen" => &[
            "bijstellen",
            "actualiseren",
            "aanpassen",
            "herijken",
            "herschrijven",
        ],
        // ownership
        "eigenaar" => &["eigenaarschap", "draagvlak", "betrokkenheid", "commitment"],
        "structureel" => &[
            "straks het geld structureel naar de scholen gaat",
            "de projectfinanciering stopt",
            "de subsidie afloopt",
            "mijn rol als programmamanager stopt",
        ],
        // school leaders
        "sl" => &[
            "de schoolleiders",
            "de directeuren",
            "de bestuurders",
            "de rectoren",
            "de schooldirecties",
            "de schoolbesturen",
        ],
        "sg" => &[
            "de stuurgroep",
            "het bestuurlijk overleg",
            "de stuurgroep van bestuurders",
        ],
        "mandaat" => &["mandaat", "positie", "doorzettingsmacht", "rugdekking"],
        // companies
        "bedrijven" => &[
            "het bedrijfsleven",
            "de bedrijven",
            "werkgevers",
            "regionale ondernemers",
            "de installatiebranche",
            "de maakindustrie",
            "technische bedrijven",
            "het mkb",
        ],
        "hub" => &[
            "de hotspot",
            "de technohub",
            "het techniekhuis",
            "onze hotspot",
        ],
        "arbeidsmarkt" => &[
            "de krappe arbeidsmarkt",
            "de vraag naar technici",
            "het tekort aan vakmensen",
        ],
        // legislation
        "wet" => &[
            "de nieuwe wetgeving voor het beroepsonderwijs",
            "de wetswijziging",
            "de nieuwe regelgeving",
            "de aangepaste subsidieregeling",
            "de nieuwe examenregeling",
            "de herziening van het vmbo-curriculum",
            "de nieuwe bekostigingssystematiek",
        ],
        // professional development
        "prof" => &[
            "scholing",
            "nascholing",
            "bijscholing",
            "professionalisering",
            "een training",
            "een cursus",
            "de leergang",
        ],
        "netwerk" => &[
            "het leernetwerk",
            "de leergemeenschap",
            "het netwerk van techniekdocenten",
            "de professionele leergroep",
        ],
        // learning pathways
        "leerlijn" => &[
            "de doorlopende leerlijn",
            "de leerlijn po-vo-mbo",
            "de doorlopende leerlijn techniek",
            "de leerlijn van basisschool tot mbo",
        ],
        "lob" => &[
            "LOB",
            "loopbaanoriëntatie",
            "beroepsoriëntatie",
            "loopbaanoriëntatie en -begeleiding",
            "de loopbaanbegeleiding",
        ],
        "po" => &[
            "het primair onderwijs",
            "de basisscholen",
            "groep 7 en 8",
            "het po",
        ],
        // facilities
        "lab" => &[
            "het TechLab",
            "het techniekpracticum",
            "de werkplaats",
            "het praktijklokaal",
            "het nieuwe techniekpaviljoen",
            "de praktijkruimte",
        ],
        "apparatuur" => &[
            "de machines",
            "de 3D-printers",
            "de lasersnijders",
            "de CNC-machines",
            "de robotsets",
            "de werkbanken",
            "de lasapparaten",
        ],
        "inrichting" => &[
            "de inrichting",
            "het gereedschap",
            "de apparatuur",
            "het machinepark",
            "de inventaris",
        ],
        // regional cooperation
        "werkgroep" => &[
            "de werkgroep",
            "het regionale netwerk",
            "de kerngroep",
            "het netwerk van techniekcoördinatoren",
            "de werkgroep techniek",
            "het regio-overleg",
        ],
        "samen" => &[
            "samenwerking",
            "afstemming",
            "onderlinge afstemming",
            "een gezamenlijke aanpak",
        ],
        // pupil transport (outside the taxonomy)
        "vervoer" => &[
            "leerlingenvervoer",
            "het vervoer van leerlingen",
            "het busvervoer",
            "de pendelbus",
            "het leerlingenvervoer",
            "vervoer per bus",
        ],
        "vervoerskosten" => &[
            "de vervoerskosten",
            "de buskosten",
            "de reiskosten van leerlingen",
            "de kosten van de bus",
        ],
        "praktijklocatie" => &[
            "de praktijklocatie",
            "het TechLab",
            "de gedeelde praktijkvoorziening",
            "de leerwerkplaats in de stad",
            "de praktijklessen op het mbo",
        ],
        _ => return None,
    })
}

/// Appends `template` to `out` with every `{slot}` replaced by a random filler (fillers may hold
/// slots of their own). An unknown slot is copied as is, which the tests catch.
pub(super) fn render(template: &str, rng: &mut ChaCha8Rng, out: &mut String) {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return;
        };
        let name = &after[..end];
        match slot(name) {
            Some(fillers) if !fillers.is_empty() => {
                let filler = fillers[rng.random_range(0..fillers.len())];
                render(filler, rng, out);
            }
            _ => out.push_str(&rest[start..start + end + 2]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
}

pub(super) fn pick<'a>(rng: &mut ChaCha8Rng, choices: &'a [&'a str]) -> &'a str {
    choices[rng.random_range(0..choices.len())]
}

/// Renders one sentence, capitalised.
fn sentence(template: &str, rng: &mut ChaCha8Rng) -> String {
    let mut s = String::with_capacity(template.len() + 32);
    render(template, rng, &mut s);
    capitalise_first(&s)
}

/// Upper-cases the first letter ("de scholen leunen..." → "De scholen leunen...").
pub(super) fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

/// Lower-cases the first letter after a prefix such as "Casus: ", unless the first word is an
/// acronym or a name with inner capitals ("OCW", "TechLab").
fn lowercase_after_prefix(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    let inner_upper = first_word.chars().skip(1).any(char::is_uppercase);
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() && !inner_upper => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

/// Composes an item's text: a sentence for its kind and primary topic, then possibly a sentence
/// for the second topic, a detail and a closing remark; one to three sentences in all.
/// `session_tags` steer general evaluation items towards the session's evaluation.
pub(super) fn compose(
    kind: ItemKind,
    topics: &[Topic],
    session_tags: &[String],
    rng: &mut ChaCha8Rng,
) -> String {
    let primary = bank(topics.first().copied());
    let templates = if kind == ItemKind::Evaluatie && topics.is_empty() {
        let tag_texts = if !session_tags.is_empty() && rng.random_bool(0.6) {
            let tag = &session_tags[rng.random_range(0..session_tags.len())];
            evaluation_texts(tag)
        } else {
            &[]
        };
        if tag_texts.is_empty() {
            GENERAL.evaluatie
        } else {
            tag_texts
        }
    } else {
        primary.for_kind(kind)
    };
    let mut parts: Vec<String> = Vec::with_capacity(3);
    let mut first = sentence(pick(rng, templates), rng);
    let has_label = first.char_indices().take(30).any(|(_, c)| c == ':');
    if !has_label && rng.random_bool(0.2) {
        first = format!(
            "{}{}",
            pick(rng, prefixes(kind)),
            lowercase_after_prefix(&first)
        );
    }
    parts.push(first);

    if let Some(&second) = topics.get(1) {
        let other = bank(Some(second));
        let templates = if rng.random_bool(0.5) {
            other.detail
        } else {
            other.for_kind(kind)
        };
        let next = sentence(pick(rng, templates), rng);
        if rng.random_bool(0.25) {
            parts.push(format!("Daarnaast: {}", lowercase_after_prefix(&next)));
        } else {
            parts.push(next);
        }
    } else if !(kind == ItemKind::Evaluatie && topics.is_empty()) && rng.random_bool(0.45) {
        parts.push(sentence(pick(rng, primary.detail), rng));
    }
    if parts.len() < 3 && rng.random_bool(0.15) {
        parts.push(pick(rng, closers(kind)).to_owned());
    }
    parts.join(" ")
}

/// Every template of every bank, with its topic (`None`: general).
#[cfg(test)]
pub(super) fn all_templates() -> impl Iterator<Item = (Option<Topic>, &'static str)> {
    std::iter::once(None)
        .chain(Topic::ALL.into_iter().map(Some))
        .flat_map(|t| bank(t).all().map(move |s| (t, s)))
        .chain(
            EVALUATION_TAGS
                .iter()
                .flat_map(|(_, texts)| texts.iter().map(|s| (None, *s))),
        )
        .chain(
            ItemKind::ALL
                .iter()
                .flat_map(|&k| closers(k).iter().chain(prefixes(k)).map(|s| (None, *s))),
        )
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn every_slot_in_every_template_is_known() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (topic, template) in all_templates() {
            // Render many times so every filler path is exercised.
            for _ in 0..20 {
                let mut out = String::new();
                render(template, &mut rng, &mut out);
                assert!(
                    !out.contains(['{', '}']),
                    "{topic:?}: {template:?} → {out:?}"
                );
            }
        }
    }

    #[test]
    fn every_theme_has_a_large_varied_bank() {
        for topic in Topic::ALL {
            let b = bank(Some(topic));
            let count = b.all().count();
            assert!(count >= 25, "{topic:?} has only {count} templates");
            for kind in ItemKind::ALL {
                assert!(b.for_kind(*kind).len() >= 3, "{topic:?} {kind:?}");
            }
            assert!(b.detail.len() >= 5, "{topic:?} details");
        }
    }

    #[test]
    fn compose_writes_one_to_three_sentences() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let tags = vec!["format-te-strak".to_owned()];
        for i in 0..2000 {
            let kind = ItemKind::ALL[i % 4];
            let topics = match i % 3 {
                0 => vec![],
                1 => vec![Topic::ALL[i % 12]],
                _ => vec![Topic::Eigenaarschap, Topic::Schoolleiders],
            };
            let text = compose(kind, &topics, &tags, &mut rng);
            assert!(!text.is_empty() && text.len() < 600, "{text}");
            assert!(
                text.chars().next().is_some_and(char::is_uppercase),
                "{text}"
            );
            assert!(!text.contains("  "), "{text}");
        }
    }

    #[test]
    fn prefixes_keep_acronyms() {
        assert_eq!(lowercase_after_prefix("Hoe doe je dat?"), "hoe doe je dat?");
        assert_eq!(
            lowercase_after_prefix("OCW heeft gevraagd."),
            "OCW heeft gevraagd."
        );
        assert_eq!(lowercase_after_prefix("TechLab dicht."), "TechLab dicht.");
        assert_eq!(capitalise_first("het ministerie"), "Het ministerie");
        assert_eq!(capitalise_first("'t Hof"), "'t Hof");
    }
}
