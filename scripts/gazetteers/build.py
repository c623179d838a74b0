#!/usr/bin/env python3
"""Build Lede's entity gazetteer, resources/gazetteers/lede.tsv.

Inputs
  * MITRE ATT&CK software/groups/campaigns   DATA/attack/mitre-attack.tsv
  * S&P 500 constituents                      DATA/companies/sp500.csv
  * the curated lists written for Lede        resources/gazetteers/curated/*.tsv
  * given names                               resources/gazetteers/curated/given-names.txt

Outputs (both deterministic and sorted)
  * resources/gazetteers/lede.tsv
  * resources/gazetteers/given-names.txt

Format of lede.tsv (and of the curated .tsv inputs):
  TYPE <TAB> canonical <TAB> alias|alias|... <TAB> flags [<TAB> source]
(the curated inputs have no source column; lede.tsv names each row's list:
mitre-attack:ID, sp500:SYMBOL or curated:FILE).  TYPE is PERSON, COMPANY, NATION, ATTACK or ORGANIZATION.  A form written
with a leading "=" is case-sensitive.  The flag "nonentity" marks phrases
that block tagging (products, treaties, events, regions...).

Python 3 standard library only.  "Is this an ordinary English word?" is
answered by the system word list (Debian package wamerican,
/usr/share/dict/words) when present, else by a small built-in list.

Usage:
  python3 scripts/gazetteers/build.py [--data DIR] [--words FILE]
                                      [--out FILE] [--check] [--verbose]
"""

import argparse
import csv
import os
import re
import sys
import unicodedata

TYPES = ("PERSON", "COMPANY", "NATION", "ATTACK", "ORGANIZATION")
FLAGS = ("nonentity",)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GAZ = os.path.join(REPO, "resources", "gazetteers")
CURATED = os.path.join(GAZ, "curated")
CURATED_FILES = (  # order = priority when two curated rows collide
    "nations.tsv",
    "organizations.tsv",
    "attacks.tsv",
    "companies.tsv",
    "persons.tsv",
)

# Source priorities: a lower number wins canonical names and conflicts.
PRIO_CURATED, PRIO_SP500, PRIO_MITRE = 0, 1, 2

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

# Fallback when /usr/share/dict/words is missing: frequent English words that
# are also used as names of malware, groups, companies or places.
FALLBACK_WORDS = """
a about after agenda air all alliance amazon anchor and apple armageddon art
at avenger axiom ball bank bear best black blue bread buckeye buy cannon
capital carbon carnival caterpillar chaos chameleon charger chile china
circles cloud cobalt comment congress crimson crown cuba dark deep desert
disco dragonfly dynamics elfin emissary empire energy epic equation evil
exodus expand explosive fancy fed first flame general gold golden green
guinea helminth hive home house international iron japan joker key kitten
leviathan line mango mantis maze meteor mirage monster mosaic mosquito
national net ninja octopus oracle orange page patchwork ping play polish
pony power prestige progressive proton public reaper red regions republic
responder rising rover royal ruler samurai senate shark shell silence sliver
snake soldier solar spark spider state steel storm strider sun swift target
team the tick travelers treasury trinity triton turkey united us viper visa
waste water white who wiper workday zen zinc
"""


def load_words(path):
    """Return (ordinary lowercase words, capitalised dictionary entries, ok)."""
    ordinary, proper = set(), set()
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                w = line.strip()
                if not w or "'" in w:
                    continue
                if w.islower():
                    ordinary.add(w)
                elif w[0].isupper():
                    proper.add(w)
        return ordinary, proper, True
    except OSError:
        return set(FALLBACK_WORDS.split()), set(), False


WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)

# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------


def bare(form):
    return form[1:] if form.startswith("=") else form


def is_cs(form):
    return form.startswith("=")


def key(form):
    """Identity of a surface form: case-folded, quotes and dashes unified."""
    s = bare(form)
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u2013", "-").replace("\u2011", "-").replace("\u2010", "-")
    return unicodedata.normalize("NFC", s).casefold()


def tokens(form):
    return [t for t in WORD_RE.findall(bare(form)) if len(t) > 1]


class Words:
    def __init__(self, ordinary, proper):
        self.ordinary = ordinary
        self.proper = proper

    def is_ordinary(self, tok):
        return tok.lower() in self.ordinary

    def all_ordinary(self, form):
        """True if every word of the form is an ordinary English word, so
        that the form must match case-sensitively.  A word with a digit or
        an inner symbol (APT28, AT&T, U.S., admin@338) is distinctive."""
        words = []
        for raw in re.split(r"[\s\u2010-\u2015-]+", bare(form)):
            w = raw.strip(".,;:!?()\"'\u2019")
            if w.endswith(("'s", "\u2019s")):
                w = w[:-2]
            if not w or not any(c.isalnum() for c in w):
                continue            # "&" alone does not count
            if not w.isalpha():
                return False        # APT28, 0501, AT&T, U.S., Yahoo!
            if len(w) == 1:
                continue
            words.append(w)
        return bool(words) and all(self.is_ordinary(w) for w in words)

    def in_dict(self, tok):
        return tok.lower() in self.ordinary or tok in self.proper or \
            tok.capitalize() in self.proper


# ---------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------


