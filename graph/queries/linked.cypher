// name: linked
// title: Everything linked to a person within N steps
// category: network
// question: >
//   Who and what is linked to this person within one, two or three steps: relatives, partners,
//   friends, households and events, and through whom? (the "expand" of link-analysis tools)
// parameters:
//   person: {type: person, positional: true, description: 'the person, "<review>/<id>"'}
//   depth: {type: integer, default: 2, choices: [1, 2, 3], description: how many steps out}
// period: >
//   Not dated: relationships, shared households and events whenever recorded, the homicide and
//   what followed included.
// columns:
//   key: key of the linked person, event or household
//   label: Person, Event or Household
//   name: the person's name, or the event's type and date, or the household id
//   distance: fewest steps from the person
//   via: one shortest way there (the first in alphabetical order), as a path in words
//   paths: number of paths within the depth that visit no node twice
// example: dhrkg run linked north-worcs-dhr-7/PFP --param depth=2
MATCH (a:Person {key: $person})
MATCH p = (a)-[:PARENT_OF|SIBLING_OF|PARTNER_OF|RELATIVE_OF|FRIEND_OF|CARES_FOR|ASSOCIATE_OF|ABUSED|MEMBER_OF|INVOLVED|SAME_AS*1..3]-(x)
WHERE x <> a AND length(p) <= $depth
  AND all(i IN range(0, size(nodes(p)) - 2) WHERE NONE(j IN range(i + 1, size(nodes(p)) - 1) WHERE nodes(p)[i] = nodes(p)[j]))
WITH x, length(p) AS len, nodes(p) AS ns, relationships(p) AS rs
WITH x, len,
     reduce(s = ns[0].key, i IN range(0, size(rs) - 1) |
            s + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> ' ELSE ' <-' + type(rs[i]) + '- ' END + ns[i + 1].key) AS route
WITH x, min(len) AS distance, count(*) AS paths, collect([len, route]) AS routes
RETURN x.key AS key,
       head(labels(x)) AS label,
       CASE WHEN 'Event' IN labels(x) THEN x.type + ' ' + x.date ELSE coalesce(x.name, x.id) END AS name,
       distance,
       reduce(best = NULL, lr IN routes | CASE WHEN lr[0] = distance AND (best IS NULL OR lr[1] < best) THEN lr[1] ELSE best END) AS via,
       paths
ORDER BY distance, label, key
