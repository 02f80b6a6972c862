// FalkorDB: algo.SPpaths (see find-path.falkordb.cypher).
UNWIND $people AS ka
UNWIND $people AS kb
WITH DISTINCT ka, kb
WHERE ka < kb
MATCH (a:Person {key: ka}), (b:Person {key: kb})
CALL algo.SPpaths({sourceNode: a, targetNode: b, relTypes: ['PARENT_OF', 'SIBLING_OF', 'PARTNER_OF', 'RELATIVE_OF', 'FRIEND_OF', 'CARES_FOR', 'ASSOCIATE_OF', 'ABUSED', 'MEMBER_OF', 'INVOLVED', 'SAME_AS'],
                   relDirection: 'both', maxLen: $max_hops, pathCount: 0}) YIELD path
WITH a, b, path AS p
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