class Entity:
    __slots__ = ("type", "canonical", "forms", "flags", "prio", "origin",
                 "order")

    def __init__(self, type_, canonical, aliases=(), flags=(), prio=0,
                 origin="", order=0):
        self.type = type_
        self.canonical = canonical
        self.forms = {}  # key -> form as written (with '=' when case-sensitive)
        self.flags = set(flags)
        self.prio = prio
        self.origin = origin
        self.order = order
        self.add(canonical)
        for a in aliases:
            self.add(a)

    def add(self, form):
        """Add a surface form.  Forms with the same key (case-folded) are
        one reading; a case-sensitive form beats a case-insensitive one
        (precision), and several case-sensitive spellings (=Triton,
        =TRITON) are all kept."""
        form = form.strip()
        if not bare(form).strip():
            return
        k = key(form)
        old = self.forms.get(k)
        if old is None:
            self.forms[k] = [form]
        elif is_cs(form):
            if not is_cs(old[0]):
                self.forms[k] = [form]
            elif form not in old:
                old.append(form)
        # a case-insensitive form adds nothing to an existing reading

    def remove(self, k):
        self.forms.pop(k, None)

    def all_forms(self):
        for k in self.forms:
            for f in self.forms[k]:
                yield f

    @property
    def nonentity(self):
        return "nonentity" in self.flags

    @property
    def ckey(self):
        return key(self.canonical)


def warn(msg):
    print("build.py: warning: " + msg, file=sys.stderr)


def read_curated(path, prio, order_start, errors):
    out = []
    seen = set()
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            while len(cols) < 4:
                cols.append("")
            if len(cols) > 4:
                errors.append("%s:%d: more than 4 columns" % (path, lineno))
                continue
            type_, canon, aliases, flags = (c.strip() for c in cols)
            where = "curated:%s:%d" % (os.path.splitext(os.path.basename(path))[0], lineno)
            if type_ not in TYPES:
                errors.append("%s: bad type %r" % (where, type_))
                continue
            if not bare(canon):
                errors.append("%s: empty canonical name" % where)
                continue
            flagset = [f.strip() for f in flags.split(",") if f.strip()]
            for f in flagset:
                if f not in FLAGS:
                    errors.append("%s: unknown flag %r" % (where, f))
            ident = (type_ if "nonentity" not in flagset else "-",
                     key(canon))
            if ident in seen:
                errors.append("%s: duplicate row %s %s" % (where, type_, canon))
                continue
            seen.add(ident)
            al = [a.strip() for a in aliases.split("|") if a.strip()]
            out.append(Entity(type_, canon, al, flagset, prio, where,
                              order_start + len(out)))
    return out


# ---------------------------------------------------------------------------
# MITRE ATT&CK
# ---------------------------------------------------------------------------

# Tools that are built-in commands, legitimate admin/remote-access software
# or general-purpose products: never tagged as ATTACK.
MITRE_LEGIT_TOOLS = {
    "adfind", "arp", "at", "attrib", "bitsadmin", "certutil", "cipher.exe",
    "cmd", "connectwise", "screenconnect", "dsquery", "esentutl", "expand",
    "forfiles", "frp", "ftp", "ifconfig", "ipconfig", "meek", "nbtscan",
    "nbtstat", "net", "netsh", "netstat", "ngrok", "nltest", "ping", "psexec",
    "quick assist", "rawdisk", "rclone", "reg", "remoteutilities", "route",
    "schtasks", "sdelete", "systeminfo", "tasklist", "tor", "wevtutil",
    "winexe", "mcmd", "out1", "xbot", "empire",
}

# Surface forms dropped from MITRE rows: ordinary words, given names,
# places, companies, too-generic acronyms, descriptive titles.
MITRE_DROP_FORMS = {
    # ordinary words / phrases, too noisy even case-sensitively
    "play", "silence", "inception", "equation", "mirage", "reaper", "tick",
    "cicada", "page", "photo", "agenda", "soldier", "trinity", "viper",
    "scorpion", "joker", "mantis", "armageddon", "rattlesnake", "sidewinder",
    "strider", "cleaver", "chimera", "rising sun", "wiper", "krypton",
    "elfin", "buckeye", "monsoon", "anchor", "golden cup", "cherry picker",
    "spark", "exodus one", "exodus two", "kaba", "haymaker", "canopy",
    "calendar", "mosquito", "disco", "pony", "skid", "netc", "royal",
    "prestige", "embargo", "lucifer", "solar", "circles", "responder",
    "aurora", "mailto", "zlib", "h1n1", "ramsay",
    # given names, person-like and place names
    "james", "kevin", "milan", "denis", "judy", "elise", "cuba", "pandora",
    "confucius", "akira _v2", "agent smith", "escobar", "spica", "pallas",
    "mori", "zen", "ninja", "samurai", "octopus", "matryoshka",
    # companies and products
    "adups", "allwinner", "darkmatter", "hacking team uefi rootkit",
    "bbk", "quick assist", "tiktok pro", "oxide", "briar", "ricinus",
    # short / generic acronyms
    "ps1", "lv", "tvt", "inc", "inc ransomware", "dfls", "gref", "sc5k",
    "psvc", "taal", "dok", "orz", "zox", "yty", "abk", "rtm", "irn2", "cvnx",
    "elbrus",
    # descriptive or placeholder alias forms
    "blackenergy (group)", "custom hdoor", "usb stealer", "unidentified 111",
}

# Capitalised ordinary words kept (case-sensitive) as ATTACK names because
# they are famous malware names.
MITRE_KEEP_WORDS = {"flame", "maze", "triton", "snake"}

# Canonical names replaced (MITRE name -> name used in news).
MITRE_RENAME = {
    "Equation": "Equation Group",
}

