"""The words the rules read: subject nouns by kind, Puget Sound towns, and the typo table.

Vocabulary covers English, Spanish, Chinese, Korean and Vietnamese (the last folded to plain
ASCII, so "Lớp" reads "lop"); Chinese and Korean words match without word boundaries because
those scripts do not space words. A small typo table (one dropped or swapped letter in the
deciding words: "exibit", "sesion", "dispaly") runs before the vocabulary.
"""

from __future__ import annotations

import re


def any_of(*alternatives: str) -> str:
    """One non-capturing group matching any of the regular-expression `alternatives`."""
    return r"(?:" + "|".join(alternatives) + r")"


# Nouns that name the subject of a listing, by kind. Longer phrases win over the words inside
# them ("open gym" over "gym", "spray park" over "park", "ropes course" over "course").
# Latin-script words (English, Spanish, and Vietnamese after accents are folded away) match
# as whole words with an optional plural "s"; Chinese and Korean words match anywhere,
# because those scripts do not put spaces between words.
NOUNS: dict[str, tuple[str, ...]] = {
    "place": (
        r"museums?", r"museo", r"library", r"biblioteca", r"branch", r"zoo", r"aquarium", r"parks?",
        r"state park", r"beach park", r"farms?", r"ranch", r"pool", r"piscina", r"caf[eé]", r"play ?cafe",
        r"cent(?:er|re)", r"gym", r"arena", r"roller rink", r"ice (?:arena|rink|cent(?:er|re))",
        r"theat(?:er|re)", r"school", r"studio", r"arcade", r"lanes", r"bowling", r"conservatory",
        r"botanical gardens?", r"garden cent(?:er|re)", r"nursery", r"book ?(?:shop|store)", r"bookshop",
        r"store", r"mall", r"play ?space", r"play ?zone", r"play ?loft", r"indoor play(?:ground|grond)?",
        r"trampoline park", r"water ?park", r"fun (?:cent(?:er|re)|land)", r"funland", r"mini golf",
        r"go-?karts", r"skate ?park", r"marina", r"preserve", r"ymca", r"union building",
        r"kids'? (?:gym|barn|farm)", r"academy", r"adventure park", r"play ?(?:center|arena)", r"playland",
        r"boutique", r"shop", r"boathouse",
        r"escape rooms?", r"puzzle rooms?", r"climbing gym", r"rock gym", r"bouldering gym",
        r"bowling alley", r"bowl", r"(?:family )?entertainment cent(?:er|re)", r"amusement park",
        r"theme park", r"wildlife park", r"safari park", r"nature cent(?:er|re)", r"toy library",
        r"toy (?:store|shop)", r"(?:board )?game (?:cafe|store|shop)", r"board game cafe",
        r"swim school", r"dojo", r"rink", r"sportsplex", r"field ?house", r"bike park", r"orchard",
        r"ski (?:area|resort|hill)", r"tubing (?:park|cent(?:er|re))", r"sno-?park", r"campground",
        r"wildlife refuge", r"refuge", r"sanctuary", r"natural area", r"playhouse", r"cinema",
        r"movie theat(?:er|re)", r"amphitheat(?:er|re)", r"stadium", r"ballpark", r"fairgrounds",
        r"aquatic cent(?:er|re)", r"natatorium", r"gymnasium", r"lodge", r"(?:fish |salmon )?hatchery",
        r"trampoline (?:park|arena|cent(?:er|re))", r"trampolines", r"ninja gym", r"clubhouse",
        r"stables", r"indoor courts?", r"playfield", r"sports? (?:complex|fields)",
        r"athletic (?:complex|fields)", r"cafe & play", r"(?:scenic |heritage )?rail(?:road|way)",
        r"skate ?land", r"(?:fun|play|jump|wonder|kid|adventure)land", r"kids cafe", r"makerspace",
        # Vietnamese (accents folded): library, museum, park, pool, center, zoo
        r"thu vien", r"bao tang", r"cong vien", r"ho boi", r"trung tam", r"so thu",
        r"图书馆", r"博物馆", r"探索馆", r"[^\s]{1,6}馆", r"中心", r"乐园", r"公园", r"农场", r"动物园",
        r"游泳池", r"museo de \w+", r"parque",
        r"도서관", r"박물관", r"미술관", r"과학관", r"수족관", r"공원", r"수영장", r"센터", r"동물원",
        r"놀이공원", r"키즈카페", r"체육관", r"농장", r"볼링장", r"아이스링크",
    ),
    "event": (
        r"festival", r"fest", r"fair", r"faire", r"parade", r"concerts?", r"concert series", r"performances?",
        r"recital", r"puppet show", r"magic show", r"musical", r"market", r"race", r"fun run", r"5k",
        r"dash", r"triathlon", r"derby", r"part(?:y|ies)", r"celebrat(?:ion|e)", r"dance party",
        r"father-daughter dance", r"\w+ dance night",
        r"(?:daddy|father|mother|mommy)[- ](?:daughter|son) dance",
        r"gala", r"talk", r"lecture", r"workshop", r"story ?times?", r"storytme", r"lapsit", r"rhyme time",
        r"toddler time", r"music time", r"sing-?along", r"open gym", r"open swim", r"family swim",
        r"swim night", r"(?:public|family|toddler|open|glow|cosmic|teen|adult|disco|all-ages|holiday) skate",
        r"(?:rec|public|lap|parent-tot|preschool|teen|toddler) swim", r"(?:open|toddler|family|glow) jump",
        r"(?:cosmic|glow) bowling", r"open play", r"stay (?:and|&|n) play", r"play ?group", r"playdate",
        r"open mic", r"movie", r"movie night", r"matinee",
        r"film screening", r"screening", r"night", r"bingo", r"curator tour", r"tours?", r"lantern walk",
        r"art walk", r"solstice walk", r"egg hunt", r"scavenger hunt", r"demonstration",
        r"demo", r"meet (?:the|a|an)\b", r"reading", r"author", r"book signing", r"carving",
        r"breakfast with", r"lunch with", r"tea party", r"(?:free|family|kids'?|snow|community) day",
        r"science (?:saturday|sunday)", r"sensory[- ]friendly", r"sensory (?:saturday|morning|hour)",
        r"free first \w+", r"clean-?up", r"picnic", r"train rides?", r"santa train", r"polar express",
        r"tree lighting", r"trick-or-treat", r"carnival", r"drop-?in", r"open house", r"showcase",
        r"fiesta", r"noche de", r"hora del cuento", r"taller", r"celebracion", r"desfile", r"concierto",
        r"feria", r"mercado", r"carrera", r"ceremony", r"game night", r"jam", r"show",
        r"glow dodgeball", r"fishing derby", r"kids dash", r"opening night",
        r"grand opening (?:party|celebration)", r"family night",
        r"bash", r"jamboree", r"hoedown", r"social", r"meet-?up", r"hike", r"walk", r"bird walk",
        r"nature walk", r"guided (?:walk|hike|tour)", r"cruise", r"sail", r"bike ride", r"tournament",
        r"match", r"game day", r"sale", r"swap", r"expo", r"convention", r"premiere", r"sing",
        r"karaoke", r"trivia", r"(?:free|messy|pretend) play", r"stage (?:play|show|adaptation)",
        r"adaptation",
        r"opera", r"circus", r"magician", r"juggler", r"puppets?",
        r"(?:photos|visit|visits|pictures) with santa",
        r"pancake breakfast", r"breakfast", r"brunch", r"fireworks", r"boat parade", r"regatta", r"rodeo",
        r"pow-?wow", r"lion dance", r"countdown", r"hunt", r"contest", r"competition", r"spelling bee",
        r"sock hop", r"disco", r"gathering", r"potluck", r"info(?:rmation)? (?:session|night|meeting)",
        r"tasting", r"cook-?off", r"bake sale", r"book sale", r"book fair", r"lecture series", r"block party",
        r"pinewood derby", r"read-?aloud", r"stomp", r"sleepover", r"overnight", r"campout", r"lock-?in",
        r"(?:public|open|skate|play|jump|family|drop-in|sensory) sessions?", r"cuentos", r"cuentacuentos",
        r"baile", r"dia del nino",
        # A public body's listings are its meetings: "Regular School Board Meeting", "Budget
        # Hearings", "Special Closed Session" (a session of a sitting, not of a term).
        r"meetings?", r"hearings?", r"town hall", r"public comment", r"interviews?",
        r"(?:special|closed|regular|work|study|budget|executive|joint|strategic|legislative) sessions?",
        # "Tide Pool Day", "Dino Day", "Field Day": a day named for its theme is one happening;
        # not "every day", "day camp", "day pass" (T7) or a holiday that only names a date.
        r"(?:[a-z']+ )?(?!(?:every|all|each|per|one|two|a|any|same|full|half|whole|school|week|this|that"
        r"|the|next|last|labor|memorial|independence|presidents'?|veterans|thanksgiving|christmas)\b)"
        r"[a-z']+ day(?!s| (?:camps?|pass|passes|care|use|trips?|rate))",
        r"no[- ]school(?: day)?",
        r"le hoi", r"hoi cho", r"su kien", r"bieu dien", r"mua lan", r"tiec",
        r"活动", r"庙会", r"讲座", r"工作坊", r"音乐会", r"演出", r"春节", r"派对", r"故事会",
        r"游行", r"集市",
        r"中秋节", r"元宵节", r"端午节", r"灯会", r"表演", r"比赛", r"聚会",
        r"축제", r"행사", r"공연", r"워크숍", r"워크샵", r"파티", r"콘서트", r"퍼레이드", r"마켓", r"장터",
        r"동화 ?구연", r"설명회", r"음악회", r"대회", r"박람회",
    ),
    "program": (
        r"classes", r"clases", r"lessons?", r"league", r"team", r"course", r"curso", r"programs?",
        r"programa", r"programme", r"sessions?", r"term", r"semester", r"series", r"level \d", r"lvl",
        r"tryouts", r"registration", r"enrol(?:l)?ment", r"preschool", r"pre-?k", r"after[- ]school",
        r"homeschool", r"scouts?", r"troop", r"tutoring", r"learn to", r"beginning",
        r"fundamentals", r"for beginners", r"temporada", r"inscripcion", r"reading challenge",
        r"reading program", r"reading bingo", r"clinic \(\d", r"\bjr\.? lifeguard", r"junior lifeguards?",
        r"mommy & me \w+ series", r"intensive", r"boot ?camp", r"kindergarten", r"day ?care", r"child ?care",
        r"before[- ]school", r"(?:forest|nature|outdoor|co-?op|saturday|sunday|weekend|language|heritage"
        r"|chinese|mandarin|korean|japanese|spanish|ski|snowboard|drama|summer) school",
        r"instruction", r"training", r"cohort", r"squad", r"(?:week|session) \d+", r"u-?(?:[4-9]|1[0-9])",
        r"(?:sailing|rowing|dance|music|art|coding|circus) school", r"orchestra", r"choir", r"ensemble",
        r"rehearsals", r"auditions", r"pack \d+", r"swim team", r"level (?:[ivx]{1,3}|[a-d])",
        r"(?:fall|winter|spring|summer) (?:session|term|semester|quarter|season)",
        r"lop", r"khoa hoc", r"hoc phi",
        r"班", r"课程?", r"学期", r"培训", r"学校", r"训练营",
        r"수업", r"강좌", r"교실", r"레슨", r"과정", r"학기", r"리그", r"학교", r"캠프",
    ),
    # Words that lean PROGRAM but name one-off things too ("Lego Club (drop-in)", "Dance Night",
    # a one-morning "Soccer Clinic").
    "class": (
        r"class", r"clase", r"lesson", r"dance", r"club", r"clinic", r"lab", r"intro to", r"introduction to",
    ),
    "feature": (
        r"exhibits?", r"exhibition", r"exposicion", r"展览", r"展", r"gallery", r"installation",
        r"displays?", r"permanent collection", r"collection", r"habitat", r"touch (?:tank|pool)",
        r"tide pool touch tank", r"(?:otter|seal|ray|wading|tide) pool", r"playground", r"play ?area",
        r"nature play", r"splash pad", r"spray ?park", r"water play", r"carousel", r"merry-go-round",
        r"trail", r"story ?walk", r"canopy walk", r"dino walk", r"observation (?:deck|level)",
        r"treehouse", r"climbing structure", r"dig pit", r"fossil", r"fish ladder", r"salmon ladder",
        r"viewing window", r"mirror room", r"reptile room", r"zipline", r"zip ?lines?", r"skeleton",
        r"planetarium show", r"imax", r"butterfly house", r"mariposas", r"art studio \(ongoing\)",
        r"sculptures?", r"mini train", r"miniature (?:train|railroad|railway)", r"play table",
        r"ferris wheel", r"roller coaster", r"coaster", r"climbing wall", r"fountain", r"mural",
        r"lookout", r"viewpoint", r"overlook", r"boardwalk", r"observatory", r"labyrinth", r"aviary",
        r"petting (?:zoo|barn|farm)", r"encounter", r"simulator", r"viewing dome",
        r"ropes course", r"obstacle course", r"(?:ninja|warrior|ninja warrior) course", r"challenge course",
        r"(?:boat|bike|kayak"
        r"|canoe|paddle ?board|pedal boat|skate|tube) rentals?", r"rentals", r"story ?(?:stroll|trail|path)",
        r"storywalk", r"wave pool", r"lazy river", r"splash zone", r"sandbox", r"sand ?pit", r"train table",
        r"climbing net", r"sledding hill", r"snow play area", r"mirror maze", r"hedge maze", r"pony rides?",
        r"animal encounters?", r"exhibit hall", r"diorama", r"totem poles?", r"tot lot", r"play ?structure",
        r"spray ?ground", r"water table", r"pump track", r"batting cages", r"tide ?pools", r"statue",
        r"deck", r"bridge", r"slide", r"wheel", r"tunnel", r"pond", r"dome", r"landmark", r"public art",
        r"garden railway", r"reading nook", r"self-guided (?:walk|tour|trail|nature trail)", r"sensory room",
        r"jellyfish", r"octopus", r"dinosaurs?",
        r"zona de juegos(?: de agua| infantiles)?", r"juegos de agua", r"area de juegos", r"parque infantil",
        r"juegos infantiles", r"chapoteadero", r"fuente interactiva", r"sala de exhibicion",
        r"khu vui choi", r"san choi", r"trien lam", r"dai phun nuoc",
        r"游乐场", r"喷泉", r"滑梯", r"步道", r"旋转木马", r"展区", r"触摸池", r"展厅", r"戏水区", r"游乐区",
        r"栖息地", r"观景台", r"特展", r"터치 ?풀", r"전시관", r"전망대",
        r"놀이터", r"전시", r"분수", r"물놀이터", r"회전목마", r"산책로",
    ),
    # Generic words that name features but also sit inside brand names ("Jump Zone", "The
    # Hub Climbing Wall Co."): they lean ATTRACTION, but place facts can outweigh them.
    "minor": (
        r"zone", r"den", r"ride", r"wall", r"room", r"area", r"hall", r"loft", r"nook", r"pit", r"tank",
        r"wing",
    ),
    "seasonal": (
        r"pumpkin patch", r"corn maze", r"hay maze", r"sunflower maze", r"maze", r"u-?pick", r"u-?cut",
        r"pick[- ]your[- ]own",
        # holiday lights, not "lights dimmed" at a sensory hour or "black lights" at a skate night
        r"(?<!black )(?<!dim )(?<!low )(?<!string )(?<!strobe )lights(?! (?:low|dim|dimmed|off|out|up|down"
        r"|on|turned))",
        r"light (?:display|walk|show|trail|festival)",
        r"zoolights", r"wildlights", r"d'lights", r"gingerbread (?:village|display)", r"gingerbread",
        r"(?:seasonal|outdoor|holiday|winter) (?:ice |skating )?rink", r"ice rink", r"skating rink",
        r"tulip fields?", r"tulip display", r"daffodil fields?", r"santa", r"reindeer", r"christmas village",
        r"haunted", r"choose[- ](?:and|&|n)[- ]cut", r"sunflower fields?",
        r"lavender fields?", r"berry picking", r"apple picking", r"pumpkin (?:field|lot)",
        r"vuon bi ngo", r"me cung", r"laberinto(?: de maiz)?",
        r"灯光", r"灯光节", r"南瓜田", r"南瓜园", r"南瓜地", r"玉米迷宫", r"迷宫",
        r"호박밭", r"옥수수 ?미로", r"미로", r"일루미네이션", r"빛 ?축제",
    ),
    "garden": (r"gardens?", r"jardin", r"vuon hoa", r"花园", r"정원"),
    # Things people do. Alone they say little; they tip a dated or bare title towards a
    # class or a one-off happening rather than a place or a feature.
    "activity": (
        r"soccer", r"futbol", r"basketball", r"baseball", r"t-?ball", r"softball", r"volleyball",
        r"football", r"lacrosse", r"hockey", r"tennis", r"pickleball", r"golf", r"swim(?:ming)?",
        r"natacion", r"diving", r"gymnastics", r"tumbling", r"cheer(?:leading)?", r"ballet", r"tap",
        r"jazz", r"hip ?hop", r"karate", r"taekwondo", r"tae kwon do", r"judo", r"jiu-?jitsu", r"kung fu",
        r"martial arts", r"fencing", r"archery", r"climbing", r"skating", r"skiing", r"snowboarding",
        r"yoga", r"pottery", r"ceramics", r"painting", r"drawing", r"watercolor", r"art", r"music",
        r"piano", r"violin", r"cello", r"guitar", r"ukulele", r"drums?", r"choir", r"singing", r"drama",
        r"acting", r"improv", r"coding", r"programming", r"robotics", r"stem", r"steam", r"science",
        r"chess", r"math", r"spanish", r"mandarin", r"french", r"japanese", r"cooking", r"baking",
        r"sewing", r"knitting", r"photography", r"filmmaking", r"lego", r"minecraft", r"parkour",
        r"ninja", r"rowing", r"sailing", r"kayaking", r"cross country", r"track", r"wrestling",
        r"游泳", r"舞蹈", r"绘画", r"书法", r"钢琴", r"中文", r"编程",
        r"태권도", r"수영", r"발레", r"미술", r"피아노", r"축구", r"코딩",
    ),
}


