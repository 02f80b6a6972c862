// name: find-path
// title: The shortest links between two people
// category: network
// question: >
//   How are these two people connected: through family, partners, friends, shared households or
//   the same incidents? (the "find path" of link-analysis tools)
// parameters:
//   from: {type: person, positional: true, description: 'first person, "<review>/<id>"'}
//   to: {type: person, positional: true, description: 'second person, "<review>/<id>"'}
//   max_hops: {type: integer, default: 6, choices: [1, 2, 3, 4, 5, 6, 7, 8], description: longest path to look for}
// period: >
//   Not dated: relationships, shared households and events whenever recorded, the homicide and
//   what followed included.
// columns:
//   hops: number of links in the path
//   path: the path in words, e.g. A -PARTNER_OF-> B <-PARENT_OF- C
//   nodes: the nodes on the path (key, label, name or event type and date, source paragraphs)
//   links: the relationships on the path (type, from, to, source paragraphs)
// example: dhrkg run find-path north-worcs-dhr-7/Victim north-worcs-dhr-7/PFP
// notes: >
//   Every shortest path is listed (there can be several of the same length). Links are the
//   person-to-person relationships, household membership, involvement in the same event, and
//   identity links between records of the same person (SAME_AS) where entity resolution made
//   them. Areas, agencies and reviews are not used: they would link everyone.
MATCH (a:Person {key: $from}), (b:Person {key: $to})
WITH a, b
MATCH p = allShortestPaths((a)-[:PARENT_OF|SIBLING_OF|PARTNER_OF|RELATIVE_OF|FRIEND_OF|CARES_FOR|ASSOCIATE_OF|ABUSED|MEMBER_OF|INVOLVED|SAME_AS*..8]-(b))
WITH p, nodes(p) AS ns, relationships(p) AS rs
WHERE length(p) <= $max_hops
WITH p, ns, rs,
     reduce(s = ns[0].key, i IN range(0, size(rs) - 1) |
            s + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> ' ELSE ' <-' + type(rs[i]) + '- ' END + ns[i + 1].key) AS path
RETURN length(p) AS hops,
       path,
       [n IN ns | {key: n.key, label: head(labels(n)), name: coalesce(n.name, n.type), date: n.date, source: n.source}] AS nodes,
       [r IN rs | {type: type(r), from: startNode(r).key, to: endNode(r).key, source: r.source}] AS links
ORDER BY hops, path
