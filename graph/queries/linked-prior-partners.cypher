// name: linked-prior-partners
// title: A person's partners on record in any force area, joined through resolved identities
// category: missed links
// question: >
//   Once the records that forces and agencies hold on one person are resolved into an identity
//   (dhrkg link), which partners does that person have on record anywhere, and where? Partners
//   come from partner relationships the records state and from domestic abuse incidents
//   between the two. Before linkage only the partners of the one record are found.
// parameters:
//   record: {type: string, positional: true, description: 'record id of any record on the person, e.g. "WMID-POL-00012345"'}
// period: >
//   Not bounded by a homicide: linked records (dhrkg link) carry no homicide date, so every
//   record and incident on file counts, whenever dated.
// columns:
//   partner: identity key of the partner (the record key when the partner's records are not linked)
//   partner_records: record ids held on the partner (all records of the partner's identity)
//   partner_names: names on the partner's records
//   force_areas: force areas of the partner's records
//   basis: stated partner relationship and/or incidents between the two
//   incidents: incidents between the two (id, date, force area, type, DASH level, role of the person)
//   via_records: the person's records that carry the link
//   other_force_area: true when none of the person's records that carry the link is in the force area of the given record
// example: dhrkg run linked-prior-partners WMID-POL-00012345
// notes: >
//   Works before linkage too (each record is then its own identity), which is how a missed link
//   shows: the partner appears only after dhrkg link.
MATCH (r:Record {record_id: $record})
OPTIONAL MATCH (r)-[:SAME_AS]->(i:Identity)
OPTIONAL MATCH (i)<-[:SAME_AS]-(o:Record)
WITH r, collect(DISTINCT o) AS others
WITH r, CASE WHEN size(others) = 0 THEN [r] ELSE others END AS mine
UNWIND mine AS m
OPTIONAL MATCH (m)-[:PARTNER_OF]-(x1:Record)
WITH r, mine, m, collect(DISTINCT x1) AS stated
OPTIONAL MATCH (m)-[:INVOLVED]->(e:Incident)
OPTIONAL MATCH (e)<-[:INVOLVED]-(x2:Record)
WHERE x2 <> m
WITH r, mine, m, stated, collect(DISTINCT x2) AS in_incidents
WITH r, mine, m, stated + [y IN in_incidents WHERE NOT y IN stated] AS partners
UNWIND partners AS x
WITH r, mine, m, x
WHERE NOT x IN mine
OPTIONAL MATCH (x)-[:SAME_AS]->(xi:Identity)
WITH r, m, x, xi, coalesce(xi.key, x.key) AS partner,
     size([(m)-[:PARTNER_OF]-(x) | 1]) AS stated_links,
     [(m)-[inv:INVOLVED]->(e:Incident) | {e: e, role: inv.role}] AS m_incidents,
     [(x)-[:INVOLVED]->(e2:Incident) | e2] AS x_incidents
WITH r, m, x, xi, partner, stated_links,
     [mi IN m_incidents WHERE mi.e IN x_incidents |
       {id: mi.e.id, date: mi.e.date, force_area: mi.e.force_area, type: mi.e.type,
        dash_level: mi.e.dash_level, role: mi.role}] AS incs
WITH r, partner, xi,
     collect(DISTINCT x) AS xs,
     collect(DISTINCT m.record_id) AS via_records,
     collect(DISTINCT m.force_area) AS via_areas,
     max(stated_links) AS stated_links,
     collect(incs) AS inc_lists
OPTIONAL MATCH (xi)<-[:SAME_AS]-(xr:Record)
WITH r, partner, xs, via_records, via_areas, stated_links, inc_lists, collect(DISTINCT xr) AS identity_records
// every list in a stable order (records by record id, incidents by date then id), not the order
// the engine met them in, which differs between loads and engines; incidents told apart by id
// (FalkorDB compares two maps holding a null, e.g. no DASH level, as null, not false)
WITH r, partner, via_areas, stated_links,
     reduce(acc = [], k IN via_records | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS via_records,
     reduce(acc = [], y IN reduce(all = [], l IN inc_lists | all + [y IN l WHERE NONE(z IN all WHERE z.id = y.id)]) |
            [z IN acc WHERE coalesce(z.date, '') + ' ' + z.id < coalesce(y.date, '') + ' ' + y.id] + [y] +
            [z IN acc WHERE coalesce(z.date, '') + ' ' + z.id >= coalesce(y.date, '') + ' ' + y.id]) AS incidents,
     reduce(acc = [], p IN CASE WHEN size(identity_records) = 0 THEN xs ELSE identity_records END |
            [y IN acc WHERE y.record_id < p.record_id] + [p] + [y IN acc WHERE y.record_id >= p.record_id]) AS precs
RETURN partner,
       [p IN precs | p.record_id] AS partner_records,
       reduce(acc = [], p IN precs | CASE WHEN p.name IS NULL OR p.name IN acc THEN acc ELSE acc + p.name END) AS partner_names,
       reduce(acc = [], p IN precs | CASE WHEN p.force_area IS NULL OR p.force_area IN acc THEN acc ELSE acc + p.force_area END) AS force_areas,
       CASE WHEN stated_links > 0 AND size(incidents) > 0 THEN 'stated partner and incidents'
            WHEN stated_links > 0 THEN 'stated partner' ELSE 'incidents' END AS basis,
       incidents,
       via_records,
       NOT r.force_area IN via_areas AS other_force_area
ORDER BY partner
