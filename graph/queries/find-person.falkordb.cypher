// FalkorDB: Person.find_text is the list of the 3-letter pieces of the lower-cased name, id and
// aliases, each as '<' + piece + '>' (dhrkg.graph.dialect), with a range index: a text of 3
// letters or more is in a field only if its first and last 3 letters are pieces of it
// ('<' + piece + '>' IN p.find_text: an index lookup). A shorter text is
// looked for in every person (the UNWIND of an empty list skips the branch not taken). Either
// way the fields themselves decide, so the rows are those of a scan.
WITH toLower($text) AS t
CALL {
  WITH t
  UNWIND CASE WHEN size(t) >= 3 THEN [t] ELSE [] END AS long
  WITH long, '<' + substring(long, 0, 3) + '>' AS first, '<' + substring(long, size(long) - 3, 3) + '>' AS last
  MATCH (p:Person)
  WHERE first IN p.find_text AND last IN p.find_text
  WITH p, long
  WHERE ($review IS NULL OR p.review = $review)
    AND (toLower(coalesce(p.name, '')) CONTAINS long
         OR toLower(p.id) CONTAINS long
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS long))
  RETURN p
  UNION ALL
  WITH t
  UNWIND CASE WHEN size(t) < 3 THEN [t] ELSE [] END AS short
  MATCH (p:Person)
  WHERE ($review IS NULL OR p.review = $review)
    AND (toLower(coalesce(p.name, '')) CONTAINS short
         OR toLower(p.id) CONTAINS short
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS short))
  RETURN p
}
// sorted and cut first, so only the people shown are read for the columns; sorted again
// at the end (those few rows only): the engines promise the order of the last ORDER BY
WITH p
ORDER BY p.review, p.key
LIMIT $limit
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person
