#include "core/store/Migrations.h"

#include <iterator>

namespace lede::migrations {

namespace {

// The annotations table's triggers and index at schema 11 and after: each
// rebuild of the table makes them again as they are.
constexpr std::string_view kAnnotationsTriggers = R"sql(
CREATE TRIGGER documents_annotations_delete AFTER DELETE ON documents BEGIN
    DELETE FROM annotations WHERE id BETWEEN (old.id << 32) AND (old.id << 32) + 4294967295;
END;
CREATE TRIGGER annotations_summary_insert AFTER INSERT ON annotations
WHEN new.status <> 2 AND (SELECT per_row FROM summary_mode WHERE id = 1) = 1 BEGIN
    INSERT INTO document_types (type_id, document_id, mentions) VALUES (new.type_id, new.document_id, 1)
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
CREATE TRIGGER annotations_summary_delete AFTER DELETE ON annotations WHEN old.status <> 2 BEGIN
    UPDATE document_types SET mentions = mentions - 1 WHERE type_id = old.type_id AND document_id = old.document_id;
    DELETE FROM document_types WHERE type_id = old.type_id AND document_id = old.document_id AND mentions <= 0;
    UPDATE document_entities SET mentions = mentions - 1 WHERE entity_id = old.entity_id AND document_id = old.document_id;
    DELETE FROM document_entities WHERE entity_id = old.entity_id AND document_id = old.document_id AND mentions <= 0;
END;
CREATE TRIGGER annotations_summary_update AFTER UPDATE OF id, type_id, entity_id, status ON annotations BEGIN
    UPDATE document_types SET mentions = mentions - 1
        WHERE old.status <> 2 AND type_id = old.type_id AND document_id = old.document_id;
    DELETE FROM document_types WHERE type_id = old.type_id AND document_id = old.document_id AND mentions <= 0;
    UPDATE document_entities SET mentions = mentions - 1
        WHERE old.status <> 2 AND entity_id = old.entity_id AND document_id = old.document_id;
    DELETE FROM document_entities WHERE entity_id = old.entity_id AND document_id = old.document_id AND mentions <= 0;
    INSERT INTO document_types (type_id, document_id, mentions)
        SELECT new.type_id, new.document_id, 1 WHERE new.status <> 2
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.status <> 2 AND new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
CREATE TRIGGER annotations_number_keep AFTER DELETE ON annotations BEGIN
    INSERT INTO annotation_numbers (document_id, last) VALUES (old.id >> 32, old.id & 4294967295)
        ON CONFLICT (document_id) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE INDEX annotations_reviewed ON annotations(status, origin, type_id, entity_id, document_id)
    WHERE status <> 0 OR origin <> 0;
)sql";

constexpr Migration kSteps[] = {
    {1, R"sql(
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    source       TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE,
    text         TEXT NOT NULL,
    length       INTEGER NOT NULL,
    imported_at  TEXT NOT NULL,
    url          TEXT,
    published_at TEXT
);
CREATE TABLE entity_types (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    color    TEXT NOT NULL,
    shortcut TEXT,
    builtin  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE entities (
    id      INTEGER PRIMARY KEY,
    type_id INTEGER NOT NULL REFERENCES entity_types(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    UNIQUE (type_id, name)
);
CREATE TABLE entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_alias ON entity_aliases(alias);
CREATE TABLE annotations (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end > start),
    type_id     INTEGER NOT NULL REFERENCES entity_types(id),
    entity_id   INTEGER REFERENCES entities(id) ON DELETE SET NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('auto', 'manual', 'imported')),
    status      TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL
);
CREATE INDEX annotations_document ON annotations(document_id, start, end);
CREATE INDEX annotations_entity ON annotations(entity_id);
CREATE INDEX annotations_type ON annotations(type_id);
INSERT INTO entity_types (name, color, shortcut, builtin) VALUES
    ('PERSON',       '#e8590c', '1', 1),
    ('COMPANY',      '#1c7ed6', '2', 1),
    ('NATION',       '#2f9e44', '3', 1),
    ('ATTACK',       '#e03131', '4', 1),
    ('ORGANIZATION', '#7048e8', '5', 1);
)sql"},
    // Full-text index over title and text. External content keeps one copy
    // of each article; the triggers keep the index in step inside the
    // writer's own transaction, so no document is ever searchable without
    // its text or the other way round.
    {2, R"sql(
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
)sql"},
    // What the analyst taught the tagger: names annotated by hand or
    // accepted (+1) and suggestions rejected (-1), per type and surface.
    // Filled from the reviewed annotations already in the store.
    {3, R"sql(
CREATE TABLE learned_names (
    type_id    INTEGER NOT NULL REFERENCES entity_types(id) ON DELETE CASCADE,
    surface    TEXT NOT NULL,
    entity     TEXT NOT NULL,
    polarity   INTEGER NOT NULL CHECK (polarity IN (-1, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (type_id, surface)
) WITHOUT ROWID;
INSERT OR REPLACE INTO learned_names (type_id, surface, entity, polarity, updated_at)
SELECT a.type_id, substr(d.text, a.start + 1, a.end - a.start),
       coalesce(e.name, substr(d.text, a.start + 1, a.end - a.start)),
       CASE a.status WHEN 'rejected' THEN -1 ELSE 1 END, a.modified_at
FROM annotations a JOIN documents d ON d.id = a.document_id LEFT JOIN entities e ON e.id = a.entity_id
WHERE a.origin = 'manual' OR a.status IN ('accepted', 'rejected')
ORDER BY a.modified_at, a.id;
)sql"},
    // Search. The full-text index moves to Lede's own tokenizer "lede"
    // (IcuFtsTokenizer: ICU word breaks, so Chinese, Japanese and Thai are
    // searchable by word; NFKC, case and accent folding), which
    // Store::prepareConnection registers on every connection before this
    // runs. It stays external-content with full detail, for phrases. The
    // triggers of version 2 name the table, not its tokenizer, and feed the
    // new one unchanged.
    //
    // Beside the annotations, triggers keep summaries that filters, entity
    // lists and co-occurrence read instead of scanning every annotation:
    // per document and type, and per entity and document, the count of
    // non-rejected annotations; per entity, its documents and mentions.
    // Names and aliases get indexes on their folded form (lede_fold) for
    // entity:"..." and prefix look-ups, and the few reviewed annotations an
    // index of their own for status: and origin: filters.
    {4, R"sql(
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id', tokenize='lede', detail=full);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');

CREATE TABLE document_types (
    type_id     INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    mentions    INTEGER NOT NULL,
    PRIMARY KEY (type_id, document_id)
) WITHOUT ROWID;
CREATE TABLE document_entities (
    entity_id   INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    type_id     INTEGER NOT NULL,
    mentions    INTEGER NOT NULL,
    PRIMARY KEY (entity_id, document_id)
) WITHOUT ROWID;
CREATE INDEX document_entities_document ON document_entities(document_id, type_id, mentions);
CREATE TABLE entity_stats (
    entity_id INTEGER PRIMARY KEY,
    type_id   INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    mentions  INTEGER NOT NULL
);
CREATE INDEX entity_stats_type ON entity_stats(type_id, documents);

INSERT INTO document_types (type_id, document_id, mentions)
SELECT type_id, document_id, count(*) FROM annotations WHERE status <> 'rejected' GROUP BY type_id, document_id;
INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
SELECT entity_id, document_id, min(type_id), count(*) FROM annotations
WHERE status <> 'rejected' AND entity_id IS NOT NULL GROUP BY entity_id, document_id;
INSERT INTO entity_stats (entity_id, type_id, documents, mentions)
SELECT entity_id, min(type_id), count(*), sum(mentions) FROM document_entities GROUP BY entity_id;

CREATE TRIGGER annotations_summary_insert AFTER INSERT ON annotations WHEN new.status <> 'rejected' BEGIN
    INSERT INTO document_types (type_id, document_id, mentions) VALUES (new.type_id, new.document_id, 1)
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
CREATE TRIGGER annotations_summary_delete AFTER DELETE ON annotations WHEN old.status <> 'rejected' BEGIN
    UPDATE document_types SET mentions = mentions - 1 WHERE type_id = old.type_id AND document_id = old.document_id;
    DELETE FROM document_types WHERE type_id = old.type_id AND document_id = old.document_id AND mentions <= 0;
    UPDATE document_entities SET mentions = mentions - 1 WHERE entity_id = old.entity_id AND document_id = old.document_id;
    DELETE FROM document_entities WHERE entity_id = old.entity_id AND document_id = old.document_id AND mentions <= 0;
END;
CREATE TRIGGER annotations_summary_update AFTER UPDATE OF document_id, type_id, entity_id, status ON annotations BEGIN
    UPDATE document_types SET mentions = mentions - 1
        WHERE old.status <> 'rejected' AND type_id = old.type_id AND document_id = old.document_id;
    DELETE FROM document_types WHERE type_id = old.type_id AND document_id = old.document_id AND mentions <= 0;
    UPDATE document_entities SET mentions = mentions - 1
        WHERE old.status <> 'rejected' AND entity_id = old.entity_id AND document_id = old.document_id;
    DELETE FROM document_entities WHERE entity_id = old.entity_id AND document_id = old.document_id AND mentions <= 0;
    INSERT INTO document_types (type_id, document_id, mentions)
        SELECT new.type_id, new.document_id, 1 WHERE new.status <> 'rejected'
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.status <> 'rejected' AND new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
CREATE TRIGGER document_entities_stats_insert AFTER INSERT ON document_entities BEGIN
    INSERT INTO entity_stats (entity_id, type_id, documents, mentions) VALUES (new.entity_id, new.type_id, 1, new.mentions)
        ON CONFLICT (entity_id) DO UPDATE SET documents = documents + 1, mentions = mentions + excluded.mentions;
END;
CREATE TRIGGER document_entities_stats_update AFTER UPDATE OF mentions ON document_entities BEGIN
    UPDATE entity_stats SET mentions = mentions + new.mentions - old.mentions WHERE entity_id = new.entity_id;
END;
CREATE TRIGGER document_entities_stats_delete AFTER DELETE ON document_entities BEGIN
    UPDATE entity_stats SET documents = documents - 1, mentions = mentions - old.mentions WHERE entity_id = old.entity_id;
    DELETE FROM entity_stats WHERE entity_id = old.entity_id AND documents <= 0;
END;

CREATE INDEX entities_folded_name ON entities(lede_fold(name));
CREATE INDEX entity_aliases_folded ON entity_aliases(lede_fold(alias));
CREATE INDEX annotations_reviewed ON annotations(status, origin, type_id, entity_id, document_id)
    WHERE status <> 'suggested' OR origin <> 'auto';
)sql"},
    // Compact annotations. At a realistic density (about 14 names per KB of
    // news text) the annotations outweighed the text and its index
    // together; this layout stores about a third of the bytes per row:
    //  - An annotation's id carries its document: id = document_id << 20
    //    plus a number within the document (AnnotationRow.h). The
    //    annotations of one document are a range of the table's own key,
    //    so no index on document_id is needed; document_id is computed.
    //  - A span is stored as start and length (usually one byte); end is
    //    computed.
    //  - origin and status are small integers, in the order of the Origin
    //    and AnnotationStatus enums: 0 auto/suggested, 1 manual/accepted,
    //    2 imported/rejected.
    //  - Times are Unix seconds; modified_at is NULL until the annotation
    //    changes.
    //  - No indexes on entity_id or type_id: lists and filters by entity
    //    or type read the summary tables, which name the documents.
    //  - The insert trigger asks lede_row_summaries() whether to keep the
    //    summaries: a writer adding a document's annotations in bulk
    //    switches it off and sums them per document (Store.cpp).
    //    Entities and types are never deleted, so the foreign keys never
    //    need a look-up from the parent's side.
    // Existing annotations are numbered within their document in text
    // order. Deleting a document deletes its range of annotations.
    {5, R"sql(
CREATE TABLE annotations_compact (
    id          INTEGER PRIMARY KEY,
    start       INTEGER NOT NULL CHECK (start >= 0),
    length      INTEGER NOT NULL CHECK (length > 0),
    type_id     INTEGER NOT NULL REFERENCES entity_types(id),
    entity_id   INTEGER REFERENCES entities(id),
    origin      INTEGER NOT NULL CHECK (origin IN (0, 1, 2)),
    status      INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
    created_at  INTEGER NOT NULL,
    modified_at INTEGER,
    document_id INTEGER GENERATED ALWAYS AS (id >> 20) VIRTUAL,
    end         INTEGER GENERATED ALWAYS AS (start + length) VIRTUAL
);
INSERT INTO annotations_compact (id, start, length, type_id, entity_id, origin, status, created_at, modified_at)
SELECT (document_id << 20) + row_number() OVER (PARTITION BY document_id ORDER BY start, end, id),
       start, end - start, type_id, entity_id,
       CASE origin WHEN 'auto' THEN 0 WHEN 'manual' THEN 1 ELSE 2 END,
       CASE status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END,
       coalesce(unixepoch(created_at), 0),
       nullif(unixepoch(modified_at), coalesce(unixepoch(created_at), 0))
FROM annotations;
DROP TABLE annotations;
ALTER TABLE annotations_compact RENAME TO annotations;

CREATE TRIGGER documents_annotations_delete AFTER DELETE ON documents BEGIN
    DELETE FROM annotations WHERE id BETWEEN (old.id << 20) AND (old.id << 20) + 1048575;
END;
CREATE TRIGGER annotations_summary_insert AFTER INSERT ON annotations
WHEN new.status <> 2 AND lede_row_summaries() BEGIN
    INSERT INTO document_types (type_id, document_id, mentions) VALUES (new.type_id, new.document_id, 1)
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
CREATE TRIGGER annotations_summary_delete AFTER DELETE ON annotations WHEN old.status <> 2 BEGIN
    UPDATE document_types SET mentions = mentions - 1 WHERE type_id = old.type_id AND document_id = old.document_id;
    DELETE FROM document_types WHERE type_id = old.type_id AND document_id = old.document_id AND mentions <= 0;
    UPDATE document_entities SET mentions = mentions - 1 WHERE entity_id = old.entity_id AND document_id = old.document_id;
    DELETE FROM document_entities WHERE entity_id = old.entity_id AND document_id = old.document_id AND mentions <= 0;
END;
CREATE TRIGGER annotations_summary_update AFTER UPDATE OF id, type_id, entity_id, status ON annotations BEGIN
    UPDATE document_types SET mentions = mentions - 1
        WHERE old.status <> 2 AND type_id = old.type_id AND document_id = old.document_id;
    DELETE FROM document_types WHERE type_id = old.type_id AND document_id = old.document_id AND mentions <= 0;
    UPDATE document_entities SET mentions = mentions - 1
        WHERE old.status <> 2 AND entity_id = old.entity_id AND document_id = old.document_id;
    DELETE FROM document_entities WHERE entity_id = old.entity_id AND document_id = old.document_id AND mentions <= 0;
    INSERT INTO document_types (type_id, document_id, mentions)
        SELECT new.type_id, new.document_id, 1 WHERE new.status <> 2
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.status <> 2 AND new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
CREATE INDEX annotations_reviewed ON annotations(status, origin, type_id, entity_id, document_id)
    WHERE status <> 0 OR origin <> 0;
)sql"},
    // Annotation numbers are never given twice. The next number of a
    // document is one above both its highest annotation and the highest
    // number it ever deleted, which this table remembers, so a number a
    // user saw in a listing or an export names that annotation or none.
    // Rows stay when their document goes: should SQLite give a later
    // document the same id, its annotations' ids still differ from the
    // old ones.
    {6, R"sql(
CREATE TABLE annotation_numbers (
    document_id INTEGER PRIMARY KEY,
    last        INTEGER NOT NULL
);
CREATE TRIGGER annotations_number_keep AFTER DELETE ON annotations BEGIN
    INSERT INTO annotation_numbers (document_id, last) VALUES (old.id >> 20, old.id & 1048575)
        ON CONFLICT (document_id) DO UPDATE SET last = max(last, excluded.last);
END;
)sql"},
    // Why the tagger suggested an annotation and how sure it was. The
    // provenance ("gazetteer:mitre-attack:S0368", "rule:title", "model")
    // is named once in provenances; confidence is in thousandths
    // (0-1000), NULL where no tagger judged it (manual annotations and
    // those of older stores). Annotations imported from a file keep the
    // provenance and confidence the file gave.
    {7, R"sql(
CREATE TABLE provenances (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
ALTER TABLE annotations ADD COLUMN provenance_id INTEGER REFERENCES provenances(id);
ALTER TABLE annotations ADD COLUMN confidence INTEGER CHECK (confidence BETWEEN 0 AND 1000);
)sql"},
    // The name model the analyst's reviews taught: an update over the
    // model Lede ships (NerModel's format, the update's own weights only),
    // with the fingerprint of the shipped model it was trained over, so
    // that a Lede shipping another model knows to retrain it. One row.
    {8, R"sql(
CREATE TABLE model_updates (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    base       TEXT NOT NULL,
    model      BLOB NOT NULL,
    sentences  INTEGER NOT NULL,
    documents  INTEGER NOT NULL,
    reviews    INTEGER NOT NULL,
    trained_at INTEGER NOT NULL
);
)sql"},
    // A store that stock SQLite (the sqlite3 shell, DB Browser, Python)
    // can check and write: no index or trigger calls a Lede function. The
    // folded names become columns Lede fills (rows another program adds
    // are filled when Lede next opens the store, and found meanwhile
    // through the partial indexes); whether the insert trigger keeps the
    // summaries row by row is a row of summary_mode, which a bulk writer
    // turns off and on again inside its own write transaction, so no
    // other connection ever sees it off. And the store says what it is in
    // a table, which an SQL dump keeps where the header's pragmas are lost.
    {9, R"sql(
ALTER TABLE entities ADD COLUMN folded TEXT;
UPDATE entities SET folded = lede_fold(name);
DROP INDEX entities_folded_name;
CREATE INDEX entities_folded ON entities(folded);
CREATE INDEX entities_unfolded ON entities(id) WHERE folded IS NULL;
ALTER TABLE entity_aliases ADD COLUMN folded TEXT;
UPDATE entity_aliases SET folded = lede_fold(alias);
DROP INDEX entity_aliases_folded;
CREATE INDEX entity_aliases_folded ON entity_aliases(folded);
CREATE INDEX entity_aliases_unfolded ON entity_aliases(entity_id, alias) WHERE folded IS NULL;
CREATE TABLE summary_mode (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    per_row INTEGER NOT NULL CHECK (per_row IN (0, 1))
);
INSERT INTO summary_mode (id, per_row) VALUES (1, 1);
CREATE TABLE lede_store (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    application    TEXT NOT NULL,
    schema_version INTEGER NOT NULL
);
INSERT INTO lede_store (id, application, schema_version) VALUES (1, 'Lede', 9);
DROP TRIGGER annotations_summary_insert;
CREATE TRIGGER annotations_summary_insert AFTER INSERT ON annotations
WHEN new.status <> 2 AND (SELECT per_row FROM summary_mode WHERE id = 1) = 1 BEGIN
    INSERT INTO document_types (type_id, document_id, mentions) VALUES (new.type_id, new.document_id, 1)
        ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + 1;
    INSERT INTO document_entities (entity_id, document_id, type_id, mentions)
        SELECT new.entity_id, new.document_id, new.type_id, 1 WHERE new.entity_id IS NOT NULL
        ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + 1;
END;
)sql"},
    // The full-text index moves to SQLite's own unicode61 tokenizer
    // (kSearchTokenizer), so that a stock SQLite can query and check it;
    // "lede" stays registered only for the upgrade from earlier versions.
    // unicode61 reads most texts into Lede's search terms as they are;
    // where it would not (Chinese, Japanese and Thai have no spaces to
    // split at; "ß", ligatures and full-width letters it folds otherwise),
    // documents_index_form keeps the text's index form: its ICU words,
    // folded, one space apart (lede_index_form, SearchIndexForm.h), and
    // the index reads the document through documents_indexed, which puts
    // that form in place of the text. A row there is written just before
    // its document's and removed with it, so the index always holds what
    // the view says. A document whose text another program changes is
    // indexed from the new text itself.
    {10, R"sql(
CREATE TABLE documents_index_form (
    id    INTEGER PRIMARY KEY,
    title TEXT,
    text  TEXT
);
INSERT INTO documents_index_form (id, title, text)
SELECT id, title, text FROM (SELECT id, lede_index_form(title) AS title, lede_index_form(text) AS text FROM documents)
WHERE title IS NOT NULL OR text IS NOT NULL;
CREATE VIEW documents_indexed AS
SELECT d.id AS id, coalesce(f.title, d.title) AS title, coalesce(f.text, d.text) AS text
FROM documents d LEFT JOIN documents_index_form f ON f.id = d.id;

DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER documents_fts_update;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents_indexed', content_rowid='id',
    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'", detail=full);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text)
    SELECT new.id, coalesce(f.title, new.title), coalesce(f.text, new.text)
    FROM (SELECT 1) LEFT JOIN documents_index_form f ON f.id = new.id;
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    SELECT 'delete', old.id, coalesce(f.title, old.title), coalesce(f.text, old.text)
    FROM (SELECT 1) LEFT JOIN documents_index_form f ON f.id = old.id;
    DELETE FROM documents_index_form WHERE id = old.id;
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    SELECT 'delete', old.id, coalesce(f.title, old.title), coalesce(f.text, old.text)
    FROM (SELECT 1) LEFT JOIN documents_index_form f ON f.id = old.id;
    DELETE FROM documents_index_form WHERE id = old.id;
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
)sql"},
    // Room for any article the import limit lets in: an annotation's id
    // becomes document_id << 32 plus its number (up to 4,294,967,295 per
    // document, where 20 bits held 1,048,575, fewer than the suggestions
    // of a 60 MB article), leaving 31 bits for documents. Every id is
    // renumbered with the same number in its document, so listings and
    // `--reject N` still name the same annotations. The table is rebuilt
    // for its computed document_id; its triggers and index, and the
    // documents' delete trigger, are made again for the new layout.
    {11, R"sql(
DROP TRIGGER documents_annotations_delete;
CREATE TABLE annotations_wide (
    id            INTEGER PRIMARY KEY,
    start         INTEGER NOT NULL CHECK (start >= 0),
    length        INTEGER NOT NULL CHECK (length > 0),
    type_id       INTEGER NOT NULL REFERENCES entity_types(id),
    entity_id     INTEGER REFERENCES entities(id),
    origin        INTEGER NOT NULL CHECK (origin IN (0, 1, 2)),
    status        INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER,
    document_id   INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
    end           INTEGER GENERATED ALWAYS AS (start + length) VIRTUAL,
    provenance_id INTEGER REFERENCES provenances(id),
    confidence    INTEGER CHECK (confidence BETWEEN 0 AND 1000)
);
INSERT INTO annotations_wide (id, start, length, type_id, entity_id, origin, status, created_at, modified_at,
                              provenance_id, confidence)
SELECT ((id >> 20) << 32) + (id & 1048575), start, length, type_id, entity_id, origin, status, created_at, modified_at,
       provenance_id, confidence
FROM annotations;
DROP TABLE annotations;
ALTER TABLE annotations_wide RENAME TO annotations;
)sql", kAnnotationsTriggers},
    // Writes at import speed. CHECKs that SQLite tests without a table
    // of their own: "origin IN (0, 1, 2)" built and dropped a temporary
    // b-tree for every row inserted (two per annotation, the most of an
    // import's write), where three comparisons take the same values; the
    // table is rebuilt with them, ids, rows and summaries as they are.
    // And the full-text index of new documents may wait for the end of an
    // import batch (index_mode, turned off and on again inside the
    // batch's own transaction, as summary_mode is): indexing a batch in
    // one statement takes half the time of a document at a time, which
    // inside a savepoint also flushes FTS5's pending terms every time.
    {12, R"sql(
CREATE TABLE index_mode (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    per_row INTEGER NOT NULL CHECK (per_row = 0 OR per_row = 1)
);
INSERT INTO index_mode (id, per_row) VALUES (1, 1);
DROP TRIGGER documents_fts_insert;
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents
WHEN (SELECT per_row FROM index_mode WHERE id = 1) IS NOT 0 BEGIN
    INSERT INTO documents_fts (rowid, title, text)
    SELECT new.id, coalesce(f.title, new.title), coalesce(f.text, new.text)
    FROM (SELECT 1) LEFT JOIN documents_index_form f ON f.id = new.id;
END;
DROP TRIGGER documents_annotations_delete;
CREATE TABLE annotations_checked (
    id            INTEGER PRIMARY KEY,
    start         INTEGER NOT NULL CHECK (start >= 0),
    length        INTEGER NOT NULL CHECK (length > 0),
    type_id       INTEGER NOT NULL REFERENCES entity_types(id),
    entity_id     INTEGER REFERENCES entities(id),
    origin        INTEGER NOT NULL CHECK (origin = 0 OR origin = 1 OR origin = 2),
    status        INTEGER NOT NULL CHECK (status = 0 OR status = 1 OR status = 2),
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER,
    document_id   INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
    end           INTEGER GENERATED ALWAYS AS (start + length) VIRTUAL,
    provenance_id INTEGER REFERENCES provenances(id),
    confidence    INTEGER CHECK (confidence BETWEEN 0 AND 1000)
);
INSERT INTO annotations_checked (id, start, length, type_id, entity_id, origin, status, created_at, modified_at,
                                 provenance_id, confidence)
SELECT id, start, length, type_id, entity_id, origin, status, created_at, modified_at, provenance_id, confidence
FROM annotations;
DROP TABLE annotations;
ALTER TABLE annotations_checked RENAME TO annotations;
)sql", kAnnotationsTriggers},
};

} // namespace

std::span<const Migration> all() { return kSteps; }

int latestVersion() { return kSteps[std::size(kSteps) - 1].version; }

} // namespace lede::migrations
