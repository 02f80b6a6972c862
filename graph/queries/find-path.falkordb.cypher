// FalkorDB: algo.SPpaths takes the length limit as a parameter and searches both ways far
// faster than allShortestPaths with a fixed bound (same paths; see docs/queries.md).
MATCH (a:Person {key: $from}), (b:Person {key: $to})
CALL algo.SPpaths({sourceNode: a, targetNode: b, relTypes: ['PARENT_OF', 'SIBLING_OF', 'PARTNER_OF', 'RELATIVE_OF', 'FRIEND_OF', 'CARES_FOR', 'ASSOCIATE_OF', 'ABUSED', 'MEMBER_OF', 'INVOLVED', 'SAME_AS'],
                   relDirection: 'both', maxLen: $max_hops, pathCount: 0}) YIELD path
WITH path AS p, nodes(path) AS ns, relationships(path) AS rs
WHERE length(p) <= $max_hops
WITH p, ns, rs,
     reduce(s = ns[0].key, i IN range(0, size(rs) - 1) |
            s + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> ' ELSE ' <-' + type(rs[i]) + '- ' END + ns[i + 1].key) AS path
RETURN length(p) AS hops,
       path,
       [n IN ns | {key: n.key, label: head(labels(n)), name: coalesce(n.name, n.type), date: n.date, source: n.source}] AS nodes,
       [r IN rs | {type: type(r), from: startNode(r).key, to: endNode(r).key, source: r.source}] AS links
ORDER BY hops, path
