// name: find-person
// title: Find people by name or alias
// category: people
// scope: national
// question: Which people in the loaded reviews have this text in their name or one of their aliases (to find the key other queries need)?
// parameters:
//   text: {type: string, positional: true, description: part of a name or alias (any case)}
//   review: {type: review, required: false, description: only this review}
// period: >
//   Not dated: the people of every loaded review.
// columns:
//   person: person key, "<review>/<id>", for the other queries
//   name: name or pseudonym
//   aliases: other ways the report refers to the person
//   roles: roles in the review
//   review: review id
// example: dhrkg run find-person "former partner"
MATCH (p:Person)
WHERE ($review IS NULL OR p.review = $review)
  AND (toLower(coalesce(p.name, '')) CONTAINS toLower($text)
       OR toLower(p.id) CONTAINS toLower($text)
       OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS toLower($text)))
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person
