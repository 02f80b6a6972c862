// name: find-person
// title: Find people by name or alias
// category: people
// question: Which people in the loaded reviews have this text in their name or one of their aliases (to find the key other queries need)?
// parameters:
//   text: {type: string, positional: true, description: part of a name or alias (any case)}
//   review: {type: review, required: false, description: only this review}
//   limit: {type: integer, default: 100, description: 'at most this many people (0: all)'}
// period: >
//   Not dated: the people of every loaded review.
// columns:
//   person: person key, "<review>/<id>", for the other queries
//   name: name or pseudonym
//   aliases: other ways the report refers to the person
//   roles: roles in the review
//   review: review id
// example: dhrkg run find-person "former partner"
// notes: >
//   At most 100 people (--param limit=N; 0 for all): a common surname matches thousands in a
//   national dataset. When more match, dhrkg run, the API and the workspace say so; narrow the
//   text (a full name, a key) or add --param review=ID. The people shown are the first of the
//   whole list, in its order (review, person).
//   Found from a text index (Person.find_text: the name, id and aliases, lower-cased;
//   docs/graph-schema.md), then tested against the fields themselves (on FalkorDB a word of
//   2 to 6 letters needs no test: its index holds every such piece of every word).
WITH toLower($text) AS t
// the text index narrows (Neo4j: a TEXT index on the fields' lines serves CONTAINS); the
// fields themselves decide, so the rows are those of a scan
MATCH (p:Person)
WHERE p.find_text CONTAINS t
  AND ($review IS NULL OR p.review = $review)
  AND (toLower(coalesce(p.name, '')) CONTAINS t
       OR toLower(p.id) CONTAINS t
       OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS t))
// sorted and cut first, so only the people shown are read for the columns; sorted again
// at the end (those few rows only): the engines promise the order of the last ORDER BY
WITH p
ORDER BY p.review, p.key
LIMIT $limit
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person