# Campaigns whose (multi-word) name is a code name rather than a title.
MITRE_CAMPAIGN_ALLOW = {"Night Dragon", "Juicy Mix", "APT41 DUST"}

# Surface form -> type, for forms MITRE lists under several kinds.
FORM_TYPE_OVERRIDE = {
    "snake": "ATTACK",        # Snake/Uroburos implant (FBI 2023); Turla is the group
    "sofacy": "ORGANIZATION",
    "sednit": "ORGANIZATION",
    "cozyduke": "ORGANIZATION",
    "cozybear": "ORGANIZATION",
    "cozy bear": "ORGANIZATION",
    "whitebear": "ORGANIZATION",
    "projectsauron": "ORGANIZATION",
    "pirpi": "ORGANIZATION",
    "carbanak": "ORGANIZATION",  # news: "the Carbanak gang"; malware too
    "anunak": "ORGANIZATION",
    "strongpity": "ORGANIZATION",
    "keyboy": "ATTACK",
    "winnti": "ORGANIZATION",
    "blackenergy": "ATTACK",
    "lapsus$": "ORGANIZATION",
}

GROUPLIKE = re.compile(
    r"(group|team|gang|crew|apt|spider|panda|bear|kitten|typhoon|blizzard|"
    r"sandstorm|sleet|tempest|chollima|\bfin\d|\bta\d|\bunc\d)", re.I)

MALWARE_SUFFIX = re.compile(
    r"\s+(?:Ransomware|for (?:Linux|Windows|Android|iOS|macOS))$")


def mitre_form_ok(form, kind, etype, words, given, stats):
    """Return the form to keep (maybe case-sensitive) or None."""
    f = form.strip()
    if f.startswith("The "):
        f = f[4:]                   # the span never includes "the"
    k = key(f)
    if not f or k in MITRE_DROP_FORMS:
        return None
    if ".exe" in k or "(" in f:
        return None
    if kind == "tool" and (k in MITRE_LEGIT_TOOLS or len(f) <= 3):
        return None
    if len(f) <= 2:
        return None
    toks = tokens(f)
    single = len(f.split()) == 1
    if single and f in given and k not in ("akira", "conti"):
        stats.setdefault("given", []).append(f)
        return None
    if single and f.isupper() and f.isalpha() and (
            words.in_dict(f) or f.capitalize() in given):
        return "=" + f              # ELMER, MEDUSA, ZINC: exact only
    if single and f.isupper() and f.isalpha() and len(f) > 4 and \
            etype == "ORGANIZATION":
        # code names (NOBELIUM, SEABORGIUM, XENOTIME): as MITRE writes them
        # or as news does ("Nobelium"), nothing else
        return ["=" + f, "=" + f.capitalize()]
    if len(f) == 3:
        if words.is_ordinary(f):
            return None
        return "=" + f
    if single and len(toks) == 1 and words.is_ordinary(toks[0]) and \
            bare(f) == toks[0]:
        # the whole form is one dictionary word
        if f.isupper():
            return "=" + f          # MITRE all-caps name (ZINC, STRONTIUM)
        if f[0].islower():
            return None             # lower-case ordinary word (meek, oxide)
        if etype == "ORGANIZATION" or k in MITRE_KEEP_WORDS:
            return "=" + f
        if any(c.isupper() for c in f[1:]):
            return "=" + f          # camel case (NightClub, BloodHound)
        stats.setdefault("word", []).append(f)
        return None
    if kind == "tool" and single and words.in_dict(f):
        return None
    return f


def load_mitre(path, words, given, errors, order_start):
    ents = []
    stats = {}
    with open(path, encoding="utf-8") as fh:
        rd = csv.reader(fh, delimiter="\t")
        header = next(rd)
        if header[:3] != ["kind", "name", "aliases"]:
            errors.append("%s: unexpected header %r" % (path, header))
            return ents, stats
        for row in rd:
            if len(row) < 3:
                continue
            kind, name, aliases = row[0], row[1].strip(), row[2]
            attack_id = row[3].strip() if len(row) > 3 else ""
            aliases = [a.strip() for a in aliases.split("|") if a.strip()]
            if kind == "intrusion-set":
                etype = "ORGANIZATION"
            elif kind in ("malware", "tool"):
                etype = "ATTACK"
            elif kind == "campaign":
                etype = "ATTACK"
                if re.fullmatch(r"C\d{4}", name):
                    continue
                if not (name.startswith("Operation ")
                        or name in MITRE_CAMPAIGN_ALLOW
                        or (len(name.split()) == 1
                            and not words.in_dict(name))):
                    stats.setdefault("campaign-skipped", []).append(name)
                    continue
            else:
                continue
            if kind == "malware":
                name = MALWARE_SUFFIX.sub("", name)
                aliases = [MALWARE_SUFFIX.sub("", a) for a in aliases]
            name = MITRE_RENAME.get(name, name)
            forms = [name] + aliases
            # "Operation X" aliases of groups are operations: ATTACK rows.
            if etype == "ORGANIZATION":
                ops = [a for a in aliases if a.startswith("Operation ")]
                for op in ops:
                    ents.append(Entity("ATTACK", op, (), (), PRIO_MITRE,
                                       "mitre-attack:%s" % (attack_id or name),
                                       order_start + len(ents)))
                forms = [f for f in forms if f not in ops]
            kept = []
            for f in forms:
                g = mitre_form_ok(f, kind, etype, words, given, stats)
                if isinstance(g, list):
                    kept.extend(g)
                elif g is not None:
                    kept.append(g)
                else:
                    stats.setdefault("dropped", []).append("%s: %s" % (kind, f))
            if not kept:
                continue
            ents.append(Entity(etype, kept[0], kept[1:], (), PRIO_MITRE,
                               "mitre-attack:%s" % (attack_id or name),
                               order_start + len(ents)))
    return ents, stats


