// name: family
// title: A person's family and close relationships
// category: people
// question: Who are this person's parents, children, siblings, partners, carers, friends and other relatives, as the report records them?
// parameters:
//   person: {type: person, positional: true, description: 'the person, "<review>/<id>"'}
// period: >
//   Not dated: relationships whenever recorded.
// columns:
//   relation: parent, child, sibling, partner, relative, cares for, cared for by, friend, associate, abused, abused by
//   person: key of the other person
//   name: their name or pseudonym
//   detail: kind, status, label or abuse kinds as recorded
//   source: paragraph refs
// example: dhrkg run family north-worcs-dhr-7/Perpetrator
MATCH (p:Person {key: $person})-[r:PARENT_OF|SIBLING_OF|PARTNER_OF|RELATIVE_OF|FRIEND_OF|CARES_FOR|ASSOCIATE_OF|ABUSED]-(o:Person)
WHERE o <> p
WITH p, r, o, startNode(r) = p AS outgoing
RETURN CASE type(r)
         WHEN 'PARENT_OF' THEN CASE WHEN outgoing THEN 'child' ELSE 'parent' END
         WHEN 'CARES_FOR' THEN CASE WHEN outgoing THEN 'cares for' ELSE 'cared for by' END
         WHEN 'ABUSED' THEN CASE WHEN outgoing THEN 'abused' ELSE 'abused by' END
         WHEN 'SIBLING_OF' THEN 'sibling'
         WHEN 'PARTNER_OF' THEN 'partner'
         WHEN 'RELATIVE_OF' THEN 'relative'
         WHEN 'FRIEND_OF' THEN 'friend'
         ELSE 'associate' END AS relation,
       o.key AS person,
       o.name AS name,
       CASE type(r)
         WHEN 'PARTNER_OF' THEN coalesce(r.status, '') + coalesce(' ' + r.kind, '') + coalesce(', separated ' + r.separated, '')
         WHEN 'ABUSED' THEN reduce(s = '', k IN coalesce(r.kinds, []) | s + CASE WHEN s = '' THEN '' ELSE ', ' END + k)
         WHEN 'RELATIVE_OF' THEN coalesce(r.label, '') + CASE WHEN outgoing THEN ' (this person to them)' ELSE ' (them to this person)' END
         ELSE coalesce(r.kind, r.label, '') END AS detail,
       r.source AS source
ORDER BY relation, person, detail
