#!/usr/bin/env python3
"""Relabels the NER training corpora onto Lede's five types.

Usage: relabel.py SHARED_DATA OUT_DIR

SHARED_DATA is ../shared/data (it holds ner-train/, ner/, companies/);
OUT_DIR receives one folder per corpus with the files in Lede's training
format, and REPORT.md with counts and a sample to check by eye. The output
is a function of the input alone: run it twice, get the same bytes.

Training format (what `lede-cli train` reads): the corpus's own tokens, one
per line, a TAB, and a label; a blank line between sentences; a line
"-DOCSTART-" before each document where the corpus has documents. Labels:

    O                      not a name
    B-TYPE, I-TYPE         a name of TYPE (PERSON, COMPANY, NATION, ATTACK,
                           ORGANIZATION): first token, later tokens
    B-A|B, I-A|B           a name of type A or B: the corpus says "ORG" and
                           nothing here tells a company from another body
    B-?TYPE, I-?TYPE       perhaps a name of TYPE, perhaps nothing: the
                           corpus leaves such words untagged (demonyms in
                           UNER, GUM, BTC) or tags them loosely (tools,
                           bands); training lets the model decide

The mapping per corpus follows ../shared/data/ner-train/README.md; the
evidence for splitting ORG and finding nations is the SEC EDGAR list, the
S&P 500, the nations list with demonyms, Lede's own gazetteer
(resources/gazetteers/lede.tsv) and the heads of company and organisation
names below.
"""
import csv
import pathlib
import random
import re
import sys
from collections import Counter, defaultdict

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Words that end a company's name ("Acme Corp.") and words that head another
# organisation's ("Justice Department", "Ministry of Defence").
COMPANY_SUFFIXES = {
    "inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "company", "ltd", "ltd.", "limited", "llc", "l.l.c.",
    "plc", "ag", "gmbh", "sa", "s.a.", "nv", "n.v.", "bv", "ab", "asa", "oyj", "spa", "s.p.a.", "lp", "llp", "pty",
    "holdings", "technologies", "technology", "systems", "software", "labs", "laboratories", "networks", "airlines",
    "airways", "motors", "pharmaceuticals", "bank", "bancorp", "securities", "capital", "partners", "telecom",
    "communications", "electronics", "industries", "enterprises", "solutions", "media", "entertainment", "studios",
    "semiconductor", "energy", "petroleum", "oil", "foods", "brands", "stores", "group",
}
ORGANIZATION_HEADS = {
    "agency", "ministry", "department", "council", "committee", "commission", "bureau", "office", "institute",
    "university", "college", "school", "academy", "union", "association", "federation", "foundation", "society",
    "court", "army", "navy", "police", "service", "services", "administration", "government", "parliament",
    "congress", "senate", "assembly", "party", "command", "force", "forces", "guard", "center", "centre",
    "organization", "organisation", "league", "coalition", "alliance", "authority", "board", "corps", "directorate",
    "secretariat", "tribunal", "cabinet", "unit", "brigade", "regiment", "movement", "front", "church", "club",
    "team", "house", "nations", "hospital", "museum", "library", "bank",
}
# Role words before a person's name ("Prime Minister Rishi Sunak", "US
# President Barack Obama"): not part of the name in the guidelines.
TITLES = {
    "president", "prime", "minister", "secretary", "foreign", "chancellor", "king", "queen", "prince", "princess",
    "emperor", "empress", "pope", "senator", "sen.", "rep.", "representative", "governor", "gov.", "mayor",
    "general", "gen.", "colonel", "col.", "lieutenant", "lt.", "captain", "capt.", "major", "sergeant", "admiral",
    "adm.", "judge", "justice", "attorney", "director", "chairman", "chairwoman", "chief", "executive", "ceo",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof.", "professor", "sir", "lord", "lady", "dame",
    "sheikh", "shaikh", "vice", "deputy", "assistant", "ambassador", "commissioner", "speaker", "leader", "premier",
    "bishop", "archbishop", "cardinal", "rev.", "reverend", "former", "late", "defence", "defense", "interior",
    "state", "home", "finance", "treasury", "labor", "labour",
}
DETERMINERS = {"the", "a", "an", "The", "A", "An"}
# Capitalised at a sentence start, tagged by corpora that mark every mention.
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "us", "them", "my",
            "your", "this", "that", "these", "those"}
POSSESSIVES = {"'s", "’s", "'", "’"}
PARTICLES = {"of", "de", "da", "del", "der", "van", "von", "la", "le", "and", "&", "for", "the", "al", "bin", "ibn", "y"}
PUNCT = re.compile(r"^\W+$")
TYPES = ("PERSON", "COMPANY", "NATION", "ATTACK", "ORGANIZATION")


