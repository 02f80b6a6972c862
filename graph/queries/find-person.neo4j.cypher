// Neo4j: the rows of the portable text, found one of three ways. A probe reads, from the TEXT
// index on Person.find_text, the people whose fields' lines hold the text, stopping at 10,000.
// Fewer (a rare text): those people, tested against the fields (and the review) and sorted.
// 10,000 or more (a common text: "Smith" is 4% of a national set), with the limit shown by
// default or less (100, sent as 101 to see whether more match): people read in (review, key)
// order from the composite index on Person(review, key) (graph/neo4j/store.py NEO4J_INDEXES;
// only the review's people when one is asked for), tested on the way: the engine stops at the
// limit, having read about limit / share of them (Smith: ~2,500), instead of reading and
// sorting every match. The cap balances these two: at 1M people a text found 10,000 times
// costs the probe 10,000 index rows and the ordered read about 10,000 people (BENCHMARKS.md,
// "find-person in order"). A common text with a larger limit, or none: every match, sorted
// (the ordered read would near everyone). Each way starts from what only its own condition
// gives (the probe's people, or none; an UNWIND of the text or of nothing; a prefix, or null,
// which finds nobody, and keeps the index's order), so the engine reads one way only.
WITH toLower($text) AS t
CALL (t) {
  MATCH (p:Person)
  WHERE p.find_text CONTAINS t
  WITH p LIMIT 10000
  RETURN collect(p) AS probed
}
CALL (t, probed) {
  UNWIND CASE WHEN size(probed) < 10000 THEN probed ELSE [] END AS p
  WITH p
  WHERE ($review IS NULL OR p.review = $review)
    AND (toLower(coalesce(p.name, '')) CONTAINS t
         OR toLower(p.id) CONTAINS t
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS t))
  WITH p
  ORDER BY p.review, p.key
  LIMIT $limit
  RETURN p
  UNION ALL
  // a common text with a limit over the one shown by default (or none: 0): every match sorted
  UNWIND CASE WHEN size(probed) >= 10000 AND $limit > 101 THEN [t] ELSE [] END AS common
  MATCH (p:Person)
  WHERE p.find_text CONTAINS common
    AND ($review IS NULL OR p.review = $review)
    AND (toLower(coalesce(p.name, '')) CONTAINS t
         OR toLower(p.id) CONTAINS t
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS t))
  WITH p
  ORDER BY p.review, p.key
  LIMIT $limit
  RETURN p
  UNION ALL
  WITH t, CASE WHEN size(probed) >= 10000 AND $limit <= 101 THEN coalesce($review, '') END AS prefix
  MATCH (p:Person)
  USING INDEX SEEK p:Person(review, key)
  WHERE p.review STARTS WITH prefix AND p.key IS NOT NULL
    AND ($review IS NULL OR p.review = $review)
    AND p.find_text CONTAINS t
    AND (toLower(coalesce(p.name, '')) CONTAINS t
         OR toLower(p.id) CONTAINS t
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS t))
  WITH p
  ORDER BY p.review, p.key
  LIMIT $limit
  RETURN p
}
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person