# ---------------------------------------------------------------------------
# S&P 500
# ---------------------------------------------------------------------------

# Security -> (canonical, [aliases]); aliases may repeat the legal name.
SP500_OVERRIDE = {
    "Alphabet Inc. (Class A)": ("=Alphabet", ["Alphabet Inc."]),
    "Alphabet Inc. (Class C)": ("=Alphabet", ["Alphabet Inc."]),
    "Amazon": ("Amazon", ["Amazon.com", "Amazon.com Inc.", "Amazon Inc."]),
    "Apple Inc.": ("=Apple", ["Apple Inc.", "Apple Computer"]),
    "Meta Platforms": ("Meta Platforms", ["Meta Platforms Inc."]),
    "Ford Motor Company": ("=Ford", ["Ford Motor", "Ford Motor Company",
                                     "Ford Motor Co."]),
    "Lilly (Eli)": ("Eli Lilly", ["Eli Lilly and Company", "Eli Lilly & Co."]),
    "Hartford (The)": ("Hartford Financial Services",
                       ["Hartford Financial Services Group"]),
    "Block, Inc.": ("Block, Inc.", ["Block Inc."]),
    "Fox Corporation (Class A)": ("Fox Corporation", ["Fox Corp."]),
    "Fox Corporation (Class B)": ("Fox Corporation", ["Fox Corp."]),
    "News Corp (Class A)": ("News Corp", ["News Corporation", "News Corp."]),
    "News Corp (Class B)": ("News Corp", ["News Corporation", "News Corp."]),
    "T-Mobile US": ("T-Mobile", ["T-Mobile US"]),
    "Deere & Company": ("John Deere", ["Deere", "Deere & Company",
                                       "Deere & Co."]),
    "Merck & Co.": ("Merck", ["Merck & Co.", "Merck & Co"]),
    "KKR & Co.": ("KKR", ["KKR & Co."]),
    "Arthur J. Gallagher & Co.": ("Arthur J. Gallagher",
                                  ["Arthur J. Gallagher & Co."]),
    "Procter & Gamble": ("Procter & Gamble", ["P&G", "Procter and Gamble"]),
    "Brown\u2013Forman": ("Brown-Forman", ["Brown\u2013Forman"]),
    "O\u2019Reilly Automotive": ("O'Reilly Automotive", []),
    "Domino's": ("Domino's", ["Domino's Pizza"]),
    "Casey's": ("Casey's General Stores", []),
    "Moody's Corporation": ("Moody's", ["Moody's Corporation",
                                        "Moody's Investors Service"]),
    "Yum! Brands": ("Yum! Brands", ["Yum Brands"]),
    "American International Group": ("American International Group",
                                      ["=AIG"]),
    "AES Corporation": ("AES Corporation", ["AES Corp."]),
    "APA Corporation": ("APA Corporation", ["APA Corp."]),
    "CME Group": ("CME Group", []),
    "RTX Corporation": ("RTX Corporation", ["RTX Corp."]),
    "NVR, Inc.": ("NVR, Inc.", ["NVR Inc."]),
    "Dow Inc.": ("Dow Inc.", ["Dow Chemical", "Dow Chemical Company"]),
    "Flex Ltd.": ("Flex Ltd.", []),
    "Coherent Corp.": ("Coherent Corp.", []),
    "Tapestry, Inc.": ("Tapestry, Inc.", ["Tapestry Inc."]),
    "Rollins, Inc.": ("Rollins, Inc.", ["Rollins Inc."]),
    "Carnival Corporation": ("Carnival Corporation", ["Carnival Corp."]),
    "Dover Corporation": ("Dover Corporation", ["Dover Corp."]),
    "Eaton Corporation": ("Eaton Corporation", ["Eaton Corp."]),
    "Waters Corporation": ("Waters Corporation", ["Waters Corp."]),
    "Everest Group": ("Everest Group", []),
    "Travelers Companies (The)": ("Travelers Companies", []),
    "Mosaic Company (The)": ("Mosaic Company", []),
    "Cooper Companies (The)": ("Cooper Companies", []),
    "Walt Disney Company (The)": ("Walt Disney", ["Walt Disney Company",
                                                  "=Disney", "Walt Disney Co."]),
    "Hershey Company (The)": ("Hershey", ["Hershey Company"]),
    "J.M. Smucker Company (The)": ("J.M. Smucker", ["J. M. Smucker",
                                                    "J.M. Smucker Company"]),
    "Estée Lauder Companies (The)": ("Estée Lauder Companies",
                                     ["Estee Lauder Companies"]),
    "Trade Desk (The)": ("Trade Desk", []),
    "Home Depot (The)": ("Home Depot", []),
    "Coca-Cola Company (The)": ("Coca-Cola", ["Coca-Cola Company",
                                              "Coca-Cola Co."]),
    "Paramount Skydance Corporation": ("Paramount Skydance",
                                       ["Paramount Skydance Corporation"]),
    "Old Dominion": ("Old Dominion Freight Line", []),
    "Southern Company": ("Southern Company", []),
    "Public Service Enterprise Group": ("Public Service Enterprise Group",
                                        ["PSEG"]),
    "Edison International": ("Edison International", []),
    "Baxter International": ("Baxter International", []),
    "Lennox International": ("Lennox International", []),
    "Expeditors International": ("Expeditors International", []),
    "Marriott International": ("Marriott", ["Marriott International"]),
    "Mondelez International": ("Mondelez", ["Mondelez International",
                                            "Mondelēz International"]),
    "Philip Morris International": ("Philip Morris International",
                                    ["Philip Morris"]),
    "Booking Holdings": ("Booking Holdings", []),
    "United Airlines Holdings": ("United Airlines", ["United Airlines Holdings"]),
    "Norwegian Cruise Line Holdings": ("Norwegian Cruise Line",
                                       ["Norwegian Cruise Line Holdings"]),
    "TKO Group Holdings": ("TKO Group", ["TKO Group Holdings"]),
    "Carrier Global": ("Carrier Global", []),
    "Bunge Global": ("Bunge", ["Bunge Global"]),
    "Hilton Worldwide": ("Hilton", ["Hilton Worldwide"]),
    "Otis Worldwide": ("Otis Worldwide", []),
    "Genuine Parts Company": ("Genuine Parts", ["Genuine Parts Company"]),
    "Molson Coors Beverage Company": ("Molson Coors",
                                      ["Molson Coors Beverage Company"]),
    "Vulcan Materials Company": ("Vulcan Materials",
                                 ["Vulcan Materials Company"]),
    "Charles Schwab Corporation": ("Charles Schwab",
                                   ["Charles Schwab Corporation", "Schwab"]),
    "State Street Corporation": ("State Street", ["State Street Corporation"]),
    "Regions Financial Corporation": ("Regions Financial",
                                      ["Regions Financial Corporation"]),
    "Target Corporation": ("=Target", ["Target Corporation", "Target Corp."]),
    "Oracle Corporation": ("=Oracle", ["Oracle Corporation", "Oracle Corp."]),
    "Visa Inc.": ("=Visa", ["Visa Inc."]),
    "Ball Corporation": ("=Ball", ["Ball Corporation", "Ball Corp."]),
    "Progressive Corporation": ("=Progressive", ["Progressive Corporation",
                                                 "Progressive Corp."]),
    "Corning Inc.": ("Corning", ["Corning Inc.", "Corning Incorporated"]),
    "Nasdaq, Inc.": ("Nasdaq", ["Nasdaq, Inc.", "Nasdaq Inc."]),
    "F5, Inc.": ("F5", ["F5, Inc.", "F5 Inc.", "F5 Networks"]),
    "UDR, Inc.": ("UDR, Inc.", ["UDR Inc."]),
    "BXP, Inc.": ("BXP", ["BXP, Inc.", "Boston Properties"]),
    "HP Inc.": ("HP Inc.", []),
    "Texas Pacific Land Corporation": ("Texas Pacific Land",
                                       ["Texas Pacific Land Corporation"]),
    "PG&E Corporation": ("PG&E", ["PG&E Corporation", "PG&E Corp.",
                                  "Pacific Gas and Electric"]),
    "Abbott Laboratories": ("Abbott Laboratories", []),
    "Gen Digital": ("Gen Digital", ["NortonLifeLock"]),
    "IQVIA": ("IQVIA", []),
    "Comfort Systems USA": ("Comfort Systems USA", []),
    "U.S. Bancorp": ("U.S. Bancorp", []),
    "Las Vegas Sands": ("Las Vegas Sands", []),
    "Wynn Resorts": ("Wynn Resorts", []),
    "MGM Resorts": ("MGM Resorts", ["MGM Resorts International"]),
    "Warner Bros. Discovery": ("Warner Bros. Discovery",
                               ["Warner Bros Discovery"]),
    "Honeywell Aerospace": ("Honeywell Aerospace", []),
    "Honeywell Technologies": ("Honeywell Technologies", []),
    "Lam Research": ("Lam Research", []),
    "Live Nation Entertainment": ("Live Nation", ["Live Nation Entertainment"]),
    "Keurig Dr Pepper": ("Keurig Dr Pepper", []),
    "Kimberly-Clark": ("Kimberly-Clark", []),
    "Automatic Data Processing": ("Automatic Data Processing", ["=ADP"]),
    "IBM": ("IBM", ["International Business Machines", "I.B.M."]),
    "Salesforce": ("Salesforce", ["Salesforce.com"]),
    "Bank of America": ("Bank of America", ["BofA"]),
    "JPMorgan Chase": ("JPMorgan Chase", ["JPMorgan", "J.P. Morgan",
                                          "JP Morgan", "J.P. Morgan Chase",
                                          "JPMorgan Chase & Co."]),
    "Morgan Stanley": ("Morgan Stanley", []),
    "Exelon": ("Exelon", []),
    "ExxonMobil": ("ExxonMobil", ["Exxon Mobil", "Exxon"]),
    "Sempra": ("Sempra", ["Sempra Energy"]),
    "McCormick & Company": ("McCormick", ["McCormick & Company"]),
    "Roper Technologies": ("Roper Technologies", []),
    "Tesla, Inc.": ("Tesla", ["Tesla, Inc.", "Tesla Inc."]),
    "Nike, Inc.": ("=Nike", ["Nike, Inc.", "Nike Inc."]),
    "Chevron Corporation": ("=Chevron", ["Chevron Corporation",
                                         "Chevron Corp."]),
    "Caterpillar Inc.": ("=Caterpillar", ["Caterpillar Inc."]),
    "Workday, Inc.": ("=Workday", ["Workday, Inc.", "Workday Inc."]),
    "Blackstone Inc.": ("Blackstone", ["Blackstone Inc."]),
    "CoStar Group": ("CoStar Group", ["=CoStar"]),
    "Loews Corporation": ("Loews", ["Loews Corporation"]),
    "Jacobs Solutions": ("Jacobs Solutions", []),
}