def fold(text):
    return re.sub(r"\s+", " ", text.strip()).casefold()


class Evidence:
    """What tells companies, organisations and nations apart."""

    def __init__(self, shared):
        self.nations = set()      # folded names and short forms
        self.demonyms = set()     # folded nationality words, singular and plural
        self.companies = set()    # folded company names without legal suffixes
        self.organizations = set()
        gaz = shared / "ner-train" / "gazetteers"
        with open(gaz / "countries" / "nations.tsv", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                # Sovereign states, and the few the list marks otherwise that
                # news treats as nations.
                if row["independent"] != "true" and row["name_common"] not in {"Taiwan", "Palestine", "Kosovo"}:
                    continue
                for name in [row["name_common"], row["name_official"]] + row["alt_spellings"].split("|"):
                    if len(name) > 3 or name in {"USA", "UK", "UAE", "US"}:
                        self.nations.add(fold(name))
                for d in (row["demonym_eng_m"], row["demonym_eng_f"]):
                    if d:
                        self.demonyms.add(fold(d))
                        self.demonyms.add(fold(d + "s"))
        with open(gaz / "sec-edgar" / "company_tickers.tsv", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                self.companies.add(strip_company_suffix(fold(row["title"])))
        with open(shared / "companies" / "sp500.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.companies.add(strip_company_suffix(fold(row["Security"])))
        with open(ROOT / "resources" / "gazetteers" / "lede.tsv", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                names = [cols[1]] + (cols[2].split("|") if len(cols) > 2 and cols[2] else [])
                target = {"NATION": self.nations, "COMPANY": self.companies, "ORGANIZATION": self.organizations}.get(cols[0])
                if target is None:
                    continue
                for n in names:
                    target.add(strip_company_suffix(fold(n)) if cols[0] == "COMPANY" else fold(n))
        self.companies.discard("")

    def nation_kind(self, text):
        t = fold(text)
        if t.startswith("the "):
            t = t[4:]
        if t in self.demonyms:
            return "demonym"
        if t in self.nations:
            return "name"
        return None

    def org_type(self, tokens):
        """COMPANY, ORGANIZATION, or None when nothing tells."""
        text = fold(" ".join(tokens))
        words = [w.casefold().strip(".,") for w in tokens]
        if text in self.organizations:
            return "ORGANIZATION"
        if strip_company_suffix(text) in self.companies or (words and words[-1] in COMPANY_SUFFIXES and words[-1] != "bank"):
            return "COMPANY"
        if any(w in ORGANIZATION_HEADS for w in words):
            return "ORGANIZATION"
        # Initialisms of agencies and bodies (NATO, FBI, IRGC) cannot be
        # told from companies' (IBM, HP): leave them open.
        return None


SUFFIX_RE = re.compile(
    r"(,?\s+(inc|corp|corporation|co|company|ltd|limited|llc|plc|ag|gmbh|sa|nv|holdings?|group|the|/\w+/?)\.?)+$")


def strip_company_suffix(folded):
    return SUFFIX_RE.sub("", folded).strip(" ,.")


def spans_of(tags):
    """(start, end, type) of the mentions in a sentence's original tags."""
    out = []
    start, kind = None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag == "O" or tag == "B-O":
            prefix, t = "O", None
        else:
            prefix, _, t = tag.partition("-")
        opens = prefix == "B" or (prefix == "I" and t != kind) or prefix == "O"
        if start is not None and (opens or t != kind):
            out.append((start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and start is None:
            start, kind = i, t
    return out


def trim(tokens, start, end):
    while start < end and (tokens[start] in DETERMINERS or PUNCT.match(tokens[start])):
        start += 1
    while end > start and (tokens[end - 1] in POSSESSIVES or PUNCT.match(tokens[end - 1])):
        end -= 1
    return start, end


class Relabeller:
    def __init__(self, evidence):
        self.ev = evidence
        self.tweets = False

    def leading_nation(self, tokens, s, e):
        """A country or demonym heading a span of ordinary words ("Chinese
        government", "U.S. service members", "Saudi Arabia ’s leadership"):
        the nation's end, or None."""
        for k in range(e - 1, s, -1):
            rest = tokens[k:e]
            if self.ev.nation_kind(" ".join(tokens[s:k])) and all(t[:1].islower() or t in POSSESSIVES for t in rest):
                return k
        return None

    def nationish(self, tokens, s, e):
        """A LOC-like span: NATION when it is a country or demonym, or heads
        a span of ordinary words; nothing otherwise (cities, regions)."""
        if self.ev.nation_kind(" ".join(tokens[s:e])):
            return [(s, e, "NATION")]
        k = self.leading_nation(tokens, s, e)
        return [(s, k, "NATION")] if k else []

    def org(self, tokens, s, e):
        if self.ev.nation_kind(" ".join(tokens[s:e])):  # a country acting as a body, as GUM has it
            return [(s, e, "NATION")]
        k = self.leading_nation(tokens, s, e)
        if k:
            return [(s, k, "NATION")]
        decided = self.ev.org_type(tokens[s:e])
        # Ordinary words inside ("ISIL tactical units") make it a
        # description more than a name: perhaps.
        loose = any(t[:1].islower() and t not in PARTICLES for t in tokens[s:e])
        return [(s, e, ("?" if loose else "") + (decided or "COMPANY|ORGANIZATION"))]

    def person(self, tokens, s, e):
        while s < e and (tokens[s].casefold() in TITLES or self.ev.nation_kind(tokens[s])) and e - s > 1:
            s += 1
        if s >= e or tokens[s].casefold() in TITLES or tokens[s][:1].islower() and not self.tweets:
            return []
        if self.ev.nation_kind(" ".join(tokens[s:e])) == "demonym":  # "the Japanese"
            return [(s, e, "NATION")]
        # Spans with ordinary words in them ("Obama special assistant Kori
        # Schulman") are not names as the guidelines draw them: perhaps.
        inner = [t for t in tokens[s:e] if t[:1].islower() and t not in PARTICLES]
        return [(s, e, "?PERSON" if inner else "PERSON")]

    def map_span(self, corpus, kind, tokens, s, e):
        k = (kind or "").casefold()
        self.tweets = corpus in {"btc", "wnut17"}
        # No word of it capitalised ("journalists", "they", "bank"): not a
        # name, except in tweets, where names are often written in lower case.
        if not any(t[:1].isupper() or t[:1].isdigit() for t in tokens[s:e]) and not self.tweets:
            return []
        if e - s == 1 and tokens[s].casefold() in PRONOUNS:
            return []
        if corpus == "annoctr":
            return {"malware": [(s, e, "ATTACK")], "group": [(s, e, "ORGANIZATION")],
                    "tool": [(s, e, "?ATTACK")]}.get(k) or (
                self.org(tokens, s, e) if k == "org" else self.nationish(tokens, s, e) if k == "loc" else [])
        if corpus == "cyner":
            if k == "malware":
                return [(s, e, "ATTACK")]
            if k == "organization":
                return self.org(tokens, s, e)
            if k == "vulnerability":
                return [] if any(c.isdigit() for c in "".join(tokens[s:e])) else [(s, e, "?ATTACK")]
            return []
        if corpus == "crossner":
            if k in {"politician", "person", "writer", "scientist", "musicalartist", "researcher"}:
                return self.person(tokens, s, e)
            if k == "country":
                return [(s, e, "NATION")]
            if k in {"politicalparty", "university"}:
                return [(s, e, "ORGANIZATION")]
            if k == "organisation":
                return self.org(tokens, s, e)
            if k == "band":
                return [(s, e, "?ORGANIZATION")]
            if k in {"location", "misc"}:
                return self.nationish(tokens, s, e)
            return []
        if corpus == "wnut17":
            if k == "person":
                return self.person(tokens, s, e)
            if k == "corporation":
                return [(s, e, "COMPANY")]
            if k == "group":
                return [(s, e, "?ORGANIZATION")]
            if k == "location":
                return self.nationish(tokens, s, e)
            return []
        if corpus == "sec-filings":
            if k == "org":
                decided = self.ev.org_type(tokens[s:e])
                # Undecided ones are often roles or laws ("Remarketing Agent",
                # "ERISA"), not names.
                return [(s, e, decided or "?COMPANY")] if tokens[s:e] != ["Bank"] else []
            if k == "per":  # mostly "Borrower" and "Lender"
                return [(s, e, "?PERSON")] if all(t[:1].isupper() for t in tokens[s:e]) and e - s > 1 else []
            if k == "loc":
                return self.nationish(tokens, s, e)
            return []
        if corpus == "gum":
            if k == "person":
                return self.person(tokens, s, e)
            if k == "organization":
                return self.org(tokens, s, e)
            if k == "place":
                return self.nationish(tokens, s, e)
            return []
        # PER/ORG/LOC(/MISC/OTH/Nationality) corpora: re-docred, uner, btc,
        # wikigold, re3d.
        if k in {"per", "person"}:
            return self.person(tokens, s, e)
        if k in {"org", "organisation", "organization"}:
            return self.org(tokens, s, e)
        if k in {"loc", "location", "gpe"}:
            return self.nationish(tokens, s, e)
        if k in {"misc", "oth", "nationality"}:
            return self.nationish(tokens, s, e)
        return []

    def relabel(self, corpus, tokens, tags, tags_demonyms):
        labels = ["O"] * len(tokens)
        for s, e, kind in spans_of(tags):
            s, e = trim(tokens, s, e)
            if s >= e:
                continue
            for ms, me, t in self.map_span(corpus, kind, tokens, s, e):
                labels[ms] = "B-" + t
                for i in range(ms + 1, me):
                    labels[i] = "I-" + t
        if not tags_demonyms:
            # The corpus leaves nationality words untagged: they may be
            # NATION or not, as the model learns from the corpora that tag them.
            for i, tok in enumerate(tokens):
                if labels[i] == "O" and tok[:1].isupper() and self.ev.nation_kind(tok) == "demonym":
                    labels[i] = "B-?NATION"
        return labels


# corpus folder -> (files, separator, whether demonyms are tagged there)
def corpora(shared):
    train = shared / "ner-train"
    ner = shared / "ner"
    return [
        ("annoctr", [train / "annoctr" / f for f in ("train.conll", "dev.conll", "test.conll")], "\t", True),
        ("cyner", [train / "cyner" / f for f in ("train.conll", "valid.conll", "test.conll")], "\t", False),
        ("re-docred", [train / "re-docred" / f for f in ("dev.conll", "test.conll")], "\t", True),
        ("crossner", sorted((train / "crossner").glob("*.conll")), "\t", True),
        ("uner-ewt", sorted((train / "uner-ewt").glob("*.conll")), "\t", False),
        ("uner-pud", sorted((train / "uner-pud").glob("*.conll")), "\t", False),
        ("gum", sorted((train / "gum").glob("*.conll")), "\t", False),
        ("btc", sorted((train / "btc").glob("*.conll")), "\t", False),
        ("wnut17", sorted((train / "wnut17").glob("*.conll")), "\t", False),
        ("sec-filings", sorted((train / "sec-filings").glob("*.conll")), "\t", False),
        ("re3d", sorted((train / "re3d-extra").glob("*.conll")) + sorted(ner.glob("re3d/*/*.conll")), "\t", True),
        ("wikigold", [ner / "wikigold" / "wikigold.conll.txt"], " ", True),
    ]


def read_conll(path, sep):
    """Documents of sentences of (token, tag)."""
    docs, doc, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if sent:
                    doc.append(sent)
                    sent = []
                if doc:
                    docs.append(doc)
                doc = []
                continue
            if not line.strip():
                if sent:
                    doc.append(sent)
                    sent = []
                continue
            # Tokens may hold spaces (a few BTC ones): split on the tab;
            # wikigold's columns are separated by a space.
            token, _, tag = line.partition("\t") if sep == "\t" else line.rpartition(" ")
            tag = tag.strip()
            sent.append((token, tag if tag else "O"))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def main():
    shared = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    relabeller = Relabeller(Evidence(shared))
    counts = defaultdict(Counter)
    samples = defaultdict(list)
    for corpus, files, sep, tags_demonyms in corpora(shared):
        folder = out / corpus
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for path in files:
            for doc in read_conll(path, sep):
                lines.append("-DOCSTART-\n")
                for sent in doc:
                    tokens = [t for t, _ in sent]
                    labels = relabeller.relabel(corpus, tokens, [g for _, g in sent], tags_demonyms)
                    for i, (tok, lab) in enumerate(zip(tokens, labels)):
                        lines.append(f"{tok}\t{lab}\n")
                        if lab.startswith("B-"):
                            end = i + 1
                            while end < len(labels) and labels[end].startswith("I-"):
                                end += 1
                            counts[corpus][lab[2:]] += 1
                            samples[corpus].append((" ".join(tokens[i:end]), lab[2:]))
                    lines.append("\n")
        (folder / "train.conll").write_text("".join(lines), encoding="utf-8")

    report = ["# Relabelled training data", "",
              "Generated by scripts/ner/relabel.py. Mentions per corpus and label "
              "(`A|B`: either type; `?T`: perhaps T, perhaps no name).", ""]
    labels = sorted({l for c in counts.values() for l in c})
    report.append("| corpus | " + " | ".join(labels) + " |")
    report.append("|---|" + "---|" * len(labels))
    for corpus in counts:
        report.append(f"| {corpus} | " + " | ".join(str(counts[corpus][l]) for l in labels) + " |")
    report += ["", "## A sample of 25 mentions per corpus (seed 11)", ""]
    rng = random.Random(11)
    for corpus, found in samples.items():
        report.append(f"### {corpus}")
        for text, label in rng.sample(found, min(25, len(found))):
            report.append(f"- {label}: {text}")
        report.append("")
    (out / "REPORT.md").write_text("\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
