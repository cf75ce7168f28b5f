"""The words lawyers and courts use for the provisions rulings on returns rely on, in the languages
of those courts: what a search for "torture" needs to find a ruling on ECHR art. 3 whose summary
never uses the word (docs/search.md, "Legal grounds").

``STANDARD_VOCABULARY`` gives them for the articles of the international instruments, by
(instrument, article): every provision entered for one of them has its words without anyone typing
them. A provision's own ``vocabulary`` (a national law, say) adds to them.
"""

from __future__ import annotations

from .models.rulings import Instrument

TORTURE = (
    "torture", "inhuman or degrading treatment", "inhuman or degrading punishment", "ill-treatment",
    "tortyr", "omänsklig eller förnedrande behandling",  # Swedish
    "mučení", "nelidské či ponižující zacházení",  # Czech
    "tortury", "nieludzkie lub poniżające traktowanie",  # Polish
    "Folter", "unmenschliche oder erniedrigende Behandlung",  # German
    "traitements inhumains ou dégradants",  # French
    "tortura", "tratos inhumanos o degradantes",  # Spanish
    "foltering", "onmenselijke of vernederende behandeling",  # Dutch
)
LIFE = (
    "right to life", "death penalty", "capital punishment", "execution",
    "rätt till liv", "dödsstraff", "právo na život", "trest smrti", "prawo do życia", "kara śmierci",
    "Recht auf Leben", "Todesstrafe", "droit à la vie", "peine de mort", "derecho a la vida", "pena de muerte",
)
FAIR_TRIAL = (
    "fair trial", "flagrant denial of justice", "due process", "rättvis rättegång", "spravedlivý proces",
    "rzetelny proces", "faires Verfahren", "procès équitable", "juicio justo",
)
NON_REFOULEMENT = ("non-refoulement", "removal", "expulsion", "return", "extradition", "zasada non-refoulement")
LIBERTY = ("liberty", "detention", "arrest", "frihetsberövande", "pozbawienie wolności", "osobní svoboda")
REMEDY = ("effective remedy", "effektivt rättsmedel", "skuteczny środek odwoławczy", "účinný právní prostředek")
PERSECUTION = ("persecution", "refugee", "förföljelse", "prześladowanie", "pronásledování", "Verfolgung")

STANDARD_VOCABULARY: dict[tuple[str, str], tuple[str, ...]] = {
    (Instrument.ECHR, "2"): LIFE,
    (Instrument.ECHR, "3"): TORTURE,
    (Instrument.ECHR, "5"): LIBERTY,
    (Instrument.ECHR, "6"): FAIR_TRIAL,
    (Instrument.ECHR, "13"): REMEDY,
    (Instrument.EU_CHARTER, "2"): LIFE,
    (Instrument.EU_CHARTER, "4"): TORTURE,
    (Instrument.EU_CHARTER, "19(2)"): (*NON_REFOULEMENT, *TORTURE, *LIFE[1:3]),
    (Instrument.EU_CHARTER, "47"): (*FAIR_TRIAL, *REMEDY),
    (Instrument.CAT, "1"): TORTURE,
    (Instrument.CAT, "3"): (*NON_REFOULEMENT, *TORTURE),
    (Instrument.CAT, "16"): TORTURE,
    (Instrument.ICCPR, "6"): LIFE,
    (Instrument.ICCPR, "7"): TORTURE,
    (Instrument.ICCPR, "9"): LIBERTY,
    (Instrument.ICCPR, "14"): FAIR_TRIAL,
    (Instrument.REFUGEE_CONVENTION, "33"): (*NON_REFOULEMENT, *PERSECUTION),
}


def standard_vocabulary(instrument: str, article: str) -> tuple[str, ...]:
    return STANDARD_VOCABULARY.get((instrument, article.replace(" ", "")), ())
