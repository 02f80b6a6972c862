// name: abuse-relationships
// title: Who abused whom in a review
// category: people
// question: Who is recorded as abusing whom, in what ways, how certain, over what period, and in which incidents?
// parameters:
//   review: {type: review, positional: true, description: the review id}
// period: >
//   The whole record, before and after the homicide (abuse relationships and events whenever
//   recorded).
// columns:
//   abuser: key of the person who abused
//   abused: key of the person abused
//   relationship: what the abused person was to the abuser (partner, child, ...) where recorded
//   kinds: kinds of abuse
//   certainty: alleged, reported, substantiated or convicted (empty when stated as fact)
//   from: start of the abuse, where known
//   to: end of the abuse, where known
//   incidents: incidents naming the two as abuser and victim (ids)
//   source: paragraph refs
// example: dhrkg run abuse-relationships north-worcs-dhr-7
MATCH (r:Review {key: $review})<-[:PART_OF]-(a:Person)-[ab:ABUSED]->(v:Person)
WHERE a <> v
RETURN a.key AS abuser,
       v.key AS abused,
       reduce(acc = [], k IN [(a)-[rel:PARTNER_OF|PARENT_OF|SIBLING_OF|RELATIVE_OF|CARES_FOR]-(v) |
                                CASE type(rel) WHEN 'PARTNER_OF' THEN 'partner'
                                               WHEN 'PARENT_OF' THEN CASE WHEN startNode(rel) = a THEN 'child' ELSE 'parent' END
                                               WHEN 'SIBLING_OF' THEN 'sibling'
                                               WHEN 'CARES_FOR' THEN 'cared for'
                                               ELSE 'relative' END] |
              CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS relationship,
       coalesce(ab.kinds, []) AS kinds,
       ab.certainty AS certainty,
       ab.start AS from,
       ab.end AS to,
       reduce(acc = [], k IN [(a)-[:INVOLVED {role: 'perpetrator'}]->(e:Event)<-[:INVOLVED {role: 'victim'}]-(v) | e.id] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS incidents,
       ab.source AS source
ORDER BY abuser, abused, from
