// FalkorDB: Person.find_text is the list of every piece of 2 to 6 letters of every word (split
// at spaces) of the lower-cased name, id and aliases, each as '<' + piece + '>', and '<*>'
// (dhrkg.graph.dialect), with a range index. The text's longest word, cut to 6 letters, is a
// piece of every field the text is in: one index lookup ('<*>', everyone, when that word has
// fewer than 2 letters). A text of 2 to 6 letters without a space is in a field exactly when
// it is a piece of it, so only other texts are tested against the fields; either way the rows
// are those of a scan.
WITH toLower($text) AS t
WITH t, reduce(r = '', w IN split(t, ' ') | CASE WHEN size(w) > size(r) THEN w ELSE r END) AS word
WITH t, CASE WHEN size(word) < 2 THEN '<*>' ELSE '<' + substring(word, 0, 6) + '>' END AS piece,
     word = t AND size(t) >= 2 AND size(t) <= 6 AS proven
MATCH (p:Person)
WHERE piece IN p.find_text
  AND ($review IS NULL OR p.review = $review)
  AND (proven
       OR toLower(coalesce(p.name, '')) CONTAINS t
       OR toLower(p.id) CONTAINS t
       OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS t))
// sorted and cut first, so only the people shown are read for the columns; sorted again
// at the end (those few rows only): the engines promise the order of the last ORDER BY
WITH p
ORDER BY p.review, p.key
LIMIT $limit
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person
