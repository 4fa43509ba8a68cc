"""The six product categories, picked by keywords from a listing's words and its entity type."""

from __future__ import annotations

import re

from famact.classify.model import ATTRACTION, EVENT, PROGRAM, VENUE, ClassifierInput
from famact.classify.vocabulary import any_of
from famact.constants import Category, EntityType
from famact.normalize.text import fold_words

CATEGORY_KEYWORDS: dict[Category, str] = {
    Category.ARTS_CREATIVITY: any_of(
        r"art", r"arts", r"artist", r"paint\w*", r"pottery", r"clay", r"ceramics?", r"crafts?", r"drawing",
        r"music\w*", r"dance", r"ballet", r"hip hop", r"theat(?:er|re)", r"drama", r"puppet\w*", r"violin",
        r"piano", r"ukulele", r"guitar", r"choir", r"orchestra", r"sing\w*", r"glass", r"photography",
        r"nutcracker", r"concert", r"writing", r"poetry", r"gallery", r"sculptures?", r"printmaking",
        r"calligraphy", r"papel picado", r"kindermusik", r"arte", r"musica", r"baile", r"艺术", r"音乐",
        r"书法", r"剪纸", r"绘画", r"舞蹈",
    ),
    Category.ACTIVE_SPORTS: any_of(
        r"swim\w*", r"soccer", r"basketball", r"baseball", r"softball", r"gymnastics", r"tumbl\w*",
        r"skat\w*", r"climb\w*", r"bouldering", r"trampolines?", r"jump", r"ninja", r"karate",
        r"martial arts", r"jiu-?jitsu", r"taekwondo", r"yoga", r"tennis", r"volleyball", r"lacrosse",
        r"football", r"fun run", r"5k", r"dash", r"triathlon", r"hik\w*", r"bik\w*", r"rowing", r"archery",
        r"lifeguard", r"sports?", r"hockey", r"dodgeball", r"ropes course", r"zipline\w*", r"natacion",
        r"futbol", r"游泳", r"运动", r"rock wall", r"little league", r"league", r"fitness", r"kayak\w*",
    ),
    Category.EDUCATIONAL_STEM: any_of(
        r"science", r"stem", r"steam", r"coding", r"code", r"robot\w*", r"math", r"engineering", r"nature",
        r"naturalists?", r"reading", r"books?", r"museum", r"zoo", r"aquarium", r"planetarium",
        r"astronom\w*",
        r"dinosaurs?", r"fossils?", r"chess", r"history", r"heritage", r"homeschool", r"lego", r"tide pools?",
        r"marine", r"biology", r"animals?", r"octopus", r"wetlands?", r"environmental", r"preschool",
        r"library", r"storytime", r"language", r"chinese", r"spanish", r"comets?", r"ciencia", r"科学",
        r"中文", r"博物馆", r"图书馆", r"mummies", r"butterfl\w*", r"penguins?", r"reptiles?", r"exhibit\w*",
    ),
    Category.ENTERTAINMENT_EVENTS: any_of(
        r"festival", r"fest", r"concert", r"shows?", r"movie", r"film", r"imax", r"parade", r"party",
        r"carnival", r"arcade", r"fun cent(?:er|re)", r"go-?karts?", r"mini golf", r"laser tag", r"bowling",
        r"lights", r"pumpkin", r"corn maze", r"maze", r"santa", r"halloween", r"trick-or-treat", r"magic",
        r"performance\w*", r"bingo", r"celebration", r"fair", r"train rides?", r"carousel", r"waterpark",
        r"water park", r"pinball", r"games?", r"fiesta", r"庙会", r"灯光", r"演出",
    ),
}
_CATEGORY_RES = {category: re.compile(
    rf"(?<![\w]){pattern}(?![\w])"
) for category, pattern in CATEGORY_KEYWORDS.items()}
_CAMPS_PROGRAMS = re.compile(
    r"\bcamps?\b|campamento|夏令营|\bafter[- ]school\b|\bbefore[- ]and after[- ]school\b|\bchild ?care\b"
    r"|\bscouts?\b|\bpreschool program\b|\bco-?op preschool\b|\bnature preschool\b|\bpre-?k\b"
)
_FREE = re.compile(
    r"\bfree\b|\bno cost\b|\bgratis\b|\bgratuit[ao]\b|免费|\$0\b|\bby donation\b"
    r"|\bpay[- ]what[- ]you[- ]can\b"
)
_COMMUNITY = re.compile(
    r"\blibrar(?:y|ies)\b|\bbranch\b|\bbiblioteca\b|图书馆|\bparks?\b|\bcommunity\b|\bfestival\b|\bparade\b"
    r"|\bfarmers market\b|\bmarket\b|\bcelebration\b|\bcity hall\b|\bneighborhood\b|\bclean-?up\b"
    r"|\bjuneteenth\b"
    r"|\bstorytime\b|\bstory time\b|\bbeach\b|\bteen (?:center|union)\b"
)
_ART_MUSEUM = re.compile(
    r"\bart (?:museum|gallery|center)\b|\bmuseum of (?:\w+ )?art\b|\bmuseo de arte\b|\bart museum\b"
    r"|美术馆|艺术馆"
)
_MUSEUM_LIKE = re.compile(
    r"\bmuseums?\b|\bmuseo\b|\bzoo\b|\baquarium\b|\bscience (?:center|centre|park)\b|\bnature center\b"
    r"|\bplanetarium\b"
    r"|\bconservatory\b|博物馆|探索馆"
)


def categorize(listing: ClassifierInput, entity_type: EntityType) -> Category:
    """Pick one of the six product categories from the listing's words and its entity type."""
    title = fold_words(listing.title)
    fields = (listing.title, listing.description, listing.price_text, listing.venue_text)
    text = " | ".join(fold_words(t) for t in fields if t)
    if _CAMPS_PROGRAMS.search(title) or (entity_type == PROGRAM and _CAMPS_PROGRAMS.search(text)):
        return Category.CAMPS_PROGRAMS
    title_scores = {c: len(p.findall(title)) for c, p in _CATEGORY_RES.items()}
    body_scores = {c: len(p.findall(text)) for c, p in _CATEGORY_RES.items()}
    price_fields = (listing.price_text, listing.description, listing.title)
    price_words = " | ".join(fold_words(t) for t in price_fields if t)
    is_free = _FREE.search(price_words) is not None
    is_library = re.search(r"\blibrar(?:y|ies)\b|\bbranch\b|\bbiblioteca\b|图书馆", text) is not None
    community = is_library or (is_free and _COMMUNITY.search(text) is not None)
    sporty_or_arty = any(title_scores[c] for c in (Category.ACTIVE_SPORTS, Category.ARTS_CREATIVITY))
    if entity_type in (EVENT, VENUE) and community and not sporty_or_arty:
        return Category.FREE_COMMUNITY
    if (entity_type in (VENUE, ATTRACTION) or not any(title_scores.values())) and _MUSEUM_LIKE.search(text):
        if _ART_MUSEUM.search(text):
            return Category.ARTS_CREATIVITY
        if entity_type == VENUE or not any(title_scores.values()):
            return Category.EDUCATIONAL_STEM
    if any(title_scores.values()):
        # Title words decide; the body breaks ties (and order breaks the rest).
        return max(_CATEGORY_RES, key=lambda c: (title_scores[c], body_scores[c]))
    if any(body_scores.values()):
        return max(_CATEGORY_RES, key=lambda c: body_scores[c])
    if entity_type == PROGRAM:
        return Category.CAMPS_PROGRAMS
    return Category.ENTERTAINMENT_EVENTS