_UNSPACED_SCRIPT = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")


def _noun_pattern(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    spaced = [a for a in alternatives if not _UNSPACED_SCRIPT.search(a)]
    unspaced = [a for a in alternatives if _UNSPACED_SCRIPT.search(a)]
    # A plural "s" is allowed after any Latin-script noun ("habitats", "exhibits").
    pattern = rf"(?<![\w-]){any_of(*spaced)}s?(?![\w])"
    if unspaced:
        pattern += "|" + any_of(*unspaced)
    return re.compile(pattern)


NOUN_PATTERNS: dict[str, re.Pattern[str]] = {kind: _noun_pattern(words) for kind, words in NOUNS.items()}


# Puget Sound towns and neighbourhoods: "Jump Zone Bellevue", "Trampoline Park - Kent" name a
# branch of a business, which is a place (R1). Only read at the end of a title.
LOCALITIES = (
    "seattle", "bellevue", "redmond", "kirkland", "kent", "renton", "tukwila", "lynnwood", "everett",
    "issaquah", "sammamish", "bothell", "shoreline", "edmonds", "federal way", "tacoma", "auburn",
    "burien", "woodinville", "mercer island", "puyallup", "mukilteo", "snohomish", "marysville",
    "lakewood", "des moines", "seatac", "kenmore", "mill creek", "bainbridge", "north bend",
    "snoqualmie", "duvall", "carnation", "maple valley", "covington", "olympia", "lake stevens",
    "monroe", "gig harbor", "ballard", "fremont", "wallingford", "capitol hill", "west seattle",
    "georgetown", "queen anne", "northgate", "u district", "university village", "south lake union",
    "alderwood", "southcenter", "crossroads", "factoria", "totem lake", "eastside", "downtown",
)


# Typos in the words that decide a label ("exibit", "sesion", "dispaly", "libary"). Each key
# word spawns its one-letter deletions and adjacent swaps, never touching the first or the
# last letter (few typos do; that keeps "heater" from reading as "theater", "light" as
# "lights" and "Frida" as "Friday").
_TYPO_WORDS = (
    "exhibit", "exhibits", "exhibition", "display", "displays", "playground", "carousel", "storytime",
    "festival", "workshop", "classes", "lessons", "session", "sessions", "museum", "library",
    "aquarium", "gymnastics", "parade", "concert", "celebration", "halloween", "christmas",
    "holiday", "pumpkin", "birthday", "beginner", "beginners", "program", "programs", "semester",
    "tuition", "register", "registration", "enrollment", "saturday", "saturdays", "sunday", "sundays",
    "monday", "mondays", "tuesday", "tuesdays", "wednesday", "wednesdays", "thursday", "thursdays",
    "friday", "fridays", "weekly", "admission", "available", "welcome",
    "garden", "gallery", "theater", "theatre", "community", "center", "family", "daily", "nightly",
    "lights", "trampoline", "swimming", "league", "tournament", "performance", "installation",
)


def _typo_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for word in _TYPO_WORDS:
        variants = {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}
        variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
        for variant in variants:
            if len(variant) >= 5 and variant not in _TYPO_WORDS:
                table.setdefault(variant, word)
    return table


_TYPOS = _typo_table()
_TOKEN = re.compile(r"\b[a-z]{5,}\b")


def fix_typos(text: str) -> str:
    """Folded text with the typos of the deciding words corrected ("exibit" -> "exhibit")."""
    return _TOKEN.sub(lambda m: _TYPOS.get(m.group(0), m.group(0)), text)


def noun_hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of vocabulary nouns, longest first where they overlap."""
    hits: list[tuple[int, int, str]] = []
    for kind, pattern in NOUN_PATTERNS.items():
        for match in pattern.finditer(text):
            hits.append((match.start(), match.end(), kind))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    kept: list[tuple[int, int, str]] = []
    for hit in hits:
        if all(hit[1] <= k[0] or hit[0] >= k[1] for k in kept):
            kept.append(hit)
    kept.sort()
    return kept