# Descriptors removed to derive a short alias when the remainder is one
# distinctive token ("Akamai Technologies" -> "Akamai").
SP_DESCRIPTOR = re.compile(
    r"^(\S+)\s+(?:Technologies|Technology|Systems|Networks|Solutions|"
    r"Semiconductors|Pharmaceuticals|Laboratories|Sciences|Software|Holdings)$")
LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|plc|"
    r"PLC|Ltd\.?|Limited|Group))$")


def load_sp500(path, words, given, errors, order_start, decisions):
    ents = []
    with open(path, encoding="utf-8", newline="") as fh:
        rd = csv.DictReader(fh)
        if "Security" not in (rd.fieldnames or []):
            errors.append("%s: no Security column" % path)
            return ents
        for row in rd:
            sec = row["Security"].strip()
            if not sec:
                continue
            if sec in SP500_OVERRIDE:
                canon, aliases = SP500_OVERRIDE[sec]
                decisions.append("%s -> %s (override)" % (sec, canon))
            else:
                name = re.sub(r"\s*\(Class [A-Z]\)$", "", sec)
                legal = name
                m = re.match(r"^(.*) \(The\)$", name)
                if m:
                    name = m.group(1)
                short = name
                while True:
                    s2 = LEGAL_SUFFIX.sub("", short)
                    if s2 == short:
                        break
                    short = s2.rstrip(" &")
                aliases = [legal] if legal != name else []
                canon = name
                if short != name:
                    # keep the short form only when it is distinctive
                    t = short.split()
                    noisy = (len(t) == 1 and (words.in_dict(short)
                                              or short in given))
                    if noisy or len(short) <= 2:
                        decisions.append("%s -> %s (short %r too ambiguous)"
                                         % (sec, name, short))
                    else:
                        canon = short
                        aliases.append(name)
                m = SP_DESCRIPTOR.match(canon)
                if m:
                    root = m.group(1)
                    if len(root) > 3 and not words.in_dict(root) and \
                            root not in given and root.isalpha():
                        aliases.append(root)
                decisions.append("%s -> %s | %s" % (sec, canon,
                                                    "|".join(aliases)))
            ents.append(Entity("COMPANY", canon, aliases, (), PRIO_SP500,
                               "sp500:%s" % sec, order_start + len(ents)))
    return ents


