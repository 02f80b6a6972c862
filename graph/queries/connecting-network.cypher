// name: connecting-network
// title: The network that connects a set of people
// category: network
// question: >
//   What links these people to one another? Every relationship on a shortest path between any
//   two of them (the "find connecting network" of link-analysis tools).
// parameters:
//   people: {type: list, of: person, positional: true, description: 'two or more people, "<review>/<id>"'}
//   max_hops: {type: integer, default: 6, choices: [1, 2, 3, 4, 5, 6, 7, 8], description: longest path to look for between two of them}
// period: >
//   Not dated: relationships, shared households and events whenever recorded, the homicide and
//   what followed included.
// columns:
//   from: key of the node the relationship starts at
//   relationship: relationship type
//   to: key of the node it ends at
//   from_label: label of the start node (Person, Event, Household)
//   to_label: label of the end node
//   detail: the event's type and date, or the relationship's own properties in short
//   connects: the pairs of people whose shortest paths use this relationship
//   source: paragraph refs for the relationship (or for the event or household it leads to)
// example: dhrkg run connecting-network north-worcs-dhr-7/Victim north-worcs-dhr-7/PFP north-worcs-dhr-7/S1
// notes: >
//   Uses the same links as find-path. Pairs with no path within max_hops add nothing.
UNWIND $people AS ka
UNWIND $people AS kb
WITH DISTINCT ka, kb
WHERE ka < kb
MATCH (a:Person {key: ka}), (b:Person {key: kb})
WITH a, b
MATCH p = allShortestPaths((a)-[:PARENT_OF|SIBLING_OF|PARTNER_OF|RELATIVE_OF|FRIEND_OF|CARES_FOR|ASSOCIATE_OF|ABUSED|MEMBER_OF|INVOLVED|SAME_AS*..8]-(b))
WITH a, b, p
WHERE length(p) <= $max_hops
UNWIND relationships(p) AS r
WITH r, startNode(r) AS s, endNode(r) AS t, a.key + ' ~ ' + b.key AS pair
ORDER BY pair
WITH r, s, t, collect(DISTINCT pair) AS connects
RETURN s.key AS from,
       type(r) AS relationship,
       t.key AS to,
       head(labels(s)) AS from_label,
       head(labels(t)) AS to_label,
       CASE WHEN 'Event' IN labels(t) THEN t.type + ' ' + t.date
            WHEN type(r) = 'PARTNER_OF' THEN coalesce(r.status, '') + coalesce(' ' + r.kind, '')
            WHEN type(r) = 'INVOLVED' THEN r.role
            ELSE coalesce(r.kind, r.label) END AS detail,
       connects,
       coalesce(r.source, t.source) AS source
ORDER BY from, relationship, to, detail
