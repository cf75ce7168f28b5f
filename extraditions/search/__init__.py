"""Full-text and name search, the same on PostgreSQL and SQLite from the outside.

- :mod:`.text`: folding (case and accents), the query syntax and snippets, in Python so that
  both databases behave alike.
- :mod:`.names`: the variants a person's name is found by (scripts, pinyin).
- :mod:`.models`: the index tables; :mod:`.documents`: what each kind of record puts in them.
- :mod:`.backends`: the database-specific matching and ranking (tsvector + GIN on PostgreSQL,
  FTS5 on SQLite; trigram similarity for misspelt names).
- :mod:`.indexing`: keeping the index fresh on every write.
"""