# ---------------------------------------------------------------------------
# Merging and conflicts
# ---------------------------------------------------------------------------


def merge_same_type(ents, log):
    """Union entities of one type that share a surface form.

    Curated rows absorb every row that shares a form with them.  Between
    two non-curated rows a shared form merges them only if it is the
    canonical name of both (e.g. "Pegasus for Android" / "Pegasus for iOS");
    an alias shared by different rows is kept only by the row whose
    canonical it is, else dropped as ambiguous.
    """
    by_type = {}
    for e in ents:
        if not e.nonentity:
            by_type.setdefault(e.type, []).append(e)
    result = [e for e in ents if e.nonentity]
    for t in TYPES:
        group = by_type.get(t, [])
        parent = list(range(len(group)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        holders = {}
        for i, e in enumerate(group):
            for k in e.forms:
                holders.setdefault(k, []).append(i)
        # pass 1: rows with the same canonical name are one entity
        by_canon = {}
        for i, e in enumerate(group):
            by_canon.setdefault(e.ckey, []).append(i)
        for idx in by_canon.values():
            for i in idx[1:]:
                parent[find(i)] = find(idx[0])
        # pass 2: other shared forms
        for k in sorted(holders):
            idx = holders[k]
            if len({find(i) for i in idx}) < 2:
                continue
            curated = [i for i in idx if group[i].prio == PRIO_CURATED]
            canon_of = [i for i in idx if group[i].ckey == k]
            if curated:
                for i in idx:
                    parent[find(i)] = find(curated[0])
            elif len(canon_of) == len(idx) or (
                    len({group[i].prio for i in idx}) == 1 and
                    len(canon_of) >= 1 and group[idx[0]].prio == PRIO_SP500):
                for i in idx:
                    parent[find(i)] = find(idx[0])
            elif len({group[i].prio for i in idx}) > 1 and canon_of:
                # S&P vs MITRE or similar: merge into the better source
                best = min(idx, key=lambda i: (group[i].prio, group[i].order))
                for i in idx:
                    parent[find(i)] = find(best)
            else:
                keep = canon_of[0] if canon_of else None
                for i in idx:
                    if i != keep:
                        group[i].remove(k)
                log.append("ambiguous %s alias %r kept by %s" % (
                    t, k, group[keep].canonical if keep is not None else "none"))
        clusters = {}
        for i in range(len(group)):
            clusters.setdefault(find(i), []).append(i)
        for root, members in clusters.items():
            members.sort(key=lambda i: (group[i].prio, group[i].order))
            head = group[members[0]]
            if not head.forms:
                continue
            if len(members) > 1:
                log.append("merged %s: %s <- %s" % (
                    t, head.canonical,
                    ", ".join(group[i].canonical for i in members[1:])))
            for i in members[1:]:
                for f in group[i].all_forms():
                    head.add(f)
                head.flags |= group[i].flags
            result.append(head)
    return result


def resolve_cross_type(ents, log):
    holders = {}
    for e in ents:
        if e.nonentity:
            continue
        for k in e.forms:
            holders.setdefault(k, []).append(e)
    for k in sorted(holders):
        hs = holders[k]
        if len({e.type for e in hs}) < 2:
            continue
        winner_type = FORM_TYPE_OVERRIDE.get(k)
        if winner_type is None:
            best = min(e.prio for e in hs)
            top = [e for e in hs if e.prio == best]
            if len({e.type for e in top}) == 1:
                winner_type = top[0].type
            else:
                canon = [e for e in top if e.ckey == k]
                if len({e.type for e in canon}) == 1:
                    winner_type = canon[0].type
                elif GROUPLIKE.search(k):
                    winner_type = "ORGANIZATION"
                elif "ATTACK" in {e.type for e in top}:
                    winner_type = "ATTACK"
                else:
                    winner_type = sorted(e.type for e in top)[0]
                if best == PRIO_CURATED:
                    log.append("WARNING curated conflict on %r: %s" % (
                        k, ", ".join("%s %s" % (e.type, e.canonical)
                                     for e in top)))
        for e in hs:
            if e.type != winner_type:
                e.remove(k)
                log.append("conflict %r: %s wins over %s %s" % (
                    k, winner_type, e.type, e.canonical))
    out = []
    for e in ents:
        if not e.forms:
            log.append("dropped empty %s %s" % (e.type, e.canonical))
            continue
        if e.ckey not in e.forms:
            # canonical lost: promote the first remaining form
            e.canonical = next(iter(e.forms.values()))[0]
            log.append("promoted canonical %s %s" % (e.type, e.canonical))
        out.append(e)
    return out


def drop_nation_collisions(ents, log):
    """Forms of other types equal to a nation form lose them (Cuba...)."""
    nation = set()
    for e in ents:
        if e.type == "NATION" and not e.nonentity and e.prio == PRIO_CURATED:
            nation.update(e.forms)
    for e in ents:
        if e.type != "NATION" and not e.nonentity and e.prio != PRIO_CURATED:
            for k in list(e.forms):
                if k in nation:
                    e.remove(k)
                    log.append("nation form %r removed from %s %s" % (
                        k, e.type, e.canonical))


def check_nonentity(ents, log):
    blocked = {}
    for e in ents:
        if e.nonentity:
            for k in e.forms:
                blocked[k] = e
    for e in ents:
        if not e.nonentity:
            for k in list(e.forms):
                if k in blocked:
                    log.append("WARNING %s %s form %r is also a nonentity" % (
                        e.type, e.canonical, k))


def finalize_form(form, words):
    """Apply the case rule: forms made only of ordinary words are
    case-sensitive."""
    if is_cs(form):
        return form
    if words.all_ordinary(form):
        return "=" + form
    return form


def apostrophe_variants(form):
    b = bare(form)
    pre = "=" if is_cs(form) else ""
    out = [form]
    if "'" in b:
        out.append(pre + b.replace("'", "\u2019"))
    return out


def sort_key(s):
    b = bare(s)
    return (unicodedata.normalize("NFKD", b).casefold(), b, s)


def source_of(e):
    """The list an entity comes from, as the tagger reports it:
    mitre-attack:S0368, sp500:MSFT, curated:nations (the line number of a
    curated row would change with every edit above it)."""
    if e.origin.startswith("curated:"):
        return e.origin.rsplit(":", 1)[0]
    return e.origin


def render(ents, words):
    rows = []
    counts = {}
    for e in ents:
        forms = []
        for f in e.all_forms():
            forms.extend(apostrophe_variants(finalize_form(f, words)))
        uniq = []
        for f in forms:
            if f not in uniq:
                uniq.append(f)
        # canonical: the spelling written as canonical, in its final case mode
        variants = [f for f in uniq if key(f) == e.ckey]
        want = bare(e.canonical)
        canon = next((f for f in variants if bare(f) == want), None) or \
            (sorted(variants, key=sort_key)[0] if variants else
             finalize_form(e.canonical, words))
        al = sorted((f for f in uniq if f != canon), key=sort_key)
        for a in al + [canon]:
            if "|" in a or "\t" in a:
                raise SystemExit("bad form %r in %s" % (a, e.origin))
        flags = ",".join(sorted(e.flags))
        rows.append((e.type, canon, "|".join(al), flags, source_of(e)))
        label = "nonentity" if e.nonentity else e.type
        c = counts.setdefault(label, [0, 0])
        c[0] += 1
        c[1] += 1 + len(al)
    rows.sort(key=lambda r: ("nonentity" in r[3], TYPES.index(r[0]),
                             sort_key(r[1])))
    return rows, counts


HEADER = """\
# Lede entity gazetteer -- GENERATED FILE, do not edit by hand.
# Regenerate with: python3 scripts/gazetteers/build.py
#
# Sources:
#   * MITRE ATT&CK (software, groups, campaigns; {data}/attack/mitre-attack.tsv)
#     \u00a9 2025 The MITRE Corporation. This work is reproduced and distributed
#     with the permission of The MITRE Corporation. Licence:
#     resources/gazetteers/LICENSE-MITRE.txt. ATT&CK\u00ae is a registered
#     trademark of The MITRE Corporation.
#   * S&P 500 constituents ({data}/companies/sp500.csv), datasets/s-and-p-500-companies,
#     ODC-PDDL-1.0 (resources/gazetteers/LICENSE-SP500.md); credit to Rufus Pollock
#     and the Open Knowledge Foundation.
#   * Curated lists written for Lede (MIT): resources/gazetteers/curated/*.tsv
#
# Format: TYPE<TAB>canonical<TAB>alias|alias|...<TAB>flags
#   TYPE: PERSON COMPANY NATION ATTACK ORGANIZATION
#   A form starting with "=" is case-sensitive (match the text exactly as written).
#   Other forms match in any capitalisation when the text's first letter is
#   upper-case (or the form itself starts lower-case, e.g. "iPhone").
#   flags: "nonentity" = phrase that blocks tagging (products, treaties, events,
#   regions); its TYPE column is ignored.
#
# Rows: {counts}
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.normpath(
        os.path.join(REPO, "..", "shared", "data")),
        help="data bundle directory (default: ../shared/data from the repo)")
    ap.add_argument("--words", default="/usr/share/dict/words",
                    help="English word list (Debian package wamerican)")
    ap.add_argument("--out", default=os.path.join(GAZ, "lede.tsv"))
    ap.add_argument("--names-out", default=os.path.join(GAZ, "given-names.txt"))
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the outputs are stale")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print merge/conflict/drop decisions")
    args = ap.parse_args(argv)

    errors, log = [], []
    ordinary, proper, have_words = load_words(args.words)
    if not have_words:
        warn("word list %s not found (apt-get install wamerican); using a "
             "small built-in list, so fewer ordinary words are filtered"
             % args.words)
    words = Words(ordinary, proper)

    # given names
    gpath = os.path.join(CURATED, "given-names.txt")
    given = []
    with open(gpath, encoding="utf-8") as fh:
        for line in fh:
            s = line.strip()
            if s and not s.startswith("#"):
                given.append(unicodedata.normalize("NFC", s))
    given_set = set(given)
    dup = len(given) - len(given_set)

    ents = []
    for name in CURATED_FILES:
        p = os.path.join(CURATED, name)
        ents += read_curated(p, PRIO_CURATED, len(ents), errors)
    n_curated = len(ents)

    mitre_path = os.path.join(args.data, "attack", "mitre-attack.tsv")
    sp_path = os.path.join(args.data, "companies", "sp500.csv")
    for p in (mitre_path, sp_path):
        if not os.path.exists(p):
            errors.append("missing input %s (use --data DIR)" % p)
    if errors:
        for e in errors:
            print("build.py: error: " + e, file=sys.stderr)
        return 2
    mitre, mstats = load_mitre(mitre_path, words, given_set, errors,
                               len(ents))
    ents += mitre
    decisions = []
    ents += load_sp500(sp_path, words, given_set, errors, len(ents),
                       decisions)
    if errors:
        for e in errors:
            print("build.py: error: " + e, file=sys.stderr)
        return 2

    drop_nation_collisions(ents, log)
    ents = merge_same_type(ents, log)
    ents = resolve_cross_type(ents, log)
    check_nonentity(ents, log)

    rows, counts = render(ents, words)
    order = list(TYPES) + ["nonentity"]
    cstr = ", ".join("%s %d (%d forms)" % (t, counts[t][0], counts[t][1])
                     for t in order if t in counts)
    text = HEADER.format(data="data", counts=cstr)
    text += "".join("\t".join(r) + "\n" for r in rows)

    names_text = ("# Given names (one per line): evidence that a capitalised "
                  "word starts a person's name.\n"
                  "# GENERATED by scripts/gazetteers/build.py from "
                  "resources/gazetteers/curated/given-names.txt (MIT).\n")
    names_text += "".join(n + "\n" for n in sorted(given_set, key=sort_key))

    if args.verbose:
        for line in log:
            print("  " + line)
        for k in sorted(mstats):
            for v in mstats[k]:
                print("  mitre %s: %s" % (k, v))
        for d in decisions:
            print("  sp500 " + d)
        ordinary_names = sorted(n for n in given_set if words.is_ordinary(n))
        print("  given names that are ordinary words: " +
              ", ".join(ordinary_names))
    for line in log:
        if line.startswith("WARNING"):
            warn(line[8:])

    status = 0
    if args.check and not have_words:
        print("build.py: --check needs the word list the committed files "
              "were built with (apt-get install wamerican)", file=sys.stderr)
        return 1
    for path, content in ((args.out, text), (args.names_out, names_text)):
        if args.check:
            try:
                with open(path, encoding="utf-8") as fh:
                    same = fh.read() == content
            except OSError:
                same = False
            if not same:
                print("build.py: %s is stale; rerun build.py" % path,
                      file=sys.stderr)
                status = 1
        else:
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
            os.replace(tmp, path)

    print("lede.tsv: %d rows from %d curated, %d MITRE, S&P 500 rows" % (
        len(rows), n_curated, len(mitre)))
    print("%-13s %6s %7s" % ("type", "rows", "forms"))
    for t in order:
        if t in counts:
            print("%-13s %6d %7d" % (t, counts[t][0], counts[t][1]))
    print("given names: %d%s" % (len(given_set),
                                 " (%d duplicates ignored)" % dup if dup else ""))
    if not have_words:
        print("NOTE: built without a system word list; install wamerican "
              "for full ordinary-word filtering")
    return status


if __name__ == "__main__":
    sys.exit(main())
