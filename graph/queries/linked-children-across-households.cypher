// name: linked-children-across-households
// title: A person's children with different partners, across force areas, joined through identities
// category: missed links
// question: >
//   Once records are resolved into identities (dhrkg link), which children is this person a
//   parent of on any agency's records, who is each child's other parent, and in which force
//   areas do they live? Children with different other parents mean children across
//   households.
// parameters:
//   record: {type: string, positional: true, description: 'record id of any record on the person, e.g. "WMID-POL-00012345"'}
// period: >
//   Not bounded by a homicide: linked records (dhrkg link) carry no homicide date, so every
//   record and incident on file counts, whenever dated.
// columns:
//   child: identity key of the child (the record key when the child's records are not linked)
//   child_records: record ids held on the child
//   child_names: names on the child's records
//   other_parent: identity key of the child's other parent (null if none is recorded)
//   other_parent_records: record ids of the other parent
//   force_areas: force areas of the child's records
//   households: number of different other parents among all the person's children
//   via_records: the person's records that state the parenthood
// example: dhrkg run linked-children-across-households WMID-POL-00012345
MATCH (r:Record {record_id: $record})
OPTIONAL MATCH (r)-[:SAME_AS]->(i:Identity)
OPTIONAL MATCH (i)<-[:SAME_AS]-(o:Record)
WITH r, collect(DISTINCT o) AS others
WITH CASE WHEN size(others) = 0 THEN [r] ELSE others END AS mine
UNWIND mine AS m
MATCH (m)-[:PARENT_OF]->(c:Record)
OPTIONAL MATCH (c)-[:SAME_AS]->(ci:Identity)
WITH mine, m, c, coalesce(ci.key, c.key) AS child, ci
OPTIONAL MATCH (c)<-[:PARENT_OF]-(op:Record)
WITH mine, m, c, child, ci, [p IN collect(DISTINCT op) WHERE NOT p IN mine] AS other_parents
UNWIND CASE WHEN size(other_parents) = 0 THEN [NULL] ELSE other_parents END AS op
OPTIONAL MATCH (op)-[:SAME_AS]->(opi:Identity)
WITH mine, child, ci, c, m, op, CASE WHEN op IS NULL THEN NULL ELSE coalesce(opi.key, op.key) END AS other_parent
WITH child, ci, collect(DISTINCT c) AS cs, collect(DISTINCT m.record_id) AS via_records,
     collect(DISTINCT other_parent) AS other_parent_keys, collect(DISTINCT op.record_id) AS op_records
OPTIONAL MATCH (ci)<-[:SAME_AS]-(cr:Record)
WITH child, cs, via_records, other_parent_keys, op_records, collect(DISTINCT cr) AS identity_records
// every list in a stable order (records by record id; the other parent the first by key), not
// the order the engine met them in, which differs between loads and engines
WITH child,
     reduce(acc = [], k IN via_records | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS via_records,
     reduce(acc = [], k IN other_parent_keys | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS other_parent_keys,
     reduce(acc = [], k IN op_records | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS op_records,
     reduce(acc = [], c IN CASE WHEN size(identity_records) = 0 THEN cs ELSE identity_records END |
            [y IN acc WHERE y.record_id < c.record_id] + [c] + [y IN acc WHERE y.record_id >= c.record_id]) AS crecs
WITH collect({child: child, crecs: crecs, via: via_records, op: head(other_parent_keys), opr: op_records}) AS rows
WITH rows, reduce(acc = [], x IN rows | CASE WHEN x.op IS NULL OR x.op IN acc THEN acc ELSE acc + x.op END) AS parents
UNWIND rows AS row
RETURN row.child AS child,
       [c IN row.crecs | c.record_id] AS child_records,
       reduce(acc = [], c IN row.crecs | CASE WHEN c.name IS NULL OR c.name IN acc THEN acc ELSE acc + c.name END) AS child_names,
       row.op AS other_parent,
       row.opr AS other_parent_records,
       reduce(acc = [], c IN row.crecs | CASE WHEN c.force_area IS NULL OR c.force_area IN acc THEN acc ELSE acc + c.force_area END) AS force_areas,
       size(parents) AS households,
       row.via AS via_records
ORDER BY child
