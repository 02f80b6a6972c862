// name: linked-serial-perpetrators
// title: Suspects of domestic abuse against several victims in several force areas, across resolved identities
// category: missed links
// scope: national
// question: >
//   Which people, once their records are resolved into identities (dhrkg link), were suspects
//   in domestic abuse incidents against at least this many different victims in at least this
//   many force areas? Before linkage each force sees only its own victim.
// parameters:
//   min_victims: {type: integer, default: 2, description: fewest different victims}
//   min_force_areas: {type: integer, default: 2, description: fewest force areas the incidents were in}
// period: >
//   Not bounded by a homicide: linked records (dhrkg link) carry no homicide date, so every
//   record and incident on file counts, whenever dated.
// columns:
//   suspect: identity key of the suspect (the record key when the suspect's records are not linked)
//   suspect_records: the suspect's records named in the incidents
//   names: names on those records
//   victims: number of different victims (by identity)
//   force_areas: force areas of the incidents
//   incidents: number of incidents
//   first: date of the first incident
//   last: date of the last incident
// example: dhrkg run linked-serial-perpetrators --param min_victims=2 --param min_force_areas=2
MATCH (s:Record)-[:INVOLVED {role: 'suspect'}]->(e:Incident)
MATCH (e)<-[:INVOLVED {role: 'victim'}]-(v:Record)
WHERE v <> s
OPTIONAL MATCH (s)-[:SAME_AS]->(si:Identity)
OPTIONAL MATCH (v)-[:SAME_AS]->(vi:Identity)
WITH coalesce(si.key, s.key) AS suspect, s, e, coalesce(vi.key, v.key) AS victim
WITH suspect, collect(DISTINCT s) AS srecs, collect(DISTINCT victim) AS victims,
     collect(DISTINCT e.force_area) AS areas, count(DISTINCT e) AS incidents,
     min(e.date) AS first, max(e.date) AS last
WHERE size(victims) >= $min_victims AND size(areas) >= $min_force_areas
// the lists in a stable order (records by record id, areas by name), not the order the engine
// met them in, which differs between loads and engines
WITH suspect, victims, incidents, first, last,
     reduce(acc = [], x IN srecs | [y IN acc WHERE y.record_id < x.record_id] + [x] + [y IN acc WHERE y.record_id >= x.record_id]) AS srecs,
     reduce(acc = [], k IN areas | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS areas
RETURN suspect,
       [x IN srecs | x.record_id] AS suspect_records,
       reduce(acc = [], x IN srecs | CASE WHEN x.name IS NULL OR x.name IN acc THEN acc ELSE acc + x.name END) AS names,
       size(victims) AS victims,
       areas AS force_areas,
       incidents,
       first,
       last
ORDER BY victims DESC, suspect
